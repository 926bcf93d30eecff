"""The writing desk on the article form in Chromium, under the enforced CSP: the preview while
typing, the warning before leaving, autosave and restore after closing the tab, two editors
told of each other, and axe over the form with every part of the desk showing.

On SQLite the live server's threads share the test's in-memory database connection, which
takes one query at a time: the tests read the database only once the page has nothing in
flight (`settled`)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from desk import presence
from desk.admin import writing as writing_admin
from desk.models import Autosave
from tests.browser.conftest import close_quietly
from tests.browser.test_admin_csp import (  # noqa: F401 -- strict_page is a fixture
    PASSWORD,
    WATCH_VIOLATIONS,
    log_in_as_chief,
    reported,
    strict_page,
)
from tests.factories import make_author, make_ready_article, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def change_url(live_server, article):
    return live_server.url + reverse("admin:articles_article_change", args=[article.pk])


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))


def settled(page):
    """`page` once its requests have been answered (the next heartbeat is seconds away)."""
    page.wait_for_load_state("networkidle")
    return page


def new_page(browser, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    problems = []
    page.add_init_script(WATCH_VIOLATIONS)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return page, problems


def test_typing_shows_the_preview_figures_and_checklist(live_server, strict_page):  # noqa: F811
    page, problems = strict_page
    article = make_ready_article(headline="Harbour reopens", body="The quay is open.")
    log_in_as_chief(page, live_server)
    page.goto(change_url(live_server, article))
    preview = page.locator(".writing-preview")
    # The first preview comes with the page; locators look inside the preview's shadow tree.
    preview.locator("h1", has_text="Harbour reopens").wait_for()
    assert preview.locator(".article-body p", has_text="The quay is open.").is_visible()
    # Beside the body, not under it, at 1280 px.
    body_box = page.locator("#id_body").bounding_box()
    assert preview.bounding_box()["x"] > body_box["x"] + body_box["width"] - 1

    page.locator("#id_body").fill("")
    page.locator("#id_body").press_sequentially(
        "# Where it went\n\nPro Tip: Read the audit.\n\nPull quote: Never again.\n— A clerk",
        delay=5,
    )
    preview.locator("h2#where-it-went", has_text="Where it went").wait_for()
    assert preview.locator(".callout-tip", has_text="Read the audit.").is_visible()
    assert preview.locator(".pull-quote-source", has_text="A clerk").is_visible()
    figures = page.locator(".writing-figures")
    assert re.fullmatch(r"\d+ words · 1 min read", figures.inner_text())

    checklist = page.locator(".field-prepublish_checklist")
    assert "Tags: Add at least one tag." not in checklist.inner_text()
    page.locator("#id_tags").fill("")
    checklist.get_by_text("Tags: Add at least one tag.").wait_for()

    help_ = page.locator(".writing-help")
    help_.locator("summary").click()
    assert help_.get_by_text("Pull quote: We will rebuild.").is_visible()
    settled(page)
    assert Article.objects.get(pk=article.pk).body == "The quay is open."  # nothing saved
    assert reported(page, problems) == []


def test_leaving_with_unsaved_changes_asks_first_but_saving_does_not(live_server, strict_page):  # noqa: F811
    page, problems = strict_page
    article = make_ready_article(body="The quay is open.")
    log_in_as_chief(page, live_server)
    page.goto(change_url(live_server, article))
    page.locator(".writing-preview h1").wait_for()
    page.wait_for_load_state("load")

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator("#id_body").press("Control+End")
    page.locator("#id_body").press_sequentially(" More.", delay=5)
    page.close(run_before_unload=True)  # closing the tab, as a person would
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert not page.is_closed()  # the editor chose to stay

    # Ctrl+S saves and stays in the form, without asking.
    page.keyboard.press("Control+s")
    page.wait_for_url(re.compile(r"/change/$"))
    page.locator(".writing-preview h1").wait_for()
    settled(page)
    assert Article.objects.get(pk=article.pk).body == "The quay is open. More."
    assert dialogs == ["beforeunload"]
    assert reported(page, problems) == []


def test_closing_the_tab_then_reopening_offers_the_autosave_back(live_server, browser):
    page, problems = new_page(browser)
    article = make_ready_article(headline="Harbour reopens", body="The quay is open.")
    log_in_as_chief(page, live_server)
    page.goto(change_url(live_server, article))
    page.locator(".writing-preview h1").wait_for()
    page.wait_for_load_state("load")
    page.locator("#id_headline").fill("Harbour reopens at dawn")
    page.locator("#id_body").fill("The new quay is open.")
    page.locator("#faq_items-group .add-row a").click()
    page.locator("#id_faq_items-0-question").fill("When do ships come?")
    page.locator("#id_faq_items-0-answer").fill("In spring.")
    with page.expect_response(
        lambda response: (
            "/writing/autosave/" in response.url
            and "In spring." in (response.request.post_data or "")
        )
    ):
        page.locator("#id_standfirst").focus()  # leaving a field keeps the form
    page.locator(".writing-status", has_text="Autosaved at").wait_for()
    settled(page)
    context = page.context
    page.close()
    assert Article.objects.get(pk=article.pk).headline == "Harbour reopens"

    page = context.new_page()
    page.goto(change_url(live_server, article))
    offer = page.locator(".writing-restore")
    offer.wait_for()
    diff = offer.locator(".writing-restore-diff")
    assert "Harbour reopens at dawn" in diff.locator("tr", has_text="Headline").inner_text()
    assert diff.locator("tr", has_text="Body").locator("ins").inner_text().strip() == "new"
    assert page.locator("#id_body").input_value() == "The quay is open."

    offer.get_by_role("button", name="Restore my changes").click()
    assert offer.is_hidden()
    assert page.locator("#id_headline").input_value() == "Harbour reopens at dawn"
    assert page.locator("#id_body").input_value() == "The new quay is open."
    # The FAQ row added before the tab closed is back, through the inline's own "Add another".
    assert page.locator("#id_faq_items-0-question").input_value() == "When do ships come?"
    assert page.locator("#id_faq_items-0-answer").input_value() == "In spring."
    page.locator(".writing-preview h1", has_text="Harbour reopens at dawn").wait_for()
    page.locator(".writing-preview summary", has_text="When do ships come?").wait_for()

    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r"/change/$"))
    settled(page)
    saved = Article.objects.get(pk=article.pk)
    assert saved.headline == "Harbour reopens at dawn"
    assert [item.question for item in saved.faq_items.all()] == ["When do ships come?"]
    assert not Autosave.objects.exists()
    assert page.locator(".writing-restore").count() == 0
    assert problems == []
    close_quietly(context)


def test_typing_on_without_leaving_the_field_is_autosaved_by_the_timer(
    live_server, browser, monkeypatch
):
    """The desk keeps the form every AUTOSAVE_SECONDS (30) while a writer types on in one field;
    here every 2 s, not to wait half a minute."""
    monkeypatch.setattr(writing_admin, "AUTOSAVE_SECONDS", 2)
    page, problems = new_page(browser)
    article = make_ready_article(headline="Harbour reopens", body="The quay is open.")
    log_in_as_chief(page, live_server)
    page.goto(change_url(live_server, article))
    page.locator(".writing-preview h1").wait_for()
    with page.expect_response(
        lambda response: (
            "/writing/autosave/" in response.url
            and "The new quay" in (response.request.post_data or "")
        ),
        timeout=15_000,
    ):
        page.locator("#id_body").fill("The new quay is open.")  # the cursor stays in the body
    page.locator(".writing-status", has_text="Autosaved at").wait_for()
    assert page.evaluate("document.activeElement.id") == "id_body"
    settled(page)
    kept = Autosave.objects.get(article=article)
    assert kept.data["body"] == ["The new quay is open."]
    assert Article.objects.get(pk=article.pk).body == "The quay is open."  # readers see no change
    assert problems == []
    close_quietly(page.context)


def test_the_article_form_saves_without_javascript(live_server, browser):
    page, _ = new_page(browser, java_script_enabled=False)
    article = make_ready_article(headline="Harbour reopens", body="The quay is open.")
    log_in_as_chief(page, live_server)
    page.goto(change_url(live_server, article))
    page.locator("#id_headline").fill("Harbour reopens at dawn")
    page.locator("#id_body").fill("The new quay is open.")
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r"/change/$"))
    page.locator(".messagelist .success").wait_for()
    settled(page)
    saved = Article.objects.get(pk=article.pk)
    assert (saved.headline, saved.body) == ("Harbour reopens at dawn", "The new quay is open.")
    close_quietly(page.context)


def test_a_second_editor_is_told_before_typing_and_can_take_over(live_server, browser, monkeypatch):
    monkeypatch.setattr(presence, "HEARTBEAT_SECONDS", 3)
    ana = make_staff("editor", first_name="Ana", last_name="Silva", password=PASSWORD)
    make_staff("editor", username="ben", first_name="Ben", last_name="Okafor", password=PASSWORD)
    article = make_ready_article(authors=[make_author()])

    first, first_problems = new_page(browser)
    log_in(first, live_server, ana.username)
    with first.expect_response(re.compile(r"/writing/presence/$")):
        first.goto(change_url(live_server, article))
    opened = timezone.localtime().strftime("%H:%M")

    second, second_problems = new_page(browser)
    log_in(second, live_server, "ben")
    second.goto(change_url(live_server, article), wait_until="domcontentloaded")
    notice = second.locator(".writing-presence")
    # In the page as sent, before any script or keystroke.
    assert notice.is_visible()
    assert f"Ana Silva has been editing since {opened}" in notice.inner_text()
    # Ana, who has it, is at most told that Ben has it open too.
    first.locator(".writing-presence", has_text="Ben Okafor has this article open too").wait_for()

    second.get_by_role("button", name="Take over").click()
    notice.filter(
        has_text="Ana Silva has this article open too; you are the one editing it."
    ).wait_for()
    assert second.get_by_role("button", name="Take over").is_hidden()
    first.locator(".writing-presence", has_text="Ben Okafor took over editing at").wait_for()
    assert first.get_by_role("button", name="Take over").is_visible()
    assert reported(first, first_problems) == [] and reported(second, second_problems) == []
    close_quietly(first.context, second.context)


def test_the_article_form_with_the_whole_desk_has_no_serious_axe_violations(
    live_server, browser, axe_violations
):
    page, _ = new_page(browser, bypass_csp=True)  # axe is injected as an inline script
    article = make_ready_article(
        headline="Harbour reopens", body="## Sections\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    log_in_as_chief(page, live_server)
    chief = get_user_model().objects.get(username="chief")
    other = make_staff("editor", first_name="Ana")
    presence.presence_beat(article=article, user=other)
    Autosave.objects.create(
        user=chief, article=article, data={"headline": ["Harbour reopens at dawn"], "body": ["x"]},
        loaded_version=article.saved_at.isoformat(),
    )  # fmt: skip
    page.goto(change_url(live_server, article))
    page.wait_for_load_state("load")
    page.locator(".writing-preview h2").wait_for()
    page.locator(".writing-help summary").click()
    assert page.locator(".writing-restore").is_visible()
    assert page.locator(".writing-presence").is_visible()
    assert axe_violations(page, "article-change-form") == []
    close_quietly(page.context)
