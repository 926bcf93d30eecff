"""A picture from upload to every place readers meet it: an editor uploads a photo with a focal
point through the admin, places it in a new article as its lead image and in its text, and
publishes; the page, its social tags and JSON-LD, the feed and a newsletter edition carry it.
All in Chromium with the Content-Security-Policy enforced."""

import json
import re
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.models import Article
from images.models import Image
from tests.browser.test_admin_csp import (  # noqa: F401 -- strict_page is a fixture
    log_in_as_chief,
    reported,
    strict_page,
)
from tests.factories import make_author, make_section
from tests.images.factories import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

MEDIA_RSS = "{http://search.yahoo.com/mrss/}"


def fetch(url):
    with urllib.request.urlopen(url) as response:  # noqa: S310 -- our live server
        return response.status, response.headers["Content-Type"], response.read()


def autocomplete(page, field, text):
    """Choose `text` in the admin autocomplete (select2) of the field with this class."""
    page.locator(f"{field} .select2-selection").first.click()
    page.locator(".select2-search__field").fill(text.split()[0])
    page.locator(".select2-results__option", has_text=text).click()


def test_an_uploaded_photo_reaches_the_page_social_tags_json_ld_feed_and_newsletter(
    live_server, strict_page, tmp_path, settings, mailoutbox  # noqa: F811
):
    settings.NEWSROOM_SITE_URL = live_server.url
    page, problems = strict_page
    make_section(name="World")
    make_author(name="Ana Silva")
    log_in_as_chief(page, live_server)

    # 1. The photo, into the library with its alt text, credit and focal point.
    photo = tmp_path / "harbour-quay.jpg"
    photo.write_bytes(image_bytes("JPEG", 1600, 1200))
    page.goto(live_server.url + reverse("admin:images_image_add"))
    page.set_input_files("#id_upload", str(photo))
    page.fill("#id_alt_text", "Cranes unloading a ship at the new quay")
    page.fill("#id_credit", "Ana Silva / Newsroom")
    page.fill("#id_focal_x", "0.3")
    page.fill("#id_focal_y", "0.7")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:images_image_changelist"))
    image = Image.objects.get()
    assert (image.focal_x, image.focal_y, image.width) == (0.3, 0.7, 1600)

    # 2. A new article leading with it and placing it in the text; published.
    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page.fill("#id_headline", "The new quay opens")
    page.fill("#id_standfirst", "Cranes unload the first ship at the harbour's new quay today.")
    page.fill("#id_body", f"The first ship came in at dawn.\n\n![[image:{image.pk}|4:3|The "
                          "quay at work]]\n\nMore ships are expected this week.")  # fmt: skip
    autocomplete(page, ".field-lead_image", "harbour quay")
    assert page.locator(".image-chooser-preview").is_visible()
    autocomplete(page, ".field-section", "World")
    page.fill("#id_tags", "Harbours")
    page.locator("#author_links-group .add-row a").click()
    autocomplete(page, "#author_links-group .dynamic-author_links", "Ana Silva")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + reverse("admin:articles_article_changelist"))
    article = Article.objects.get(headline="The new quay opens")
    assert article.is_published() and article.lead_image == image
    assert reported(page, problems) == []

    # 3. The published page: the picture at the top and in the text.
    page.goto(live_server.url + article.get_absolute_url())
    lead = page.locator(".article-lead img")
    assert lead.get_attribute("alt") == "Cranes unloading a ship at the new quay"
    assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
    assert f"/media/images/renditions/{image.pk}/" in lead.evaluate("img => img.currentSrc")
    inline = page.locator(".article-body figure")
    assert "The quay at work" in inline.inner_text()
    assert "Ana Silva / Newsroom" in inline.inner_text()
    assert "-4x3-" in inline.locator("img").get_attribute("src")

    # 4. Its social tags and JSON-LD.
    og_image = page.locator('meta[property="og:image"]').get_attribute("content")
    assert og_image.startswith(f"{live_server.url}/media/images/renditions/{image.pk}/")
    assert page.locator('meta[property="og:image:alt"]').get_attribute("content") == (
        "Cranes unloading a ship at the new quay"
    )
    assert page.locator('meta[name="twitter:card"]').get_attribute("content") == (
        "summary_large_image"
    )
    data = [json.loads(text) for text in page.locator(
        'script[type="application/ld+json"]').all_inner_texts()]  # fmt: skip
    news = next(item for item in data if item["@type"] == "NewsArticle")
    assert [picture["url"] for picture in news["image"]][0] == og_image
    assert [round(p["width"] / p["height"], 2) for p in news["image"]] == [1.78, 1.33, 1.0]
    for picture in news["image"]:
        status, content_type, _ = fetch(picture["url"])
        assert (status, content_type) == (200, "image/jpeg")

    # 5. The feed item.
    _, _, feed = fetch(live_server.url + "/feeds/rss/")
    item = next(i for i in ET.fromstring(feed).iter("item") if i.findtext("title") == (
        "The new quay opens"))  # fmt: skip
    assert item.find(f"{MEDIA_RSS}content").get("url") == og_image
    assert item.find("enclosure").get("url") == og_image

    # 6. A newsletter edition: it starts with the article, and its email shows the picture.
    page.goto(live_server.url + reverse("admin:newsletter_edition_add"))
    page.fill("#id_subject", "This week at the harbour")
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r".*/newsletter/edition/\d+/change/"))
    page.goto(page.url.replace("/change/", "/send-test/"))
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/newsletter/edition/\d+/change/"))
    (email,) = mailoutbox
    html = email.alternatives[0].content
    picture = re.search(r'<img src="([^"]+)" alt="Cranes unloading a ship at the new quay"', html)
    assert picture, html
    assert picture.group(1).startswith(f"{live_server.url}/media/images/renditions/{image.pk}/")
    assert fetch(picture.group(1))[:2] == (200, "image/jpeg")
    assert reported(page, problems) == []
