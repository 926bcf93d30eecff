"""What an upload is decided by its content: each refusal names the problem."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image as PillowImage
from PIL import PngImagePlugin

from images.uploads import inspect_upload, safe_name
from tests.images.factories import exif_with_gps, image_bytes, picture, upload

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script></svg>"
)


def refusal(file):
    with pytest.raises(ValidationError) as caught:
        inspect_upload(file)
    return caught.value


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP", "AVIF", "GIF"])
def test_each_accepted_format_is_described_by_its_content(format):
    info = inspect_upload(upload(format=format, width=300, height=200))
    assert (info.format, info.width, info.height) == (format, 300, 200)
    assert info.content_type == f"image/{format.lower()}"
    assert len(info.sha256) == 64


def test_content_decides_the_type_and_the_stored_extension_not_the_name():
    info = inspect_upload(upload(image_bytes("PNG"), name="holiday.jpg"))
    assert info.format == "PNG"
    assert info.name == "holiday.png"


def test_jpeg_with_a_second_picture_from_a_phone_is_a_jpeg():
    out = io.BytesIO()
    picture(200, 100).save(out, "MPO", save_all=True, append_images=[picture(200, 100)])
    info = inspect_upload(upload(out.getvalue(), name="phone.jpg"))
    assert (info.format, info.content_type, info.name) == ("JPEG", "image/jpeg", "phone.jpg")


def test_picture_turned_by_its_exif_orientation_is_measured_upright():
    data = image_bytes("JPEG", 640, 480, exif=exif_with_gps(orientation=6))
    info = inspect_upload(upload(data))
    assert (info.width, info.height) == (480, 640)


def test_svg_is_refused_even_named_as_a_png():
    error = refusal(upload(SVG, name="logo.png"))
    assert error.code == "svg"
    assert "SVG files are not accepted" in error.messages[0]


def test_svg_behind_an_xml_declaration_and_a_byte_order_mark_is_refused():
    data = b'\xef\xbb\xbf  <?xml version="1.0"?>\n<!-- a comment -->\n' + SVG
    assert refusal(upload(data, name="chart.svg")).code == "svg"


def test_html_page_named_as_a_jpeg_is_refused_as_a_web_page():
    error = refusal(upload(b"<!DOCTYPE html><html><body>hello</body></html>", name="a.jpg"))
    assert error.code == "markup"
    assert "not an image" in error.messages[0]


@pytest.mark.parametrize(
    ("format", "data"),
    [("BMP", image_bytes("BMP")), ("TIFF", image_bytes("TIFF")), ("PDF", b"%PDF-1.7\n%\xe2\xe3")],
)
def test_formats_outside_the_list_are_refused_though_pillow_may_read_them(format, data):
    error = refusal(upload(data, name=f"file.{format.lower()}"))
    assert error.code == "unsupported"
    assert "JPEG, PNG, WebP, AVIF or GIF" in error.messages[0]


# Polyglots: files that Pillow opens and verifies as good images, and that a browser would also
# run as a page or script if it were ever sniffed or served with the wrong type.
def gif_with_script_in_a_comment():
    out = io.BytesIO()
    picture(64, 64, "P").save(out, "GIF", comment=b"<script>alert(document.cookie)</script>")
    return out.getvalue()


def jpeg_with_a_page_in_a_comment_segment():
    return image_bytes("JPEG", comment=b"<html><body><img src=x onerror=alert(1)></body></html>")


def png_with_markup_in_a_text_chunk():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    return image_bytes("PNG", pnginfo=text)


def jpeg_with_a_page_after_its_end():
    return image_bytes("JPEG") + b"<html><script src=//evil.example/x.js></script></html>"


def webp_with_a_handler_in_its_xmp():
    return image_bytes("WEBP", xmp=b'<x:xmpmeta><div class="a" onmouseover="alert(1)">')


def png_with_a_javascript_link():
    text = PngImagePlugin.PngInfo()
    text.add_itxt("URL", "javascript:alert(1)")
    return image_bytes("PNG", pnginfo=text)


@pytest.mark.parametrize(
    "make",
    [
        gif_with_script_in_a_comment,
        jpeg_with_a_page_in_a_comment_segment,
        png_with_markup_in_a_text_chunk,
        jpeg_with_a_page_after_its_end,
        webp_with_a_handler_in_its_xmp,
        png_with_a_javascript_link,
    ],
)
def test_polyglot_that_pillow_accepts_as_an_image_is_refused(make):
    data = make()
    with PillowImage.open(io.BytesIO(data)) as check:  # the premise: a valid picture
        check.verify()
    error = refusal(upload(data))
    assert error.code == "polyglot"
    assert "script code" in error.messages[0]


def test_marker_split_across_two_read_chunks_is_still_found(monkeypatch):
    monkeypatch.setattr("images.uploads.SCAN_CHUNK", 1000)
    data = image_bytes("JPEG")
    data += b"x" * (1000 - len(data) % 1000 - 3) + b"<script>"
    assert refusal(upload(data)).code == "polyglot"


def test_ordinary_xmp_metadata_is_not_mistaken_for_a_polyglot():
    xmp = (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements'
        b'/1.1/"><dc:creator>Ana</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>'
        b'<?xpacket end="w"?>'
    )
    assert inspect_upload(upload(image_bytes("JPEG", xmp=xmp))).format == "JPEG"


def test_picture_over_the_pixel_cap_is_refused_from_its_header():
    with override_settings(NEWSROOM_IMAGES_MAX_PIXELS=1_000_000):
        error = refusal(upload(image_bytes("PNG", 1001, 1000, mode="1")))
    assert error.code == "too_many_pixels"
    assert "(1001 × 1000)" in error.messages[0]
    assert "limit is 1 megapixels" in error.messages[0]


def test_decompression_bomb_beyond_pillows_own_limit_is_refused():
    # 144 megapixels of one colour: a few kilobytes on disk, 144 MB once decoded.
    out = io.BytesIO()
    PillowImage.new("1", (12_000, 12_000)).save(out, "PNG")
    data = out.getvalue()
    assert len(data) < 100_000
    assert refusal(upload(data)).code == "too_many_pixels"


def test_file_over_the_byte_cap_is_refused_before_it_is_read():
    with override_settings(NEWSROOM_IMAGES_MAX_BYTES=1024 * 1024):
        error = refusal(upload(b"\xff" * (3 * 1024 * 1024), name="big.jpg"))
    assert error.code == "too_large"
    assert error.messages[0] == "This file is 3 MB; images may be at most 1 MB."


def test_empty_file_is_refused():
    assert refusal(SimpleUploadedFile("a.jpg", b"")).code == "empty"


def test_truncated_picture_is_refused_as_damaged():
    data = image_bytes("PNG", 400, 300)
    error = refusal(upload(data[: len(data) // 2], name="cut.png"))
    assert error.code == "damaged"


def test_inspection_leaves_the_file_rewound_for_storing():
    file = upload()
    inspect_upload(file)
    assert file.tell() == 0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\ana\\Harbour at dawn.JPG", "Harbour_at_dawn.jpg"),
        ("<script>.png", "script.jpg"),
        ("...", "image.jpg"),
        ("", "image.jpg"),
        ("a" * 300 + ".jpeg", "a" * 76 + ".jpg"),
        (".htaccess", "htaccess.jpg"),
    ],
)
def test_file_names_are_made_safe_to_store(name, expected):
    assert safe_name(name, "jpg") == expected


def test_truncated_jpeg_is_refused_as_damaged():
    data = image_bytes("JPEG", 800, 600)
    assert refusal(upload(data[: len(data) * 2 // 3], name="cut.jpg")).code == "damaged"
