"""Image upload rules shared by model image fields and the editor's upload endpoint.

An upload must be a real JPEG, PNG, WebP or GIF image within the byte and pixel limits
(a decompression bomb is refused before it is decoded). Accepted images are re-encoded
without metadata, so EXIF data such as a GPS position never reaches the public.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def validate_image(upload) -> None:
    """Raise ValidationError saying why `upload` is not an acceptable image."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            "This file is %(size)s; images may be at most %(limit)s.",
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
                    "This is a %(format)s file; upload a JPEG, PNG, WebP or GIF image.",
                    code="image_format",
                    params={"format": fmt or "unknown"},
                )
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    "This image is %(width)s × %(height)s pixels; images may have at most "
                    "%(limit)s million pixels.",
                    code="image_too_many_pixels",
                    params={
                        "width": width,
                        "height": height,
                        "limit": settings.IMAGE_MAX_PIXELS // 1_000_000,
                    },
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:  # fmt: skip
        raise ValidationError(
            "This file is not a readable image (%(reason)s). Upload a JPEG, PNG, WebP or GIF.",
            code="image_invalid",
            params={"reason": type(exc).__name__ if not str(exc) else str(exc)[:120]},
        ) from None
    finally:
        if position is not None:
            upload.seek(position)


def strip_metadata(upload) -> ContentFile:
    """Re-encode `upload` without any metadata (EXIF, XMP, comments), orientation applied."""
    upload.seek(0)
    with Image.open(upload) as image:
        fmt = image.format
        out = io.BytesIO()
        if fmt == "GIF":
            frames = getattr(image, "n_frames", 1)
            image.save(out, format="GIF", save_all=frames > 1)
        else:
            image = ImageOps.exif_transpose(image)
            if fmt == "JPEG":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(out, format="JPEG", quality=90, optimize=True)
            elif fmt == "WEBP":
                image.save(out, format="WEBP", quality=90)
            else:
                image.save(out, format="PNG", optimize=True)
    name = getattr(upload, "name", "") or "image"
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{ALLOWED_FORMATS[fmt]}")


class SafeImageField(models.ImageField):
    """An ImageField that validates uploads with `validate_image` and strips their metadata
    when they are first saved."""

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
