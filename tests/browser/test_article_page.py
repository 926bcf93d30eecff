"""The seed article as a reader sees it in headless Chromium."""

import urllib.request

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, RelatedLink
from articles.services import section_named
from images.seeds import CREDIT, SEED_PICTURES, jpeg_bytes
from images.services import image_create
from ingest.importing import import_article
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

SEED = settings.BASE_DIR / "seeds" / "000_87246ce5c90d18ca.txt"
SEED_TAGS = ["Venezuela", "United States", "Energy", "Diplomacy"]
WIDTHS = (390, 1280)


@pytest.fixture
def seed_article():
    """The seed article as `make run` shows it: with its generated lead image (smaller here, so
    that its renditions are quick to make), related articles and a correction."""
    world = section_named("World")
    article = import_article(SEED, section=world, tags=SEED_TAGS, publish=True).article
    seed = SEED_PICTURES[0]
    article.lead_image = image_create(
        upload=SimpleUploadedFile(f"{seed.slug}.jpg", jpeg_bytes(seed, width=1600, height=1000)),
        title=seed.title, alt_text=seed.alt_text, credit=CREDIT, focal_x=seed.focal[0],
    )  # fmt: skip
    article.save(update_fields=["lead_image"])
    picked = make_article(headline="Demo: the editor's pick", section=world)
    RelatedLink.objects.create(article=article, target=picked)
    for n, tags in enumerate((["Energy"], ["Energy", "Diplomacy"], ["Venezuela"], ["Energy"])):
        make_article(headline=f"Demo: related story {n + 1}", section=world, tags=tags)
    make_article(headline="Demo: unpublished draft", tags=SEED_TAGS, status=Article.Status.DRAFT)
    article.corrections.create(note="An earlier version misdated the talks.")
    return article


@pytest.fixture
def article_page(live_server, open_page, seed_article):
    return open_page(live_server.url + seed_article.get_absolute_url())


def test_headline_section_headings_and_table_of_contents_are_visible(article_page, seed_article):
    page = article_page
    assert page.locator("h1").inner_text() == seed_article.headline
    titles = [heading["title"] for heading in seed_article.headings]
    assert len(titles) == 5
    assert page.locator(".article-body h2").all_inner_texts() == titles
    toc = page.get_by_role("navigation", name="In this article")
    assert toc.get_by_role("link").all_inner_texts() == titles
    toc.get_by_role("link", name=titles[-1]).click()
    assert page.url.endswith("#" + seed_article.headings[-1]["id"])
    assert page.locator(".article-body h2").last.is_visible()


def test_callouts_are_labelled_asides(article_page):
    tip = article_page.get_by_role("note", name="Pro Tip")
    fact = article_page.get_by_role("note", name="Did you know?")
    assert tip.is_visible() and "internal political pressures" in tip.inner_text()
    assert fact.is_visible() and "major supplier of oil" in fact.inner_text()


def test_faq_answers_open_and_close_by_mouse_and_keyboard(article_page):
    faq = article_page.locator(".faq details")
    assert faq.count() == 4
    first, answer = faq.first, faq.first.locator("p")
    assert not answer.is_visible()
    first.locator("summary").click()
    assert answer.is_visible()
    first.locator("summary").click()
    assert not answer.is_visible()
    second = faq.nth(1)
    second.locator("summary").focus()
    article_page.keyboard.press("Enter")
    assert second.locator("p").is_visible()
    article_page.keyboard.press("Space")
    assert not second.locator("p").is_visible()


def test_you_may_also_like_shows_the_pick_first_then_four_in_all_without_drafts(article_page):
    related = article_page.get_by_role("region", name="You may also like")
    headlines = related.locator(".card-headline").all_inner_texts()
    assert headlines == [
        "Demo: the editor's pick",
        "Demo: related story 2",
        "Demo: related story 4",
        "Demo: related story 3",
    ]


def test_keyboard_reaches_the_newsletter_form_with_visible_focus_and_signs_up(article_page):
    page = article_page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    newsletter = page.locator(".newsletter-signup input[type=email]")
    for _ in range(100):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const el = document.activeElement; const style = getComputedStyle(el);"
            " return {text: el.textContent.trim(), outline: style.outlineStyle,"
            " width: parseFloat(style.outlineWidth)}; }"
        )
        assert focused["outline"] != "none" and focused["width"] >= 2, focused
        if newsletter.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the newsletter form")
    page.keyboard.type("reader@example.com")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/newsletter/thanks/")
    assert "inbox" in page.locator("main").inner_text().lower()


