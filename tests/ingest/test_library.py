"""WordPress pictures brought into the image library from a copy of the uploads folder."""

import socket

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from PIL import Image as PillowImage

from articles.models import Article
from images.models import Image
from images.services import image_delete
from ingest.models import ImportedImage
from ingest.wordpress import WxrOptions, import_wxr
from tests.ingest.test_wordpress import THEME_TEST, database_counts, needs_theme_test

pytestmark = pytest.mark.django_db

SITE = "https://gazette.example"
UPLOADS = f"{SITE}/wp-content/uploads"


def attachment(wp_id, path, *, alt="", caption="", parent=20):
    alt_meta = (
        f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>"
        if alt
        else ""
    )
    return (
        f"<item><title>Picture {wp_id}</title><wp:post_id>{wp_id}</wp:post_id>"
        f"<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>"
        f"<wp:post_parent>{parent}</wp:post_parent><wp:post_type>attachment</wp:post_type>"
        f"<wp:status>inherit</wp:status><wp:attachment_url>{UPLOADS}/{path}</wp:attachment_url>"
        f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{path}]]></wp:meta_value></wp:postmeta>{alt_meta}</item>"
    )


def post(wp_id, title, body, *, thumbnail=None):
    thumb = (
        f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        f"<wp:meta_value>{thumbnail}</wp:meta_value></wp:postmeta>"
        if thumbnail
        else ""
    )
    return (
        f"<item><title>{title}</title><content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<wp:post_id>{wp_id}</wp:post_id><wp:post_name>post-{wp_id}</wp:post_name>"
        f"<wp:post_date_gmt>2024-03-05 08:30:00</wp:post_date_gmt>"
        f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>{thumb}</item>"
    )


def export(*items):
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url>"
        + "".join(items)
        + "</channel></rss>"
    )


HARBOUR = attachment(
    10, "2019/01/harbour.jpg", alt="Fishing boats moored at dawn", caption="The harbour at dawn"
)
CAPTIONED = (
    '<p>The council met.</p>[caption id="attachment_10" align="alignnone" width="300"]'
    f'<a href="{UPLOADS}/2019/01/harbour.jpg"><img src="{UPLOADS}/2019/01/harbour-300x200.jpg" '
    'alt="Harbour" class="wp-image-10" /></a> Boats at first light[/caption]'
    "<p>The vote was close.</p>"
)


def picture(path, size=(60, 40), colour="navy", format="JPEG"):
    path.parent.mkdir(parents=True, exist_ok=True)
    PillowImage.new("RGB", size, colour).save(path, format)
    return path


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    picture(folder / "2019" / "01" / "harbour.jpg")
    picture(folder / "2019" / "01" / "harbour-300x200.jpg", colour="red")
    return folder


def run(tmp_path, uploads, *items, **options):
    path = tmp_path / "export.xml"
    path.write_text(export(*items))
    uploads = str(uploads) if uploads else None
    return import_wxr(path, options=WxrOptions(uploads=uploads, **options))


def test_featured_image_becomes_the_lead_image_with_the_attachments_alt_text(tmp_path, uploads):
    summary = run(tmp_path, uploads, HARBOUR, post(20, "Harbour vote", "<p>Text.</p>",
                                                   thumbnail=10))  # fmt: skip
    article = Article.objects.get(headline="Harbour vote")
    image = article.lead_image
    assert (image.alt_text, image.caption, image.title) == (
        "Fishing boats moored at dawn",
        "The harbour at dawn",
        "Picture 10",
    )
    assert (image.width, image.height, image.format) == (60, 40, "JPEG")
    assert summary.extra["images put in the library"] == 1


def test_a_captioned_body_image_is_placed_from_the_library_not_hot_linked(
    tmp_path, uploads, client
):
    run(tmp_path, uploads, HARBOUR, post(20, "Harbour vote", CAPTIONED))
    article = Article.objects.get()
    image = Image.objects.get()
    assert article.body == (
        f"The council met.\n\n![[image:{image.pk}|Boats at first light]]\n\nThe vote was close."
    )
    assert article.body_images == {str(image.pk): 1}
    # The original, not the resized copy the post showed.
    assert image.width == 60
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'alt="Fishing boats moored at dawn"' in page
    assert "Boats at first light" in page
    assert "gazette.example/wp-content" not in page


