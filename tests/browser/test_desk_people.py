"""The desk in Chromium for the people in it: a writer's byline choices, withdrawing from
review, copying a preview link, the status a schedule turns into, axe on the dashboard and the
moderation queue, and the desk at 1280 pixels (screenshots kept in test-artifacts/)."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from desk.models import PreviewLink
from tests.browser.conftest import close_quietly
from tests.factories import make_article, make_author, make_comment, make_ready_article, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-9"
LONG_HEADLINE = (
    "Council approves the riverside housing plan after a six-hour meeting, with 40 per cent "
    "affordable homes, a new bridge for cyclists and pedestrians, and a school by 2029"
)
# Every table fits its container (nothing to scroll sideways) and the page fits the window.
OVERFLOWING_TABLES = """() => [...document.querySelectorAll("table")]
  .filter((table) => table.offsetParent !== null)
  .filter((table) => table.scrollWidth > table.parentElement.clientWidth + 1
                     || table.getBoundingClientRect().right > window.innerWidth)
  .map((table) => `${table.id || table.className}: ${table.scrollWidth}px in `
                  + `${table.parentElement.clientWidth}px`)"""


def staff(role, **fields):
    user = make_staff(role, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def desk(browser, live_server):
    """desk(user, **context options) -> a page logged in as `user` at 1280 pixels."""
    contexts = []

    def open_(user, **options):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(live_server.url + reverse("admin:index"))
        return page

    yield open_
    close_quietly(*contexts)


def test_a_writer_may_byline_only_themselves_and_their_paired_co_author(live_server, desk):
    writer = staff("writer")
    partner = make_author(name="Paired Photographer")
    writer.author.paired_with.add(partner)
    make_author(name="Somebody Else")
    page = desk(writer)
    page.goto(live_server.url + reverse("admin:articles_article_add"))
    page.locator("#author_links-group .add-row a").click()
    options = page.locator("select[name='author_links-0-author']").evaluate(
        "(select) => [...select.options].filter((option) => option.value).map((o) => o.text)"
    )
    assert sorted(options) == sorted([writer.author.name, "Paired Photographer"])


def test_a_writer_withdraws_their_article_from_review(live_server, desk):
    writer = staff("writer")
    article = make_ready_article(status=Article.Status.IN_REVIEW, created_by=writer)
    page = desk(writer)
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.select_option("#id_status", label="Draft (withdraw from review)")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    page.goto(live_server.url + reverse("admin:articles_article_history", args=[article.pk]))
    assert "Withdraw from review: In review → Draft." in page.content()


def test_the_copy_button_copies_the_whole_preview_link(live_server, desk):
    writer = staff("writer")
    article = make_ready_article(created_by=writer)
    link = PreviewLink.objects.create(article=article, shared_with="Legal", created_by=writer)
    page = desk(writer, permissions=["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    field = page.locator(f"#preview-link-{link.pk}")
    address = settings.NEWSROOM_SITE_URL + link.get_absolute_url()
    assert field.input_value() == address  # shown whole, selectable
    page.locator(f"button[data-copy='preview-link-{link.pk}']").click()
    page.locator(".copy-status", has_text="Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == address
    box, field_box = page.locator(".field-link").first.bounding_box(), field.bounding_box()
    assert field_box["x"] + field_box["width"] <= box["x"] + box["width"] + 1


def test_where_the_browser_refuses_the_clipboard_the_link_is_selected_to_copy(
    live_server, desk
):
    writer = staff("writer")
    article = make_ready_article(created_by=writer)
    link = PreviewLink.objects.create(article=article, created_by=writer)
    page = desk(writer)
    page.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied'));"
    )
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.locator(f"button[data-copy='preview-link-{link.pk}']").click()
    page.locator(".copy-status", has_text="press Ctrl+C").wait_for()
    selected = page.evaluate("document.activeElement.value.substring("
                             "document.activeElement.selectionStart,"
                             "document.activeElement.selectionEnd)")
    assert selected == settings.NEWSROOM_SITE_URL + link.get_absolute_url()


def test_a_scheduled_article_shows_as_published_once_its_time_passes(live_server, desk):
    page = desk(staff("editor-in-chief"))
    # A few seconds ahead, made once logged in: a loaded machine takes a while to log in.
    article = make_ready_article(
        headline="Goes live in a moment",
        status=Article.Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(seconds=6),
    )
    changelist = live_server.url + reverse("admin:articles_article_changelist")
    page.goto(changelist + "?status=scheduled")
    row = page.locator("#result_list tr", has_text="Goes live in a moment")
    assert "Scheduled" in row.locator("td.field-status_now").inner_text()
    time.sleep(max(0, (article.published_at - timezone.now()).total_seconds()) + 0.5)
    page.goto(changelist + "?status=scheduled")
    assert page.locator("#result_list tr", has_text="Goes live in a moment").count() == 0
    page.goto(changelist + "?status=published")
    row = page.locator("#result_list tr", has_text="Goes live in a moment")
    assert row.locator("td.field-status_now").inner_text() == "Published"
    page.goto(live_server.url + reverse("admin:index"))
    assert "Goes live in a moment" in page.locator("#editorial-dashboard").inner_text()


def test_axe_finds_nothing_serious_on_the_dashboard_and_the_moderation_queue(
    live_server, desk, axe_violations
):
    editor = staff("editor")
    article = make_ready_article(status=Article.Status.PUBLISHED)
    make_comment(article, status="pending", body="Is this right?")
    make_comment(article, body="Thanks for this.")
    page = desk(editor, bypass_csp=True)
    found = {}
    for name, path in (
        ("dashboard", reverse("admin:index")),
        ("moderation-queue", reverse("admin:comments_comment_changelist")),
    ):
        page.goto(live_server.url + path)
        found[name] = axe_violations(page, name)
    assert found == {"dashboard": [], "moderation-queue": []}


def test_the_desk_fits_1280_pixels_with_whole_headlines(live_server, desk, screenshot_dir):
    chief = staff("editor-in-chief")
    writer = staff("writer")
    article = make_ready_article(
        headline=LONG_HEADLINE, created_by=writer, tags=["Climate change", "Housing"]
    )
    for who in ("Legal: J. Smith at the outside counsel's office", "Source"):
        PreviewLink.objects.create(article=article, shared_with=who, created_by=writer)
    make_article(headline=LONG_HEADLINE + " (follow-up)", tags=["Housing", "Local politics"])
    make_comment(article, status="pending", body="A long question " * 20)
    page = desk(chief)
    pages = {
        "dashboard": reverse("admin:index"),
        "article-list": reverse("admin:articles_article_changelist"),
        "article-form": reverse("admin:articles_article_change", args=[article.pk]),
        "moderation-queue": reverse("admin:comments_comment_changelist"),
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.screenshot(path=screenshot_dir / f"desk-{name}-1280.png", full_page=True)
        assert page.evaluate(OVERFLOWING_TABLES) == [], name
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name

    page.goto(live_server.url + pages["article-form"])
    headline = page.locator("#id_headline")
    assert headline.input_value() == LONG_HEADLINE
    sizes = headline.evaluate(
        "(box) => [box.scrollWidth, box.clientWidth, box.scrollHeight, box.clientHeight]"
    )
    scroll_width, client_width, scroll_height, client_height = sizes
    assert scroll_width <= client_width and scroll_height <= client_height, sizes
    assert page.locator("#id_tags").input_value() == "Climate change, Housing"
    for link in page.locator(".copy-source").all():  # preview links: the whole address shows
        sizes = link.evaluate("(box) => [box.scrollHeight, box.clientHeight]")
        assert sizes[0] <= sizes[1], sizes