@pytest.mark.parametrize("width", WIDTHS)
def test_lead_image_loads_at_once_in_the_best_format_without_shifting_the_page(
    live_server, open_page, seed_article, width
):
    page = open_page(live_server.url + seed_article.get_absolute_url(), width=width)
    lead = page.locator(".article-lead img")
    lead.wait_for()
    shown = lead.evaluate(
        "img => ({src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0,"
        " priority: img.getAttribute('fetchpriority'), lazy: img.loading,"
        " ratio: img.getBoundingClientRect().width / img.getBoundingClientRect().height})"
    )
    assert shown["loaded"] and shown["priority"] == "high" and shown["lazy"] == "auto", shown
    assert shown["src"].endswith(".avif"), shown
    assert shown["ratio"] == pytest.approx(16 / 9, rel=0.01)
    # Width and height reserve the picture's box before it arrives: nothing moves.
    shift = page.evaluate(
        "() => new Promise(done => { let total = 0; new PerformanceObserver(list => {"
        " for (const entry of list.getEntries()) total += entry.value; })"
        ".observe({type: 'layout-shift', buffered: true}); setTimeout(() => done(total), 500); })"
    )
    assert shift == 0
    caption = page.locator(".article-lead figcaption").inner_text()
    assert CREDIT in caption


@pytest.mark.parametrize("width", WIDTHS)
def test_article_and_home_fit_the_screen_and_are_captured(
    live_server, open_page, seed_article, screenshot_dir, width
):
    for name, path in (("article", seed_article.get_absolute_url()), ("home", "/")):
        page = open_page(live_server.url + path, width=width)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} page scrolls sideways at {width}px"
        page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)


def test_narrowest_phone_does_not_scroll_sideways(live_server, open_page, seed_article):
    page = open_page(live_server.url + seed_article.get_absolute_url(), width=320)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_reader_pages(
    live_server, open_page, seed_article, axe_violations, color_scheme
):
    """None of any impact, minor and moderate included, on the article with its lead image and
    on the listings."""
    for name, path in (
        ("article", seed_article.get_absolute_url()),
        ("home", "/"),
        ("section", seed_article.section.get_absolute_url()),
        ("search", "/search/?q=oil"),
    ):
        page = open_page(live_server.url + path, color_scheme=color_scheme)
        found = axe_violations(page, f"{name}-{color_scheme}", every_impact=True)
        assert found == [], f"{name} ({color_scheme})"


def warm(url):
    """Another reader's visit: the page is made and kept."""
    with urllib.request.urlopen(url) as response:  # noqa: S310 (our live server)
        assert response.headers["X-Page-Cache"] == "miss"


def fill_comment(page, body):
    form = page.locator("form.comment-form")
    form.get_by_label("Name").fill("Fresh Reader")
    form.get_by_label("Email").fill("fresh@example.com")
    form.get_by_label("Comment").fill(body)
    return form


def send_and_see_it_awaiting_moderation(page, form):
    page.wait_for_timeout(1100)  # NEWSROOM_COMMENTS_MIN_FILL_SECONDS
    with page.expect_navigation():
        form.get_by_role("button", name="Post comment").click()
    assert "#comment-" in page.url
    assert "Awaiting moderation" in page.locator("#comments").inner_text()


def test_reader_served_the_page_for_everyone_can_comment_and_sign_up(
    live_server, browser, seed_article, settings
):
    """The cached page is the same bytes for everyone (no CSRF token, no form time): the
    comment form's script fetches a start token when the reader begins, and both forms go
    through on Fetch Metadata."""
    settings.NEWSROOM_COMMENTS_MIN_FILL_SECONDS = 1
    url = live_server.url + seed_article.get_absolute_url()
    warm(url)
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response.headers["x-page-cache"] == "hit"
        assert response.headers["cache-control"].startswith("public")
        assert 'name="csrfmiddlewaretoken"' not in page.content()
        with page.expect_response(lambda r: r.url.endswith("/comments/start/")) as started:
            form = fill_comment(page, "Read it from the cache, and I can still reply.")
        assert started.value.status == 200
        send_and_see_it_awaiting_moderation(page, form)
    finally:
        context.close()

    warm(live_server.url + "/")
    context = browser.new_context()
    try:
        page = context.new_page()
        assert page.goto(live_server.url + "/").headers["x-page-cache"] == "hit"
        signup = page.locator(".newsletter-signup")
        signup.get_by_label("Email address").fill("fresh@example.com")
        with page.expect_navigation():
            signup.get_by_role("button", name="Subscribe").click()
        assert page.url.endswith("/newsletter/thanks/")
    finally:
        context.close()


def test_reader_without_javascript_confirms_the_comment_and_it_goes_through(
    live_server, browser, seed_article, settings
):
    """Issue 13, finding 11 and the no-script path: with no start token the reader gets their
    own form back, text kept and a token in it, and sends it again."""
    settings.NEWSROOM_COMMENTS_MIN_FILL_SECONDS = 1
    url = live_server.url + seed_article.get_absolute_url()
    warm(url)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        assert page.goto(url).headers["x-page-cache"] == "hit"
        form = fill_comment(page, "No scripts here, and my comment still arrives.")
        with page.expect_navigation():
            form.get_by_role("button", name="Post comment").click()
        assert "Please check your comment, then send it." in page.content()
        confirm = page.locator("form.comment-form")
        assert confirm.get_by_label("Comment").input_value().startswith("No scripts here")
        send_and_see_it_awaiting_moderation(page, confirm)
    finally:
        context.close()