def test_a_captioned_block_gallery_places_each_picture_then_its_caption(tmp_path, uploads):
    picture(uploads / "2019" / "01" / "quay.jpg")
    gallery = (
        '<figure class="wp-block-gallery"><figure class="wp-block-image">'
        f'<img src="{UPLOADS}/2019/01/harbour.jpg" class="wp-image-10"></figure>'
        f'<figure class="wp-block-image"><img src="{UPLOADS}/2019/01/quay.jpg" alt="The quay">'
        "<figcaption>At night</figcaption></figure>"
        '<figcaption class="blocks-gallery-caption">The harbour in winter</figcaption></figure>'
    )
    run(tmp_path, uploads, HARBOUR, post(20, "Gallery", gallery))
    harbour, quay = Image.objects.order_by("pk")
    assert Article.objects.get().body == (
        f"![[image:{harbour.pk}]]\n\n![[image:{quay.pk}|At night]]\n\n*The harbour in winter*"
    )


def test_a_picture_shown_by_two_posts_joins_the_library_once(tmp_path, uploads):
    run(
        tmp_path, uploads, HARBOUR,
        post(20, "Harbour vote", CAPTIONED, thumbnail=10),
        post(21, "Harbour follow-up", f'<p><img src="{UPLOADS}/2019/01/harbour.jpg" alt=""></p>',
             thumbnail=10),
    )  # fmt: skip
    image = Image.objects.get()
    follow_up = Article.objects.get(headline="Harbour follow-up")
    assert follow_up.lead_image == image
    assert follow_up.body == f"![[image:{image.pk}]]"


def test_a_second_run_changes_nothing(tmp_path, uploads):
    items = (HARBOUR, post(20, "Harbour vote", CAPTIONED, thumbnail=10))
    run(tmp_path, uploads, *items)
    before = {**database_counts(), "Image": Image.objects.count()}
    again = run(tmp_path, uploads, *items)
    assert {**database_counts(), "Image": Image.objects.count()} == before
    assert again.counts["unchanged"] == 1
    assert again.extra["images already in the library"] == 1
    assert "images put in the library" not in again.extra


def test_a_run_without_the_folder_keeps_the_pictures_an_earlier_run_brought_in(tmp_path, uploads):
    """As an upload in the admin is: it cannot bring the folder."""
    items = (HARBOUR, post(20, "Harbour vote", CAPTIONED, thumbnail=10))
    run(tmp_path, uploads, *items)
    before = Article.objects.values("body", "lead_image").get()
    again = run(tmp_path, None, *items)
    assert again.counts["unchanged"] == 1
    assert Article.objects.values("body", "lead_image").get() == before


def test_a_picture_without_alt_text_is_reported_and_never_given_one(tmp_path, uploads):
    picture(uploads / "2019" / "01" / "quay.png", format="PNG")
    summary = run(
        tmp_path, uploads, attachment(11, "2019/01/quay.png"),
        post(20, "Quay", f'<p>Lit. <img src="{UPLOADS}/2019/01/quay.png" alt="" '
             'class="wp-image-11"></p>', thumbnail=11),
    )  # fmt: skip
    assert not Image.objects.exists()
    article = Article.objects.get()
    assert article.lead_image is None
    assert article.body == f"Lit. ![]({UPLOADS}/2019/01/quay.png)"
    assert summary.notes == [
        "attachment 11 (2019/01/quay.png): has no alt text, which the image library requires: "
        "add it in WordPress (Media › Alternative text) and import again; left out"
    ]


