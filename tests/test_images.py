import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from digests.models import Item
from digestsite.images import strip_metadata, validate_image
from tests.factories import (
    image_bytes,
    image_upload,
    make_digest,
    make_item,
    make_organization,
    make_person,
    make_section,
)

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


JPEG_COMMENT = b"\xff\xfe"  # the COM segment's marker
GIF_COMMENT = b"\x21\xfe"  # the comment extension's introducer and label


def commented(fmt, frames=1):
    """A small image in `fmt` with a comment naming its author."""
    out = io.BytesIO()
    images = [Image.new("RGB", (40, 30), (200, 30, 30 + n)) for n in range(frames)]
    extra = {"save_all": True, "append_images": images[1:]} if frames > 1 else {}
    images[0].save(out, format=fmt, comment=b"Taken by SOURCE-NAME in Minsk", **extra)
    data = out.getvalue()
    assert b"SOURCE-NAME" in data
    return data


def assert_no_comment(data):
    assert b"SOURCE-NAME" not in data
    assert JPEG_COMMENT not in data and GIF_COMMENT not in data


@pytest.mark.parametrize(("fmt", "frames"), [("JPEG", 1), ("GIF", 1), ("GIF", 3)])
def test_image_comments_are_stripped(fmt, frames):
    """A JPEG or GIF comment (which may name the photographer or the place) never reaches the
    public: the re-encoded image has none."""
    cleaned = strip_metadata(SimpleUploadedFile("p.img", commented(fmt, frames)))
    assert_no_comment(cleaned.read())


def with_every_kind_of_metadata(fmt):
    """A small image in `fmt` carrying every kind of metadata the format holds (EXIF with a
    GPS position, XMP, a colour profile, comments, PNG text), each naming its source."""
    secret = "SOURCE-NAME"
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{secret}</x:xmpmeta>'.encode()
    exif = exif_with_gps()
    exif[0x010E] = secret  # ImageDescription
    extra = {"exif": exif.tobytes(), "icc_profile": profile + secret.encode()}
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", secret)
        text.add_itxt("XML:com.adobe.xmp", xmp.decode())
        extra["pnginfo"] = text
    elif fmt == "GIF":
        extra = {"comment": secret.encode()}
    else:
        extra.update(xmp=xmp)
        if fmt == "JPEG":
            extra["comment"] = secret.encode()
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format=fmt, **extra)
    data = out.getvalue()
    assert secret.encode() in data
    return data


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_no_metadata_survives_in_any_format(fmt):
    """No kind of metadata an image may carry (a colour profile's text included) reaches the
    public in any accepted format: the stored image has pixels only."""
    cleaned = strip_metadata(SimpleUploadedFile("p.img", with_every_kind_of_metadata(fmt)))
    data = cleaned.read()
    assert b"SOURCE-NAME" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == fmt
        assert not image.getexif()
        assert not set(image.info) & {"icc_profile", "xmp", "XML:com.adobe.xmp", "comment"}
    for chunk in (b"iCCP", b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"ICCP", b"EXIF", b"XMP "):
        assert chunk not in data, chunk


def stored_names():
    """Every file in the media storage, as a path relative to it."""

    def walk(folder):
        subfolders, files = default_storage.listdir(folder)
        for name in files:
            yield f"{folder}/{name}".lstrip("/")
        for sub in subfolders:
            yield from walk(f"{folder}/{sub}".lstrip("/"))

    return list(walk(""))


RANDOM_NAME = r"[0-9a-f]{32}(-\d+w)?\.(jpg|gif|png|webp)"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["JPEG", "GIF"])
def test_model_images_are_stored_re_encoded_under_a_random_name(client, fmt):
    """A cover, an item image, a portrait or a logo is stored only as the re-encoded image,
    under a random name: neither its uploaded name (which may say who or where) nor its
    comment reaches a public address or file."""

    def upload():
        return SimpleUploadedFile("PWNED-source-name.img", commented(fmt))

    before = set(stored_names())
    digest = make_digest(cover_image=upload(), cover_alt="Cover")
    make_item(make_section(digest), image=upload(), image_alt="A protest")
    person = make_person("Pavel Latushka", photo=upload(), photo_alt="Portrait")
    organization = make_organization("Coordination Council", logo=upload(), logo_alt="Logo")
    item = Item.objects.get()
    for file in (digest.cover_image, item.image, person.photo, organization.logo):
        assert re.fullmatch(rf"[a-z]+/(\d+/)+{RANDOM_NAME}", file.name), file.name
    new = set(stored_names()) - before
    assert new and all(re.fullmatch(rf".*/{RANDOM_NAME}", name) for name in new), new
    for name in new:
        with default_storage.open(name, "rb") as handle:
            assert_no_comment(handle.read())
    person.public_profile = organization.public_profile = True
    person.save()
    organization.save()
    for entity_or_digest in (digest, person, organization):
        response = client.get(entity_or_digest.get_absolute_url())
        assert response.status_code == 200
        assert "PWNED" not in response.content.decode()


@pytest.mark.django_db
def test_editor_images_are_stored_re_encoded_under_a_random_name(staff_client):
    """An image uploaded in the rich-text editor is stored without its comment, under a
    random name."""
    for fmt in ("JPEG", "GIF"):
        response = staff_client.post(
            "/editor/upload/", {"upload": SimpleUploadedFile("PWNED.img", commented(fmt))}
        )
        url = response.json()["url"]
        assert re.fullmatch(rf"/media/editor/\d{{4}}/\d{{2}}/{RANDOM_NAME}", url), url
        with default_storage.open(url.removeprefix("/media/"), "rb") as handle:
            assert_no_comment(handle.read())


def test_truncated_image_is_refused_with_a_clear_message():
    """A cut-off image file is refused as unreadable when uploaded, not a server error when
    saved."""
    import io

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from digestsite.images import validate_image
    from tests.factories import image_bytes

    whole = image_bytes("JPEG", size=(300, 300))
    cut = SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2], content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not a readable image"):
        validate_image(cut)
    assert io.BytesIO(whole).read(2) == b"\xff\xd8"
