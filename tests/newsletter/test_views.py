import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.tasks import default_task_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from newsletter.models import CONFIRM_MAX_AGE, Subscriber
from newsletter.services import subscriber_unsubscribe
from newsletter.signups import subscriber_signup
from tests.factories import make_article, make_subscriber

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")


def confirm_url(subscriber):
    return reverse("newsletter:confirm", kwargs={"token": subscriber.confirmation_token()})


def unsubscribe_url(subscriber):
    return reverse("newsletter:unsubscribe", kwargs={"token": subscriber.unsubscribe_token()})


def test_newsletter_page_has_a_labelled_form_posting_to_signup(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    assertions = [
        f'<form method="post" action="{SIGNUP}">',
        '<label for="newsletter-email">Email address:</label>',
        '<label for="newsletter-name">Name (optional):</label>',
        'name="csrfmiddlewaretoken"',
        'autocomplete="email"',
    ]
    for html in assertions:
        assert html in response.content.decode()


def test_signup_redirects_to_check_your_inbox_and_sends_the_confirmation(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    # The immediate task backend, as under `make run`: the queued signup is recorded as the
    # request's transaction commits.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, {"email": "ana@example.com", "name": "Ana"})
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:thanks")
    assert client.get(response["Location"]).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert len(mailoutbox) == 1


def test_signup_from_an_article_records_it(client):
    article = make_article()
    client.post(SIGNUP, {"email": "ana@example.com", "source": "article", "article": article.pk})
    call_command("send_newsletter", verbosity=0)  # where no task worker runs
    subscriber = Subscriber.objects.get()
    assert (subscriber.source, subscriber.source_article) == ("article", article)


@pytest.mark.parametrize("status", [None, "pending", "confirmed", "unsubscribed", "bounced"])
def test_signup_answers_the_same_whatever_the_address_state(client, status):
    """Nobody can learn from the response whether an address is subscribed."""
    if status:
        make_subscriber(email="ana@example.com", status=status)
    response = client.post(SIGNUP, {"email": "ana@example.com"}, follow=True)
    assert response.redirect_chain == [(reverse("newsletter:thanks"), 302)]
    assert "ana@example.com" not in response.content.decode()


def test_bad_email_shows_the_form_again_with_an_error_and_saves_nothing(client, mailoutbox):
    response = client.post(SIGNUP, {"email": "not-an-email", "name": "Ana"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'aria-invalid="true"' in html
    assert 'value="Ana"' in html
    assert not Subscriber.objects.exists() and mailoutbox == []


def test_signup_from_another_site_is_refused():
    client = Client(enforce_csrf_checks=True, headers={"origin": "https://evil.example"})
    assert client.post(SIGNUP, {"email": "ana@example.com"}).status_code == 403
    assert not Subscriber.objects.exists()


def test_signup_without_fetch_metadata_or_token_asks_to_confirm_and_changes_nothing():
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGNUP, {"email": "ana@example.com"})
    assert response.status_code == 200 and "Please confirm" in response.text
    assert not Subscriber.objects.exists()


def test_signup_is_rate_limited_per_ip(client, mailoutbox):
    for n in range(10):
        client.post(SIGNUP, {"email": f"reader{n}@example.com"}, REMOTE_ADDR="10.0.0.1")
    response = client.post(SIGNUP, {"email": "more@example.com"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "Too many signups" in response.content.decode()
    assert not Subscriber.objects.filter(email="more@example.com").exists()
    other = client.post(SIGNUP, {"email": "more@example.com"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


def test_opening_the_confirmation_link_changes_nothing(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    for method in (client.get, client.head):
        response = method(confirm_url(subscriber))
        assert response.status_code == 200
    assert "Confirm my subscription" in client.get(confirm_url(subscriber)).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert "no-cache" in response["Cache-Control"]


def test_pressing_confirm_confirms(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    response = client.post(confirm_url(subscriber))
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:confirmed")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_confirm_button_needs_the_csrf_token():
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    assert Client(enforce_csrf_checks=True).post(confirm_url(subscriber)).status_code == 403


def test_confirming_after_unsubscribing_says_sign_up_again(client):
    subscriber = make_subscriber(status=Subscriber.Status.UNSUBSCRIBED)
    response = client.post(confirm_url(subscriber))
    assert "sign up" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_tampered_confirmation_link_gives_a_friendly_page_and_changes_nothing(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    token = subscriber.confirmation_token()
    bad = reverse("newsletter:confirm", kwargs={"token": token[:-3] + "abc"})
    for response in (client.get(bad), client.post(bad)):
        assert response.status_code == 400
        assert "This link has expired or is incomplete" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_expired_confirmation_link_offers_a_fresh_signup(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    with time_machine.travel(timezone.now() - CONFIRM_MAX_AGE - timedelta(hours=1)):
        url = confirm_url(subscriber)
    response = client.post(url)
    assert response.status_code == 400
    assert f'action="{SIGNUP}"' in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_opening_the_unsubscribe_link_changes_nothing(client):
    subscriber = make_subscriber()
    client.head(unsubscribe_url(subscriber))
    response = client.get(unsubscribe_url(subscriber))
    assert response.status_code == 200
    assert "<button" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_one_click_unsubscribe_works_without_cookies_or_csrf_token():
    """RFC 8058: the mail provider POSTs List-Unsubscribe=One-Click to the header's address."""
    subscriber = make_subscriber()
    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_url(subscriber), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200  # a page, never a redirect
    assert "You're unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribing_twice_is_harmless(client):
    subscriber = make_subscriber()
    client.post(unsubscribe_url(subscriber))
    subscriber.refresh_from_db()
    first_time = subscriber.unsubscribed_at
    response = client.post(unsubscribe_url(subscriber))
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at == first_time


def test_tampered_unsubscribe_link_gives_a_friendly_page_and_changes_nothing(client):
    subscriber, other = make_subscriber(), make_subscriber()
    forged = subscriber.unsubscribe_token().replace(str(subscriber.pk), str(other.pk), 1)
    response = client.post(reverse("newsletter:unsubscribe", kwargs={"token": forged}))
    assert response.status_code == 400
    assert "nothing has changed" in response.content.decode()
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"confirmed"}


def test_unsubscribe_is_the_only_csrf_exempt_view_on_the_site():
    def views(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern.url_patterns)
            else:
                yield pattern.lookup_str, pattern.callback

    exempt = {
        name
        for name, view in views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
    }
    # The forms on pages for everyone are checked by pagecache.same_site_post instead.
    same_site = {"comments.views.comment_post", "newsletter.views.signup"}
    assert exempt - same_site == {"newsletter.views.unsubscribe"}
    assert all(getattr(view, "same_site_post", False) for name, view in
               views(get_resolver().url_patterns) if name in same_site)  # fmt: skip


def test_signup_form_is_on_the_home_page_and_article_pages(client):
    article = make_article()
    home = client.get(reverse("articles:home")).content.decode()
    assert 'name="source" value="home"' in home
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="source" value="article"' in page
    assert f'name="article" value="{article.pk}"' in page
    assert '<label for="newsletter-email">' in page


# Security finding 13.10: a confirmation link is good for one confirmation of the signup it was
# sent for, not for its whole three days.


def test_a_confirmation_link_confirms_once_and_then_no_longer_works(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    url = confirm_url(subscriber)
    assert client.post(url).status_code == 302
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "This link has expired or is incomplete" in response.content.decode()


def test_a_confirmation_link_does_not_survive_unsubscribing_and_signing_up_again(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    old_link = confirm_url(subscriber)
    subscriber_unsubscribe(subscriber=subscriber)
    subscriber_signup(email=subscriber.email)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    response = client.post(old_link)
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert client.post(confirm_url(subscriber)).status_code == 302  # the new link works


def test_a_link_from_before_a_confirmed_reader_left_cannot_resubscribe_them(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    first_link = confirm_url(subscriber)
    client.post(first_link)
    subscriber_unsubscribe(subscriber=Subscriber.objects.get(pk=subscriber.pk))
    subscriber_signup(email=subscriber.email)
    assert client.post(first_link).status_code == 400
    assert Subscriber.objects.get(pk=subscriber.pk).status == Subscriber.Status.PENDING


# Security finding 13.8: the confirmation was sent inside the request for new and pending
# addresses only, so the time an answer took told whether an address was subscribed.

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def request_path(client, email, capture_on_commit):
    """What one signup POST does: its SQL with the values blanked, the tasks it queues (with
    their arguments' kinds) and the emails it sends, and its answer."""
    mail.outbox = []
    default_task_backend.clear()
    with CaptureQueriesContext(connection) as queries, capture_on_commit(execute=True):
        response = client.post(SIGNUP, {"email": email, "name": "Ana", "source": "home"})
    statements = tuple(re.sub(r"'(?:[^']|'')*'|\b\d+\b", "?", q["sql"]) for q in queries)
    tasks = tuple(
        (result.task.name, tuple(type(arg).__name__ for arg in result.args))
        for result in default_task_backend.results
    )
    return (response.status_code, response["Location"], statements, tasks, len(mail.outbox))


def test_new_pending_confirmed_and_bounced_addresses_take_the_same_path_in_the_request(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    states = ["pending", "confirmed", "unsubscribed", "bounced"]
    for status in states:
        make_subscriber(email=f"{status}@example.com", status=status)
    paths = {
        state: request_path(client, f"{state}@example.com", django_capture_on_commit_callbacks)
        for state in ["new", *states]
    }
    assert len(set(paths.values())) == 1, paths
    status, location, statements, tasks, sent = paths["new"]
    assert (status, location, sent) == (302, reverse("newsletter:thanks"), 0)
    assert len(tasks) == 1


def test_the_queued_signup_is_recorded_and_confirmed_off_the_request_path(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS
    make_subscriber(email="confirmed@example.com")
    make_subscriber(email="bounced@example.com", status="bounced")
    with django_capture_on_commit_callbacks(execute=True):
        for email in ["new@example.com", "confirmed@example.com", "bounced@example.com"]:
            client.post(SIGNUP, {"email": email, "name": "Ana"})
    assert mailoutbox == [] and not Subscriber.objects.filter(email="new@example.com").exists()
    for result in default_task_backend.results:
        result.task.call(*result.args, **result.kwargs)  # what a task worker does
    assert [message.to for message in mailoutbox] == [["new@example.com"]]
    assert Subscriber.objects.get(email="new@example.com").status == Subscriber.Status.PENDING