def test_the_alt_text_a_post_gave_the_picture_is_used_when_the_attachment_has_none(
    tmp_path, uploads
):
    picture(uploads / "2019" / "01" / "quay.png", format="PNG")
    body = f'<img src="{UPLOADS}/2019/01/quay.png" alt="The quay lit at night">'
    run(tmp_path, uploads, attachment(11, "2019/01/quay.png"), post(20, "Quay", body))
    assert Image.objects.get().alt_text == "The quay lit at night"


def test_missing_and_refused_files_are_reported_not_fatal(tmp_path, uploads):
    fake = uploads / "2019" / "01" / "fake.jpg"
    fake.write_text("<html><script>alert(1)</script></html>")
    summary = run(
        tmp_path, uploads,
        attachment(12, "2019/01/gone.jpg", alt="Gone"),
        attachment(13, "2019/01/fake.jpg", alt="Fake"),
        post(20, "Two problems", f'<img src="{UPLOADS}/2019/01/gone.jpg" alt="Gone">'
             f'<img src="{UPLOADS}/2019/01/fake.jpg" alt="Fake">', thumbnail=12),
    )  # fmt: skip
    assert summary.counts["created"] == 1 and not summary.errors
    assert not Image.objects.exists()
    assert summary.notes == [
        "attachment 12 (2019/01/gone.jpg): its file is not in the uploads folder; left out",
        "attachment 13 (2019/01/fake.jpg): refused by the image library: This is a web page or "
        "XML document, not an image. Upload a JPEG, PNG, WebP, AVIF or GIF file.",
    ]


def test_imported_files_pass_the_librarys_pixel_cap(tmp_path, uploads):
    with override_settings(NEWSROOM_IMAGES_MAX_PIXELS=1000):
        summary = run(tmp_path, uploads, HARBOUR, post(20, "Big", "<p>x</p>", thumbnail=10))
    assert not Image.objects.exists()
    assert "too many pixels (60 × 40)" in summary.notes[0]


def test_a_file_outside_the_uploads_folder_is_never_read(tmp_path, uploads):
    picture(tmp_path / "secret.jpg")
    summary = run(tmp_path, uploads, attachment(14, "../secret.jpg", alt="Secret"),
                  post(20, "Escape", "<p>x</p>", thumbnail=14))  # fmt: skip
    assert not Image.objects.exists()
    assert "not in the uploads folder" in summary.notes[0]


def test_an_attachment_whose_name_looks_resized_is_told_from_its_neighbours(tmp_path, uploads):
    """WordPress's own test data has image-alignment-150x150.jpg and -580x300.jpg as two
    attachments of their own: each <img> is the one it names."""
    for size in ("150x150", "580x300"):
        picture(uploads / "2013" / "03" / f"image-alignment-{size}.jpg")
    run(
        tmp_path, uploads,
        attachment(967, "2013/03/image-alignment-580x300.jpg", alt="Wide"),
        attachment(968, "2013/03/image-alignment-150x150.jpg", alt="Square"),
        post(20, "Alignment", f'<img src="{UPLOADS}/2013/03/image-alignment-150x150.jpg">'),
    )  # fmt: skip
    assert Image.objects.get().alt_text == "Square"


def test_a_size_of_a_scaled_attachment_is_that_attachment(tmp_path, uploads):
    picture(uploads / "2020" / "01" / "quay-scaled.jpg")
    picture(uploads / "2020" / "01" / "quay.jpg")  # the original WordPress kept beside it
    run(
        tmp_path, uploads, attachment(15, "2020/01/quay-scaled.jpg", alt="The quay"),
        post(20, "Quay", f'<img src="{UPLOADS}/2020/01/quay-1024x683.jpg" alt="">', thumbnail=15),
    )  # fmt: skip
    image = Image.objects.get()
    assert Article.objects.get().body == f"![[image:{image.pk}]]"


def test_another_sites_picture_is_left_as_it_was(tmp_path, uploads):
    elsewhere = "https://elsewhere.example/wp-content/uploads/2019/01/harbour.jpg"
    run(tmp_path, uploads, post(20, "Elsewhere", f'<img src="{elsewhere}" alt="Boats">'))
    assert not Image.objects.exists()
    assert Article.objects.get().body == f"![Boats]({elsewhere})"


