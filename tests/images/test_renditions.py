"""Encoding renditions: upright, sRGB, and without a byte of the source's metadata."""

import io

import pytest
from PIL import Image as PillowImage
from PIL import ImageCms

from images.models import RenditionSpec
from images.renditions import encode, render, upright_rgb
from tests.images.factories import exif_with_gps, image_bytes


def spec(format, width, height, box):
    return RenditionSpec("original", format, width, height, box, "0" * 16)


def opened(data):
    picture = PillowImage.open(io.BytesIO(data))
    picture.load()
    return picture


@pytest.mark.parametrize("format", ["avif", "webp", "jpeg"])
def test_exif_and_gps_are_stripped_with_the_orientation_applied(format):
    # Orientation 6: the camera was turned; the stored 640 x 480 pixels show upright as 480 x 640.
    source = image_bytes("JPEG", 640, 480, exif=exif_with_gps(orientation=6), comment=b"secret")
    [(_, data)] = render(io.BytesIO(source), [spec(format, 240, 320, (0, 0, 480, 640))])
    result = opened(data)
    assert result.size == (240, 320)
    assert dict(result.getexif()) == {}
    assert result.getexif().get_ifd(0x8825) == {}
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(result.info)
    assert b"Test Camera Maker" not in data and b"secret" not in data


def test_upright_picture_keeps_the_turned_pixels():
    source = PillowImage.new("RGB", (40, 20), (255, 255, 255))
    source.paste((255, 0, 0), (0, 0, 10, 20))  # red on the left of the stored pixels
    out = io.BytesIO()
    source.save(out, "JPEG", exif=exif_with_gps(orientation=6), quality=95)
    upright = upright_rgb(opened(out.getvalue()))
    assert upright.size == (20, 40)
    red, green, _ = upright.getpixel((10, 5))  # orientation 6 turns the left edge to the top
    assert red > 200 and green < 60


def test_transparency_is_kept_in_webp_and_avif_and_flattened_on_white_in_jpeg():
    picture = PillowImage.new("RGBA", (32, 32), (0, 0, 0, 0))
    assert opened(encode(picture, "webp")).mode == "RGBA"
    assert opened(encode(picture, "avif")).mode == "RGBA"
    flat = opened(encode(picture, "jpeg"))
    assert flat.mode == "RGB"
    assert min(flat.getpixel((16, 16))) > 250


def test_cmyk_picture_with_a_profile_becomes_srgb():
    source = PillowImage.new("CMYK", (16, 16), (0, 255, 255, 0))  # red ink
    out = io.BytesIO()
    source.save(out, "JPEG")
    upright = upright_rgb(opened(out.getvalue()))
    assert upright.mode == "RGB"
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source_with_profile = io.BytesIO()
    PillowImage.new("RGB", (16, 16), (10, 200, 30)).save(
        source_with_profile, "PNG", icc_profile=profile
    )
    converted = upright_rgb(opened(source_with_profile.getvalue()))
    assert converted.info == {}
    assert converted.getpixel((8, 8)) == pytest.approx((10, 200, 30), abs=2)


def test_first_frame_of_an_animation_is_used():
    frames = [PillowImage.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    [(_, data)] = render(io.BytesIO(out.getvalue()), [spec("jpeg", 20, 20, (0, 0, 20, 20))])
    red, _, blue = opened(data).getpixel((10, 10))
    assert red > 200 and blue < 60


def test_each_width_of_a_crop_is_made_in_each_format():
    specs = [
        spec(format, width, width // 2, (0, 100, 800, 500))
        for width in (320, 640)
        for format in ("avif", "webp", "jpeg")
    ]
    made = list(render(io.BytesIO(image_bytes("PNG", 800, 600)), specs))
    assert sorted((s.format, opened(data).size) for s, data in made) == sorted(
        (s.format, (s.width, s.height)) for s in specs
    )
    assert {opened(data).format for _, data in made} == {"AVIF", "WEBP", "JPEG"}


def test_large_jpeg_decoded_at_a_smaller_scale_still_gives_exact_sizes_and_crops():
    source = PillowImage.new("RGB", (2400, 1600), (0, 0, 255))
    source.paste((255, 0, 0), (1200, 0, 2400, 1600))  # right half red
    out = io.BytesIO()
    source.save(out, "JPEG", quality=95)
    # The right half's square, at 320 pixels: a quarter-scale decode is enough for it.
    square = spec("jpeg", 320, 320, (1200, 0, 2400, 1200))
    [(_, data)] = render(io.BytesIO(out.getvalue()), [square])
    result = opened(data)
    assert result.size == (320, 320)
    red, _, blue = result.getpixel((160, 160))
    assert red > 200 and blue < 60
