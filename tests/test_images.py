import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from digestsite.images import strip_metadata, validate_image
from tests.factories import image_bytes, image_upload

GPS_IFD = 0x8825


def exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (53.0, 54.0, 0.0), 3: "E", 4: (27.0, 33.0, 0.0)})
    return exif


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_accepted_formats(fmt):
    """JPEG, PNG, WebP and GIF images are accepted."""
    validate_image(SimpleUploadedFile("a", image_bytes(fmt)))


def test_not_an_image_is_refused_with_reason():
    """A text file renamed .jpg is refused with a message saying it is not an image."""
    with pytest.raises(ValidationError) as excinfo:
        validate_image(SimpleUploadedFile("a.jpg", b"hello, this is text"))
    assert "not a readable image" in excinfo.value.messages[0]


def test_other_formats_are_refused():
    """A BMP or TIFF is refused with a message naming the accepted formats."""
    with pytest.raises(ValidationError) as excinfo:
        validate_image(SimpleUploadedFile("a.bmp", image_bytes("BMP")))
    assert "JPEG, PNG, WebP or GIF" in excinfo.value.messages[0]


def test_oversize_file_is_refused(settings):
    """A file over the byte limit is refused, with both sizes in the message."""
    settings.IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as excinfo:
        validate_image(image_upload())
    assert "at most 100" in excinfo.value.messages[0]


def test_decompression_bomb_is_refused_before_decoding(settings):
    """An image with too many pixels is refused from its header, before it is decoded."""
    settings.IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as excinfo:
        validate_image(SimpleUploadedFile("big.png", image_bytes("PNG", size=(2000, 1000))))
    assert "2000 × 1000" in excinfo.value.messages[0]


def test_truncated_image_is_refused():
    """A damaged upload is refused rather than stored."""
    data = image_bytes("PNG", size=(200, 200))
    with pytest.raises(ValidationError):
        validate_image(SimpleUploadedFile("cut.png", data[: len(data) // 2]))


def test_metadata_is_stripped_gps_above_all():
    """A photo's GPS position and camera data never reach the public."""
    data = image_bytes("JPEG", exif=exif_with_gps())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)
    cleaned = strip_metadata(SimpleUploadedFile("p.jpg", data))
    image = Image.open(io.BytesIO(cleaned.read()))
    assert not image.getexif()
    assert image.size == (40, 30)


def animated_gif(frames, size):
    out = io.BytesIO()
    images = [Image.new("RGB", size, (n * 20 % 256, 0, 0)) for n in range(frames)]
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=50)
    return out.getvalue()


def test_animation_with_too_many_pixels_in_all_is_refused_before_decoding(settings):
    """A small animated GIF whose frames add up to more than the pixel limit is refused at
    once, instead of keeping a worker busy decoding it for many seconds."""
    settings.IMAGE_MAX_PIXELS = 10_000
    data = animated_gif(frames=10, size=(50, 50))
    with Image.open(io.BytesIO(data)) as image:
        assert image.n_frames == 10
    with pytest.raises(ValidationError) as excinfo:
        validate_image(SimpleUploadedFile("moving.gif", data, content_type="image/gif"))
    assert excinfo.value.code == "image_too_many_pixels"
    assert "10 frames" in excinfo.value.messages[0]
    validate_image(SimpleUploadedFile("short.gif", animated_gif(3, (50, 50))))