def test_a_picture_no_attachment_describes_is_keyed_on_its_path(tmp_path, uploads):
    picture(uploads / "2019" / "02" / "loose.jpg")
    items = (post(20, "Loose", '<img src="/wp-content/uploads/2019/02/loose.jpg" alt="Loose">'),)
    run(tmp_path, uploads, *items)
    assert ImportedImage.objects.get().key == f"wxr:{SITE}/wp-content/uploads/2019/02/loose.jpg"
    run(tmp_path, uploads, *items)
    assert Image.objects.count() == 1


@pytest.mark.parametrize("folder", [True, False])
def test_odd_addresses_and_no_folder_leave_pictures_as_they_were(tmp_path, uploads, folder):
    body = (
        '<img src="/wp-content/uploads/2019/02/loose.jpg" alt="Loose">'
        '<img src="http://[broken/wp-content/uploads/x.jpg" alt="Broken">'
    )
    summary = run(tmp_path, uploads if folder else None, post(20, "Odd", body))
    assert summary.counts["created"] == 1 and not Image.objects.exists()
    assert "/wp-content/uploads/2019/02/loose.jpg" in Article.objects.get().body


def test_a_picture_deleted_from_the_library_is_not_brought_back(tmp_path, uploads):
    items = (HARBOUR, post(20, "Harbour vote", CAPTIONED))
    run(tmp_path, uploads, *items)
    Article.objects.update(body="Edited.")
    image_delete(image=Image.objects.get())
    summary = run(tmp_path, uploads, *items)
    assert not Image.objects.exists()
    assert (
        "attachment 10 (2019/01/harbour.jpg): deleted from the image library; not brought back"
        in summary.notes
    )


def test_a_dry_run_stores_no_picture(tmp_path, uploads):
    summary = run(tmp_path, uploads, HARBOUR, post(20, "Harbour vote", CAPTIONED, thumbnail=10),
                  dry_run=True)  # fmt: skip
    assert not Image.objects.exists() and not ImportedImage.objects.exists()
    assert summary.extra["images put in the library"] == 1


def test_command_takes_the_uploads_folder(tmp_path, uploads, capsys):
    path = tmp_path / "export.xml"
    path.write_text(export(HARBOUR, post(20, "Harbour vote", CAPTIONED, thumbnail=10)))
    call_command("import_wxr", str(path), "--uploads", str(uploads))
    assert "1 created, 1 skipped, 2 old addresses, 1 images put in the library." in (
        capsys.readouterr().out
    )
    with pytest.raises(CommandError, match="no such folder"):
        call_command("import_wxr", str(path), "--uploads", str(tmp_path / "nowhere"))


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the import tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@needs_theme_test
def test_theme_unit_test_pictures_come_from_the_folder_and_nothing_is_fetched(tmp_path, no_network):
    """Its attachments live on WordPress.com's file host (…/2008/06/canola2.jpg): the ones in the
    folder join the library, the rest are reported, and nothing is downloaded."""
    folder = tmp_path / "uploads"
    picture(folder / "2008" / "06" / "dsc20050727_091048_222.jpg")  # attachment 616, in a body
    picture(folder / "2008" / "06" / "dsc20050102_192118_51.jpg")  # 761, a featured image
    summary = import_wxr(THEME_TEST, options=WxrOptions(uploads=str(folder)))
    assert summary.counts["created"] == 58 and not summary.errors
    assert summary.extra["images put in the library"] == 2
    assert {i.alt_text for i in Image.objects.all()} == {"dsc20050727_091048_222", "Wind Farm"}
    assert Article.objects.filter(lead_image__alt_text="Wind Farm").exists()
    assert any("not in the uploads folder" in note for note in summary.notes)
    before = {**database_counts(), "Image": Image.objects.count()}
    again = import_wxr(THEME_TEST, options=WxrOptions(uploads=str(folder)))
    assert {**database_counts(), "Image": Image.objects.count()} == before
    assert again.counts["unchanged"] == 58
