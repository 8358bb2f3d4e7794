"""Plain factory helpers: each makes a valid object with sensible defaults."""

import datetime
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from digests.models import Digest, Item, Platform, Section, SocialMetric, Status
from people.models import Organization, Person

_counter = itertools.count(1)


def make_digest(*, status=Status.PUBLISHED, publish_at=None, **fields) -> Digest:
    n = next(_counter)
    fields.setdefault("title", f"News digest {n}")
    fields.setdefault("slug", f"news-digest-{n}")
    fields.setdefault("date", datetime.date(2025, 12, 1) + datetime.timedelta(days=n % 28))
    if status == Status.PUBLISHED and publish_at is None:
        publish_at = timezone.now() - datetime.timedelta(hours=1)
    return Digest.objects.create(status=status, publish_at=publish_at, **fields)


def make_section(digest, **fields) -> Section:
    fields.setdefault("title", f"Section {next(_counter)}")
    return Section.objects.create(digest=digest, **fields)


def make_item(section, **fields) -> Item:
    fields.setdefault("body", f"<p>Item text {next(_counter)}.</p>")
    return Item.objects.create(section=section, **fields)


def make_person(name=None, **fields) -> Person:
    return Person.objects.create(name=name or f"Person {next(_counter)}", **fields)


def make_organization(name=None, **fields) -> Organization:
    return Organization.objects.create(name=name or f"Organization {next(_counter)}", **fields)


def make_metric(digest, **fields) -> SocialMetric:
    fields.setdefault("platform", Platform.YOUTUBE)
    fields.setdefault("views", 1000)
    fields.setdefault("topic", "A post")
    return SocialMetric.objects.create(digest=digest, **fields)


def image_bytes(fmt="PNG", size=(40, 30), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def image_upload(name="photo.png", fmt="PNG", **kwargs) -> SimpleUploadedFile:
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}.get(fmt, "")
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)
