"""The picture library's focal point is set by clicking the preview, under the enforced CSP."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from images.models import Image
from tests.browser.test_admin_csp import PASSWORD, reported, strict_page  # noqa: F401 -- fixture
from tests.images.factories import make_image, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_clicking_the_preview_sets_the_focal_point(live_server, strict_page):  # noqa: F811
    page, problems = strict_page
    get_user_model().objects.create_superuser("chief", "chief@example.com", PASSWORD)
    image = make_image(upload_file=upload(width=1200, height=800))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))

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
