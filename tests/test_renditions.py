"""Responsive images: renditions are made when an image is saved, never on a page view."""

import io
import re
import types
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from PIL import Image

from digests.models import Item
from digestsite.images import make_renditions
from tests.factories import image_bytes, image_upload, make_digest, make_item, make_section
from tests.test_images import GPS_IFD, exif_with_gps

pytestmark = pytest.mark.django_db


def open_stored(name):
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def item_with_image(section=None, size=(2000, 1000), fmt="JPEG", **fields):
    section = section or make_section(make_digest())
    upload = image_upload(f"photo.{fmt.lower()}", fmt=fmt, size=size)
    return make_item(section, image=upload, image_alt="A protest", **fields)


def widths(renditions, key):
    return [r["width"] for r in renditions[key]]


def img_tags(html):
    return re.findall(r"<img\b[^>]*>", html)


def test_renditions_are_made_when_the_image_is_saved():
    """A large photo is stored at 480, 960 and 1440 pixels wide, in WebP and as a JPEG."""
    item = item_with_image(size=(2000, 1000))
    renditions = Item.objects.get(pk=item.pk).image_renditions
    assert renditions["name"] == item.image.name
    assert (renditions["width"], renditions["height"]) == (2000, 1000)
    assert widths(renditions, "webp") == widths(renditions, "fallback") == [480, 960, 1440]
    for key, fmt in (("webp", "WEBP"), ("fallback", "JPEG")):
        for rendition in renditions[key]:
            image = open_stored(rendition["name"])
            assert image.format == fmt
            assert image.size == (rendition["width"], rendition["height"])
            assert rendition["height"] == rendition["width"] // 2


def test_small_images_are_never_upscaled():
    """An image narrower than every rendition width is kept at its own width, not enlarged."""
    item = item_with_image(size=(300, 200), fmt="PNG")
    renditions = item.image_renditions
    assert widths(renditions, "webp") == widths(renditions, "fallback") == [300]
    assert open_stored(renditions["fallback"][0]["name"]).format == "PNG"
    medium = item_with_image(size=(1000, 500)).image_renditions
    assert widths(medium, "webp") == [480, 960, 1000]


def test_renditions_carry_no_metadata():
    """No rendition of a photo carries its EXIF data, GPS position above all."""
    item = item_with_image(size=(1200, 900))
    item.image = ContentFile(image_bytes("JPEG", size=(1200, 900), exif=exif_with_gps()), "g.jpg")
    item.save()
    names = [r["name"] for key in ("webp", "fallback") for r in item.image_renditions[key]]
    assert len(names) == 6
    for name in names:
        image = open_stored(name)
        assert not image.getexif() and not image.getexif().get_ifd(GPS_IFD)
        assert "exif" not in image.info and "xmp" not in image.info


def test_renditions_of_an_unstripped_file_carry_no_metadata():
    """Even from a file that still has EXIF data, renditions are made from pixels alone."""
    data = image_bytes("JPEG", size=(600, 400), exif=exif_with_gps())
    name = default_storage.save("raw/gps.jpg", ContentFile(data))
    assert open_stored(name).getexif().get_ifd(GPS_IFD)
    renditions = make_renditions(types.SimpleNamespace(storage=default_storage, name=name))
    for rendition in renditions["webp"] + renditions["fallback"]:
        image = open_stored(rendition["name"])
        assert not image.getexif() and "exif" not in image.info


def test_gif_is_kept_as_it_is_with_its_size():
    """A GIF (perhaps animated) is shown as uploaded, with its width and height."""
    item = item_with_image(size=(600, 300), fmt="GIF")
    assert item.image_renditions["webp"] == []
    assert item.image_renditions["fallback"] == [
        {"name": item.image.name, "width": 600, "height": 300}
    ]


