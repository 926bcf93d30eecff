"""The admin works in Chromium under the site's Content-Security-Policy, enforced (no
bypass_csp): logging in, an inline's "Add another", the related-article autocomplete and the
date widget, with no violation reported and no script error."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article
from tests.browser.conftest import close_quietly
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-9"
# Runs before any page script; records what the browser reports against the policies.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def article():
    get_user_model().objects.create_superuser("chief", "chief@example.com", PASSWORD)
    make_article(headline="Oil exports resume", status=Article.Status.PUBLISHED)
    return make_article(
        headline="Talks in Caracas", section=make_section(name="World"), authors=[make_author()]
    )


@pytest.fixture
def strict_page(browser):
    """A page with the policy enforced; yields it and the problems the browser reported."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.add_init_script(WATCH_VIOLATIONS)

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            problems.append(f"console: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    yield page, problems
    close_quietly(context)


def reported(page, problems):
    return problems + [f"event: {v}" for v in page.evaluate("window.__violations || []")]


def log_in_as_chief(page, live_server):
    """Make the superuser "chief" and log in as them through the admin's login page."""
    get_user_model().objects.create_superuser("chief", "chief@example.com", PASSWORD)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))


def test_admin_change_form_works_under_the_policy(live_server, strict_page, article):
    page, problems = strict_page
    response = page.goto(live_server.url + reverse("admin:login"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    assert page.evaluate("Array.isArray(window.__violations)")  # the watcher runs

    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    assert page.locator("#id_headline").input_value() == "Talks in Caracas"

    # An inline's "Add another" (admin/js/inlines.js) adds a FAQ form.
    faq_forms = page.locator("#faq_items-group .inline-related:not(.empty-form)")
    before = faq_forms.count()
    page.locator("#faq_items-group .add-row a").click()
    assert faq_forms.count() == before + 1

    # The related-article autocomplete (select2 asking the admin's autocomplete view).
    related = page.locator("#related_links-group")
    related.locator(".add-row a").click()
    related.locator(".select2-selection").last.click()
    page.locator(".select2-search__field").fill("Oil")
    page.locator(".select2-results__option", has_text="Oil exports resume").click()
    assert "Oil exports resume" in related.locator(".select2-selection__rendered").last.inner_text()

    # The date widget (admin/js/admin/DateTimeShortcuts.js): the calendar opens and a day is
    # picked; the "Now" shortcut fills the time.
    page.locator("#id_publish_at_0 + .datetimeshortcuts button").click()
    page.locator(".calendarbox:visible .calendar td a").first.click()
    assert page.locator("#id_publish_at_0").input_value()
    page.locator("#id_publish_at_1 + .datetimeshortcuts a", has_text="Now").click()
    assert page.locator("#id_publish_at_1").input_value()

    assert reported(page, problems) == []


def test_reader_page_runs_under_the_policy_without_reports(live_server, strict_page, article):
    page, problems = strict_page
    article_url = Article.objects.get(headline="Oil exports resume").get_absolute_url()
    for url in ("/", article_url, "/newsletter/", "/search/?q=oil"):
        page.goto(live_server.url + url)
        assert reported(page, problems) == [], url


def test_two_factor_setup_and_login_work_under_the_policy(
    live_server, strict_page, article, settings
):
    """Security finding 13.5: the setup page's QR code and the code steps, with the policy
    enforced: an editor sets up two-factor login, then logs in with a code."""
    settings.NEWSROOM_REQUIRE_2FA = True
    page, problems = strict_page
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:two_factor_setup"))
    qr = page.locator("svg.two-factor-qr")
    assert qr.is_visible() and qr.bounding_box()["width"] > 100
    device = TOTPDevice.objects.get(user__username="chief", confirmed=False)
    page.fill("#id_code", phone_code(device))
    page.click("#two-factor-form input[type=submit]")
    codes = page.locator(".two-factor-codes li")
    codes.nth(9).wait_for()  # the page with the codes, once it has come (a click does not wait)
    assert codes.count() == 10
    page.click("text=I have kept them: continue")
    page.wait_for_url(live_server.url + reverse("admin:index"))

    page.context.clear_cookies()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:two_factor_verify"))
    page.fill("#id_code", phone_code(device, later=30))  # the next code: each works once
    page.click("#two-factor-form input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    assert reported(page, problems) == []


def phone_code(device, *, later=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + later
    return f"{totp.token():06d}"
