"""Image upload rules shared by model image fields and the editor's upload endpoint.

An upload must be a real JPEG, PNG, WebP or GIF image within the byte and pixel limits
(a decompression bomb is refused before it is decoded). Only the re-encoded image is stored,
under a random name, without metadata or comment: neither EXIF data such as a GPS position
nor the uploaded file's name (which may name a source or a place) ever reaches the public.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def validate_image(upload) -> None:
    """Raise ValidationError saying why `upload` is not an acceptable image."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; images may be at most %(limit)s."),
            code="image_too_large",
            params={
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.IMAGE_MAX_BYTES),
            },
        )
    position = upload.tell() if hasattr(upload, "tell") else None
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            width, height = image.size
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("This is a %(format)s file; upload a JPEG, PNG, WebP or GIF image."),
                    code="image_format",
                    params={"format": fmt or _("unknown")},
                )
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _(
                        "This image is %(width)s × %(height)s pixels; images may have at most "
                        "%(limit)s million pixels."
                    ),
                    code="image_too_many_pixels",
                    params={
                        "width": width,
                        "height": height,
                        "limit": settings.IMAGE_MAX_PIXELS // 1_000_000,
                    },
                )
            # Every frame of an animation is decoded when it is re-encoded: frames × pixels
            # is the work. Frames are counted from their headers, none is decoded here.
            frames = getattr(image, "n_frames", 1)
            if frames > 1 and frames * width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _(
                        "This animation has %(frames)s frames of %(width)s × %(height)s pixels; "
                        "all frames together may have at most %(limit)s million pixels."
                    ),
                    code="image_too_many_pixels",
                    params={
                        "frames": frames,
                        "width": width,
                        "height": height,
                        "limit": settings.IMAGE_MAX_PIXELS // 1_000_000,
                    },
                )
            image.verify()
        # verify() reads no pixels: a truncated image is refused here, not when it is saved.
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:  # fmt: skip
        raise ValidationError(
            _("This file is not a readable image (%(reason)s). Upload a JPEG, PNG, WebP or GIF."),
            code="image_invalid",
            params={"reason": type(exc).__name__ if not str(exc) else str(exc)[:120]},
        ) from None
    finally:
        if position is not None:
            upload.seek(position)


def strip_metadata(upload) -> ContentFile:
    """Re-encode `upload` without any metadata (EXIF, XMP, comments, colour profile),
    orientation applied, named at random (a uuid4 in hex with the format's extension): the
    uploaded name is not kept."""
    upload.seek(0)
    with Image.open(upload) as image:
        fmt = image.format
        out = io.BytesIO()
        # Pillow writes the source's JPEG or GIF comment, and a PNG's colour profile (whose
        # description is free text), again unless told to write none.
        if fmt == "GIF":
            frames = getattr(image, "n_frames", 1)
            image.save(out, format="GIF", save_all=frames > 1, comment=b"")
        else:
            image = ImageOps.exif_transpose(image)
            if fmt == "JPEG":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(out, format="JPEG", quality=90, optimize=True, comment=b"")
            elif fmt == "WEBP":
                image.save(out, format="WEBP", quality=90)
            else:
                image.save(out, format="PNG", optimize=True, icc_profile=None)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[fmt]}")