def test_digest_page_serves_webp_and_srcset_with_sizes(client):
    """The page offers WebP and smaller files to narrow screens, with the image's size set."""
    digest = make_digest()
    digest.cover_image = image_upload("cover.jpg", fmt="JPEG", size=(1600, 800))
    digest.cover_alt = "The square"
    digest.save()
    section = make_section(digest)
    item_with_image(section, size=(1000, 500), order=0)
    item_with_image(section, size=(1000, 500), order=1)
    html = client.get(digest.get_absolute_url()).content.decode()
    assert html.count("<picture>") == 3
    sources = re.findall(r'<source type="image/webp" srcset="([^"]+)" sizes="[^"]+">', html)
    assert len(sources) == 3
    assert re.search(r"\.webp 480w, \S+\.webp 960w, \S+\.webp 1440w", sources[0])
    assert re.search(r"\.webp 480w, \S+\.webp 960w, \S+\.webp 1000w", sources[1])
    cover, first, second = img_tags(html)
    for tag in (cover, first, second):
        assert re.search(r'srcset="[^"]+\.jpg 480w', tag) and 'sizes="' in tag
        assert 'decoding="async"' in tag
    assert 'width="1440" height="720"' in cover and 'alt="The square"' in cover
    assert 'width="1000" height="500"' in first and 'alt="A protest"' in first
    assert 'loading="eager"' in cover and 'loading="eager"' in first
    assert 'loading="lazy"' in second


def test_caption_and_credit_stay_under_the_image(client):
    """Captions and credits are still shown with responsive images."""
    item = item_with_image(caption="Marchers in Minsk", credit="Photo: A. B.")
    html = client.get(item.section.digest.get_absolute_url()).content.decode()
    assert re.search(r"</picture>\s*<figcaption>Marchers in Minsk <span class=\"credit\">", html)


def test_page_views_do_no_image_work(client):
    """Showing a digest never opens or resizes an image: that happened when it was saved."""
    item = item_with_image()
    with (
        mock.patch("PIL.Image.open", side_effect=AssertionError("image opened")),
        mock.patch.object(type(storages["default"]), "open", side_effect=AssertionError("read")),
    ):
        response = client.get(item.section.digest.get_absolute_url())
    assert response.status_code == 200 and b"<picture>" in response.content


def test_replacing_the_image_replaces_its_renditions(client):
    """After a new photo is uploaded, the page shows only the new photo's files."""
    item = item_with_image(size=(1000, 500))
    old = [r["name"] for r in item.image_renditions["fallback"] + item.image_renditions["webp"]]
    item.image = image_upload("new.png", fmt="PNG", size=(800, 600))
    item.save()
    item.refresh_from_db()
    assert item.image_renditions["name"] == item.image.name
    assert widths(item.image_renditions, "fallback") == [480, 800]
    html = client.get(item.section.digest.get_absolute_url()).content.decode()
    assert 'width="800" height="600"' in html
    assert not any(name in html for name in old)


def test_removing_the_image_leaves_a_working_page(client):
    """Clearing an item's image removes the figure; the page still works."""
    item = item_with_image()
    item.image = None
    item.image_alt = ""
    item.save()
    item.refresh_from_db()
    assert item.image_renditions == {}
    response = client.get(item.section.digest.get_absolute_url())
    assert response.status_code == 200
    assert b"<picture>" not in response.content and b"<figure" not in response.content


def test_image_saved_before_renditions_existed_still_shows(client):
    """An image without renditions is shown as it is, with its size."""
    item = item_with_image(size=(700, 350))
    Item.objects.filter(pk=item.pk).update(image_renditions={})
    html = client.get(item.section.digest.get_absolute_url()).content.decode()
    (tag,) = img_tags(html)
    assert f'src="{item.image.url}"' in tag and 'width="700" height="350"' in tag


@pytest.mark.parametrize("n_items", [1, 20])
def test_digest_page_with_images_query_count(client, django_assert_num_queries, n_items):
    """Images cost no queries: a digest full of photos is the same few queries."""
    section = make_section(make_digest())
    for i in range(n_items):
        item_with_image(section, size=(500, 250), order=i)
    with django_assert_num_queries(6):  # digest, sections, items, tags, metrics, versions
        assert client.get(section.digest.get_absolute_url()).status_code == 200
