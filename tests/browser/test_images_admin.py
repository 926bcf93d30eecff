"""The picture library in Chromium under the enforced CSP: the focal point set by clicking the
preview, and a picture dropped on the article form."""

import pytest
from django.urls import reverse

from images.models import Image
from tests.browser.test_admin_csp import (  # noqa: F401 -- strict_page is a fixture
    log_in_as_chief,
    reported,
    strict_page,
)
from tests.factories import make_article
from tests.images.factories import image_bytes, make_image, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_clicking_the_preview_sets_the_focal_point(live_server, strict_page):  # noqa: F811
    page, problems = strict_page
    image = make_image(upload_file=upload(width=1200, height=800))
    log_in_as_chief(page, live_server)

    page.goto(live_server.url + reverse("admin:images_image_change", args=[image.pk]))
    preview = page.locator(".focal-point-image")
    preview.wait_for()
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert float(page.locator("#id_focal_x").input_value()) == pytest.approx(0.25, abs=0.01)
    assert float(page.locator("#id_focal_y").input_value()) == pytest.approx(0.75, abs=0.01)
    assert page.locator(".focal-point-marker").is_visible()
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    image = Image.objects.get()
    assert (round(image.focal_x, 2), round(image.focal_y, 2)) == (0.25, 0.75)
    assert reported(page, problems) == []


def test_a_picture_dropped_on_the_article_form_needs_alt_text_then_becomes_its_lead_image(
    live_server, strict_page, tmp_path  # noqa: F811
):
    page, problems = strict_page
    article = make_article(headline="Harbour reopens")
    photo = tmp_path / "quay.jpg"
    photo.write_bytes(image_bytes("JPEG", 800, 600))
    log_in_as_chief(page, live_server)

    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    chooser = page.locator(".image-chooser")
    assert chooser.locator(".image-chooser-drop").is_visible()  # the script showed it
    # A file dropped on the zone (the file input is the same path for the script).
    chooser.locator("input[type=file]").set_input_files(str(photo))
    chooser.locator(".image-chooser-upload").click()
    status = chooser.locator(".image-chooser-status")
    assert status.inner_text() == "Describe the picture in the alt text first."
    assert not Image.objects.exists()
    chooser.locator(".image-chooser-alt").fill("Cranes at the new quay")
    chooser.locator(".image-chooser-upload").click()
    status.filter(has_text="Added").wait_for()
    image = Image.objects.get()
    assert (image.title, image.alt_text) == ("quay", "Cranes at the new quay")
    assert chooser.locator(".select2-selection__rendered").inner_text().endswith("quay")
    assert chooser.locator(".image-chooser-preview").is_visible()
    assert f"![[image:{image.pk}]]" in chooser.locator(".image-chooser-syntax").inner_text()

    page.click("input[name=_continue]")
    page.wait_for_load_state()
    article.refresh_from_db()
    assert article.lead_image == image
    assert reported(page, problems) == []