class SafeImageField(models.ImageField):
    """An ImageField that validates uploads with `validate_image` and, when they are first
    saved, stores only their re-encoded image under a random name (`strip_metadata`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [])
        kwargs["validators"] = [*kwargs["validators"], validate_image]
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["validators"] = [v for v in kwargs.get("validators", []) if v is not validate_image]
        if not kwargs["validators"]:
            del kwargs["validators"]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            cleaned = strip_metadata(file.file)
            file.save(cleaned.name, cleaned, save=False)
        return super().pre_save(model_instance, add)


# Responsive images: renditions are made once, when the image is saved, and their names and
# sizes stored beside it, so a page view neither reads nor resizes an image.

RENDITION_WIDTHS = (480, 960, 1440)
_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def rendition_widths(width: int) -> list[int]:
    """The widths to make for an image `width` pixels wide: never wider than the original."""
    largest = min(width, RENDITION_WIDTHS[-1])
    return sorted({w for w in RENDITION_WIDTHS if w < largest} | {largest})


def _encode(image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image = image if image.mode in ("RGB", "L") else image.convert("RGB")
        image.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(out, format="WEBP", quality=80, method=4)
    else:
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def make_renditions(file) -> dict:
    """Resize the saved image `file` to `rendition_widths`, in WebP and in its own format,
    store each rendition beside it and return their names and sizes (JSON).

    Renditions carry no metadata: each is a new image with only pixels. GIFs (possibly
    animated) are left as they are, with their size recorded.
    """
    storage, name = file.storage, file.name
    with storage.open(name, "rb") as handle, Image.open(handle) as source:
        fmt = source.format
        width, height = source.size
        result = {
            "name": name,
            "width": width,
            "height": height,
            "type": _MIME.get(fmt, ""),
            "webp": [],
            "fallback": [{"name": name, "width": width, "height": height}],
        }
        if fmt == "GIF":
            return result
        pixels = ImageOps.exif_transpose(source)
        width, height = pixels.size
        result.update(width=width, height=height)
        if pixels.mode not in ("RGB", "RGBA", "L", "LA"):
            pixels = pixels.convert("RGBA" if "transparency" in source.info else "RGB")
        stem = name.rsplit(".", 1)[0]
        fallback, webp = [], []
        for w in rendition_widths(width):
            h = max(1, round(height * w / width))
            resized = pixels if w == width else pixels.resize((w, h), Image.Resampling.LANCZOS)
            # A fresh image holds the pixels and nothing else (no EXIF, XMP, ICC or comments).
            clean = Image.new(resized.mode, resized.size)
            clean.paste(resized)
            for target, formats in ((webp, "WEBP"), (fallback, fmt)):
                if target is webp and fmt == "WEBP":
                    continue
                ext = ALLOWED_FORMATS[formats]
                saved = storage.save(
                    f"{stem}-{w}w.{ext}", ContentFile(_encode(clean, formats), name=f"x.{ext}")
                )
                target.append({"name": saved, "width": w, "height": h})
        result.update(webp=webp, fallback=fallback)
    return result


class RenditionsField(models.JSONField):
    """The renditions of the image in the model field `source`, remade whenever that image
    changes (on save, never on a page view); empty when there is no image."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, value in (("default", dict), ("blank", True), ("editable", False)):
            if kwargs.get(key) == value:
                del kwargs[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.source)
        value = {}
        if file:
            if not file._committed:
                # Store (and strip) the upload first, whatever the order of the fields.
                model_instance._meta.get_field(self.source).pre_save(model_instance, add)
                file = getattr(model_instance, self.source)
            value = getattr(model_instance, self.attname) or {}
            if value.get("name") != file.name:
                value = make_renditions(file)
        setattr(model_instance, self.attname, value)
        return value


class Picture:
    """What a template needs to show an image with its renditions: `src`, `srcset`,
    `webp_srcset`, `width`, `height`. Only builds URLs: no storage or image access, except
    for an image saved before renditions existed."""

    def __init__(self, file, renditions):
        self.file = file
        data = renditions or {}
        self.current = bool(file) and data.get("name") == file.name and data.get("fallback")
        self.data = data if self.current else {}

    def __bool__(self):
        return bool(self.file)

    def _srcset(self, key):
        url = self.file.storage.url
        return ", ".join(f"{url(r['name'])} {r['width']}w" for r in self.data.get(key, []))

    @property
    def largest(self):
        return self.data["fallback"][-1] if self.current else None

    @property
    def src(self):
        return self.file.storage.url(self.largest["name"]) if self.current else self.file.url

    @property
    def srcset(self):
        return self._srcset("fallback")

    @property
    def webp_srcset(self):
        return self._srcset("webp")

    @property
    def width(self):
        return self.largest["width"] if self.current else self.file.width

    @property
    def height(self):
        return self.largest["height"] if self.current else self.file.height
