"""Posting, replying, editing and deleting comments as a reader, and what the article page shows."""

import re
import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.cookie import COMMENTER_COOKIE, COOKIE_NAME
from comments.forms import started_token
from comments.models import Comment
from tests.factories import browser, comment_post_data, make_article, make_comment
from throttle import hash_ip

pytestmark = pytest.mark.django_db


def post_url(article):
    return reverse("comments:post", kwargs={"slug": article.slug})


def edit_url(comment):
    return reverse("comments:edit", kwargs={"slug": comment.article.slug, "pk": comment.pk})


def delete_url(comment):
    return reverse(
        "comments:delete", kwargs={"slug": comment.article.slug, "pk": comment.pk}
    )


def reply_url(comment):
    return reverse(
        "comments:reply", kwargs={"slug": comment.article.slug, "pk": comment.pk}
    )


def post(client, article, **fields):
    return client.post(post_url(article), comment_post_data(article, **fields))


# Posting and moderation visibility


def test_reader_posts_a_comment_and_sees_it_awaiting_moderation(client):
    article = make_article()
    response = post(client, article, name="Ana", body="First line.\nSecond line.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING
    assert (comment.name, comment.article) == ("Ana", article)

    page = client.get(response["Location"])
    assert b"Awaiting moderation" in page.content
    assert b"First line.<br>Second line." in page.content
    assert f'id="comment-{comment.pk}"'.encode() in page.content


def test_pending_comment_is_hidden_from_other_readers_until_approved(client):
    article = make_article()
    post(client, article, body="Only the author sees this for now.")
    other_reader = Client()
    assert b"Only the author sees this" not in other_reader.get(article.get_absolute_url()).content

    services.comment_moderate(comments=Comment.objects.all(), status=Comment.Status.APPROVED)
    page = other_reader.get(article.get_absolute_url())
    assert b"Only the author sees this" in page.content
    assert b"Awaiting moderation" not in page.content


def test_rejected_and_spam_comments_are_never_shown(client):
    article = make_article()
    make_comment(article, body="Rejected words", status=Comment.Status.REJECTED)
    make_comment(article, body="Spam words", status=Comment.Status.SPAM)
    make_comment(article, body="Pending words", status=Comment.Status.PENDING)
    page = client.get(article.get_absolute_url())
    for hidden in (b"Rejected words", b"Spam words", b"Pending words"):
        assert hidden not in page.content
    assert b"No comments yet." in page.content


def test_approved_comments_are_listed_oldest_first_with_name_date_and_permalink(client):
    article = make_article()
    newer = make_comment(article, name="Bea", body="Newer comment")
    older = make_comment(
        article, name="Ana", body="Older comment", created_at=timezone.now() - timedelta(hours=2)
    )
    content = client.get(article.get_absolute_url()).content.decode()
    assert content.index("Older comment") < content.index("Newer comment")
    for comment in (older, newer):
        assert f'id="comment-{comment.pk}"' in content
        assert f'href="#comment-{comment.pk}"' in content
        assert comment.created_at.strftime("%Y-%m-%dT%H:%M") in content
    assert "Ana" in content and "Bea" in content
    assert "2 comments" in content


def test_commenter_email_is_never_on_the_article_page(client):
    article = make_article()
    make_comment(article, email="private-reader@example.com")
    assert b"private-reader" not in client.get(article.get_absolute_url()).content


def test_comment_count_shows_on_article_cards(client):
    article = make_article(headline="Talked-about story")
    make_comment(article)
    make_comment(article)
    make_comment(article, status=Comment.Status.PENDING)
    make_article(headline="Quiet story")
    page = client.get(reverse("articles:home"))
    assert page.status_code == 200
    assert b"2 comments" in page.content
    cards = {a.headline: a.comment_count for a in page.context["articles"]}
    assert cards == {"Talked-about story": 2, "Quiet story": 0}


def test_article_page_carries_the_approved_comment_count(client):
    article = make_article()
    make_comment(article)
    make_comment(article, status=Comment.Status.SPAM)
    assert client.get(article.get_absolute_url()).context["article"].comment_count == 1


# Threading


def test_reply_appears_under_its_parent(client):
    article = make_article()
    parent = make_comment(article, body="Parent words")
    make_comment(article, body="Another top-level comment")
    response = post(client, article, body="Reply words", parent=str(parent.pk))
    reply = Comment.objects.get(body="Reply words")
    assert response.status_code == 302
    assert reply.parent == parent
    Comment.objects.filter(pk=reply.pk).update(status=Comment.Status.APPROVED)

    content = Client().get(article.get_absolute_url()).content.decode()
    replies_start = content.index('class="comment-replies"')
    assert content.index("Parent words") < replies_start < content.index("Reply words")
    assert content.index("Reply words") < content.index("Another top-level comment")
    assert "3 comments" in content


def test_reply_page_shows_the_parent_and_a_form_that_replies_to_it(client):
    article = make_article()
    parent = make_comment(article, name="Ana", body="What do you think?")
    page = client.get(reply_url(parent))
    assert page.status_code == 200
    assert b"Reply to Ana" in page.content
    assert b"What do you think?" in page.content
    assert f'name="parent" value="{parent.pk}"'.encode() in page.content


@pytest.mark.parametrize("kind", ["pending", "reply", "other_article", "missing"])
def test_replies_only_go_under_approved_top_level_comments_of_the_article(client, kind):
    article = make_article()
    top = make_comment(article)
    targets = {
        "pending": lambda: make_comment(article, status=Comment.Status.PENDING).pk,
        "reply": lambda: make_comment(article, parent=top).pk,
        "other_article": lambda: make_comment(make_article()).pk,
        "missing": lambda: 987654,
    }
    parent_pk = targets[kind]()
    before = Comment.objects.count()
    response = post(client, article, parent=str(parent_pk), body="Misplaced reply")
    assert response.status_code == 400
    assert b"cannot be replied to" in response.content
    assert Comment.objects.count() == before
    url = reverse("comments:reply", kwargs={"slug": article.slug, "pk": parent_pk})
    assert client.get(url).status_code == 404


def test_approved_reply_is_hidden_when_its_parent_is_rejected(client):
    article = make_article()
    parent = make_comment(article, body="Parent words", status=Comment.Status.REJECTED)
    make_comment(article, parent=parent, body="Orphaned reply")
    assert b"Orphaned reply" not in client.get(article.get_absolute_url()).content
    assert Article.objects.get().comment_count == 0


# Closed comments


def assert_closed(client, article):
    page = client.get(article.get_absolute_url())
    assert b"Comments are closed." in page.content
    assert b'class="comment-form"' not in page.content
    response = post(client, article)
    assert response.status_code == 403
    assert b"no longer taking comments" in response.content
    assert not Comment.objects.exists()


def test_comments_close_when_the_article_disallows_them(client):
    assert_closed(client, make_article(allow_comments=False))


@pytest.mark.parametrize(("days", "open_until"), [(30, timedelta(days=30)), (7, timedelta(days=7))])
def test_comments_close_a_set_number_of_days_after_publication(client, settings, days, open_until):
    settings.NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = days
    article = make_article()
    with time_machine.travel(article.published_at + open_until - timedelta(minutes=1)):
        assert b'class="comment-form"' in client.get(article.get_absolute_url()).content
    with time_machine.travel(article.published_at + open_until + timedelta(minutes=1)):
        assert_closed(client, article)


def test_existing_comments_stay_visible_after_closing(client):
    article = make_article(allow_comments=False)
    make_comment(article, body="Said before closing")
    assert b"Said before closing" in client.get(article.get_absolute_url()).content


def test_unpublished_article_takes_no_comments(client):
    article = make_article(status=Article.Status.DRAFT)
    assert post(client, article).status_code == 404
    assert not Comment.objects.exists()


def test_post_url_accepts_only_post(client):
    article = make_article()
    assert client.get(post_url(article)).status_code == 405


# Errors shown next to the fields, text kept


def test_invalid_comment_shows_errors_next_to_fields_and_keeps_the_text(client):
    article = make_article()
    response = post(client, article, name="", email="not-an-email", body="My careful words")
    assert response.status_code == 400
    assert response.templates[0].name == "comments/comment_form.html"
    form = response.context["form"]
    assert set(form.errors) == {"name", "email"}
    content = response.content.decode()
    assert "My careful words" in content
    assert 'value="not-an-email"' in content
    assert content.index('id="id_email_error"') > content.index('for="id_email"')
    assert not Comment.objects.exists()


def test_a_comment_over_5000_characters_is_refused(client):
    article = make_article()
    response = post(client, article, body="x" * 5001)
    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert post(client, article, body="y" * 5000).status_code == 302


def test_windows_line_breaks_count_once_towards_the_limit(client):
    article = make_article()
    assert post(client, article, body="a\r\n" * 2000).status_code == 302
    assert "\r" not in Comment.objects.get().body


# Defences


def test_honeypot_filled_in_is_refused_and_nothing_saved(client):
    article = make_article()
    response = post(client, article, website="https://spam.example")
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["honeypot"]
    assert not Comment.objects.exists()


def test_form_sent_faster_than_the_minimum_fill_time_is_refused(client, settings):
    settings.NEWSROOM_COMMENTS_MIN_FILL_SECONDS = 3
    article = make_article()
    response = post(client, article, started=started_token(article, now=time.time() - 1))
    assert response.status_code == 400
    assert b"That was quick!" in response.content
    assert not Comment.objects.exists()
    assert (
        post(client, article, started=started_token(article, now=time.time() - 4)).status_code
        == 302
    )


@pytest.mark.parametrize(
    "started",
    [
        "not-a-token",
        signing.dumps([1, time.time() - 10], salt="another.purpose"),
        "forged",  # replaced below by a token for another article
    ],
)
def test_missing_forged_or_foreign_timestamp_is_refused(client, started):
    article = make_article()
    if started == "forged":
        started = started_token(make_article(), now=time.time() - 10)
    response = post(client, article, started=started)
    assert response.status_code == 400
    assert b"This form had expired" in response.content
    assert not Comment.objects.exists()


def test_stale_form_is_refused_and_shown_again_with_a_fresh_timestamp(client):
    article = make_article()
    stale = started_token(article, now=time.time() - 2 * 24 * 3600)
    response = post(client, article, started=stale)
    assert response.status_code == 400
    assert b"This form had expired" in response.content
    assert stale.encode() not in response.content


def test_rate_limit_per_ip_answers_429_with_a_human_message(client, settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 5
    article = make_article()
    for _ in range(5):
        assert post(client, article).status_code == 302
    response = post(client, article)
    assert response.status_code == 429
    assert b"Please wait" in response.content
    assert b"Your comment, so you can copy it" in response.content
    assert response["Retry-After"] == str(settings.NEWSROOM_COMMENTS_RATE_PERIOD)
    assert Comment.objects.count() == 5


def test_rate_limit_per_email_applies_across_addresses(client, settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 2
    article = make_article()
    for n in range(2):
        data = comment_post_data(article, email="busy@example.com")
        assert client.post(post_url(article), data, REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    data = comment_post_data(article, email="BUSY@example.com")
    assert client.post(post_url(article), data, REMOTE_ADDR="10.0.0.9").status_code == 429
    data = comment_post_data(article, email="other@example.com")
    assert client.post(post_url(article), data, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_spammy_comment_is_filed_as_spam_and_looks_pending_to_its_author(client):
    article = make_article()
    post(client, article, body="Cheap viagra here")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert "viagra" in comment.spam_reason
    assert b"Awaiting moderation" in client.get(article.get_absolute_url()).content
    assert b"Cheap viagra" not in Client().get(article.get_absolute_url()).content


def test_poster_ip_is_stored_hashed_and_user_agent_truncated(client):
    article = make_article()
    client.post(
        post_url(article),
        comment_post_data(article),
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Bot/" + "x" * 1000,
    )
    comment = Comment.objects.get()
    assert comment.ip_hash == hash_ip("203.0.113.7")
    assert "203.0.113.7" not in comment.ip_hash
    assert len(comment.user_agent) == 255 and comment.user_agent.startswith("Bot/")


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "Nul\x00byte"},
        {"body": "Nul\x00byte in the body"},
        {"email": "nul\x00@example.com"},
        {"name": "n" * 81},
        {"email": "a" * 250 + "@example.com"},
        {"parent": "not-a-number"},
        {"parent": "-3"},
        {"parent": "99999999999999999999999"},
        {"body": ""},
        {"body": "   \n  "},
    ],
)
def test_malformed_fields_give_a_form_error_and_save_nothing(client, fields):
    article = make_article()
    response = post(client, article, **fields)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Comment.objects.exists()


def test_non_utf8_post_gives_a_form_error(client):
    article = make_article()
    data = comment_post_data(article)
    raw = "&".join(f"{k}={v}" for k, v in data.items() if k != "body").encode()
    raw += b"&body=caf\xe9+\xff\xfe+latin-1"
    response = client.generic(
        "POST", post_url(article), raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert b"could not be read" in response.content
    assert not Comment.objects.exists()


def test_percent_encoded_bytes_that_are_not_utf8_give_a_form_error(client):
    article = make_article()
    data = comment_post_data(article, body="")
    raw = urlencode(data).replace("body=", "body=caf%E9").encode()
    response = client.generic(
        "POST", post_url(article), raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert b"could not be read" in response.content
    assert not Comment.objects.exists()


def test_oversized_post_is_a_400(client):
    article = make_article()
    data = comment_post_data(article, body="x" * (3 * 1024 * 1024))
    assert client.post(post_url(article), data).status_code == 400
    assert not Comment.objects.exists()


def test_too_many_fields_is_a_400(client):
    article = make_article()
    raw = "&".join(f"f{n}=1" for n in range(1500))
    response = client.generic(
        "POST", post_url(article), raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_malformed_multipart_post_is_a_400(client):
    article = make_article()
    response = client.generic(
        "POST",
        post_url(article),
        b"--broken\r\nnot really multipart",
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_comment_from_another_site_is_refused():
    article = make_article()
    browser = Client(enforce_csrf_checks=True, headers={"sec-fetch-site": "cross-site"})
    response = browser.post(post_url(article), comment_post_data(article))
    assert response.status_code == 403 and b"<h1>Your form was not sent</h1>" in response.content
    assert not Comment.objects.exists()


def test_browser_without_fetch_metadata_confirms_with_a_csrf_token():
    """An old browser sends neither Sec-Fetch-Site nor Origin: it gets a page of its own with
    the fields kept and a token, and the post from there is checked as any form is."""
    article = make_article()
    browser = Client(enforce_csrf_checks=True)
    data = comment_post_data(article)
    confirm = browser.post(post_url(article), data)
    assert confirm.status_code == 200 and not Comment.objects.exists()
    assert "no-store" in confirm["Cache-Control"] and "Please confirm" in confirm.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.text).group(1)
    assert 'value="A thoughtful comment' in confirm.text
    forged = browser.post(post_url(article), {**data, "csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403 and not Comment.objects.exists()
    response = browser.post(post_url(article), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Comment.objects.count() == 1


# Editing and deleting within the window


def posted_comment(client, article, **fields):
    response = post(client, article, **fields)
    assert response.status_code == 302
    return Comment.objects.latest("pk")


def test_reader_can_edit_their_comment_within_15_minutes(client):
    article = make_article()
    comment = posted_comment(client, article, body="Tpyo here")
    page = client.get(article.get_absolute_url())
    assert edit_url(comment).encode() in page.content
    assert client.get(edit_url(comment)).status_code == 200
    response = client.post(edit_url(comment), {"body": "Typo fixed"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Typo fixed"
    assert comment.edited_at is not None


def test_edit_with_an_empty_body_is_refused_and_keeps_the_comment(client):
    article = make_article()
    comment = posted_comment(client, article, body="Keep me")
    response = client.post(edit_url(comment), {"body": ""})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.body == "Keep me"


def test_an_edited_approved_comment_is_hidden_from_readers_until_approved_again(client):
    article = make_article()
    comment = posted_comment(client, article, body="Nice piece, thanks for writing it.")
    Comment.objects.update(status=Comment.Status.APPROVED)
    client.post(edit_url(comment), {"body": "Completely different text nobody approved"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert b"nobody approved" not in Client().get(article.get_absolute_url()).content
    assert b"nobody approved" in client.get(article.get_absolute_url()).content  # their own


def test_reader_can_delete_their_comment_within_15_minutes(client):
    article = make_article()
    comment = posted_comment(client, article, body="Regrettable")
    assert b"Delete your comment?" in client.get(delete_url(comment)).content
    response = client.post(delete_url(comment))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comments"
    assert not Comment.objects.exists()
    assert response.cookies[COOKIE_NAME].value == ""


def test_edit_and_delete_are_refused_after_15_minutes(client):
    article = make_article()
    comment = posted_comment(client, article)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        page = client.get(article.get_absolute_url())
        assert edit_url(comment).encode() not in page.content
        response = client.post(edit_url(comment), {"body": "Too late"})
        assert response.status_code == 403
        assert b"15 minutes" in response.content
        assert client.post(delete_url(comment)).status_code == 403
    comment.refresh_from_db()
    assert comment.body != "Too late"


def test_edit_and_delete_are_refused_from_another_browser(client):
    article = make_article()
    comment = posted_comment(client, article)
    stranger = Client()
    assert stranger.get(edit_url(comment)).status_code == 403
    assert stranger.post(delete_url(comment)).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_tampered_cookie_grants_nothing(client):
    article = make_article()
    mine = posted_comment(client, article)
    theirs = make_comment(article, body="Someone else's words")
    value = client.cookies[COOKIE_NAME].value
    payload, _, signature = value.rpartition(":")
    forged = signing.dumps([[theirs.pk, int(time.time())]], salt="some.other.salt", compress=True)
    # The signature's first character changed (a signature may begin with any letter).
    tampered = f"{payload}:{'y' if signature.startswith('x') else 'x'}{signature[1:]}"
    for cookie in (tampered, forged, "garbage"):
        client.cookies[COOKIE_NAME] = cookie
        assert client.post(edit_url(theirs), {"body": "Hijacked"}).status_code == 403
        assert client.post(delete_url(mine)).status_code == 403
    theirs.refresh_from_db()
    assert theirs.body == "Someone else's words"


def test_a_cookie_for_another_comment_does_not_open_this_one(client):
    article = make_article()
    posted_comment(client, article)
    other = make_comment(article)
    assert client.post(edit_url(other), {"body": "Not mine"}).status_code == 403


def test_own_cookie_is_http_only_and_same_site(client):
    article = make_article()
    response = post(client, article)
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 15 * 60


def test_edit_is_refused_once_comments_close_but_delete_still_works(client):
    article = make_article()
    comment = posted_comment(client, article)
    Article.objects.filter(pk=article.pk).update(allow_comments=False)
    assert client.post(edit_url(comment), {"body": "Changed"}).status_code == 403
    assert client.post(delete_url(comment)).status_code == 302


# Security finding 13.6: with NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN on, anyone typing the
# address of an approved commenter was published at once. Known now means proven: the browser
# holds the signed cookie of an approved comment under that address.


@pytest.fixture
def auto_approve_known(settings):
    settings.NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN = True
    settings.NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES = 0


def test_typing_a_known_commenters_address_does_not_publish_at_once(client, auto_approve_known):
    article = make_article()
    make_comment(article, email="known@example.com", body="An approved comment of theirs.")
    impostor = browser()
    posted_comment(impostor, article, email="Known@Example.com", body="See https://evil.example")
    assert Comment.objects.latest("pk").status == Comment.Status.PENDING
    assert b"evil.example" not in Client().get(article.get_absolute_url()).content


def test_a_reader_whose_comment_was_approved_is_published_at_once_from_their_browser(
    client, auto_approve_known
):
    article = make_article()
    first = posted_comment(client, article, email="ana@example.com", name="Ana")
    assert first.status == Comment.Status.PENDING
    services.comment_moderate(comments=Comment.objects.all(), status=Comment.Status.APPROVED)
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        article = make_article()  # a later article, long after the edit window closed
        again = posted_comment(client, article, email="ana@example.com", body="Me again.")
        assert again.status == Comment.Status.APPROVED
        other = posted_comment(client, article, email="bea@example.com", body="Someone else.")
        assert other.status == Comment.Status.PENDING


def test_the_commenter_cookie_is_signed_http_only_and_kept_only_when_the_setting_is_on(
    client, settings
):
    article = make_article()
    assert COMMENTER_COOKIE not in post(client, article).cookies
    settings.NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN = True
    cookie = post(client, article).cookies[COMMENTER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/articles/"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60
    approved = make_comment(article, email="ana@example.com")
    forged = signing.dumps([approved.pk], salt="some.other.salt", compress=True)
    stranger = browser()
    stranger.cookies[COMMENTER_COOKIE] = forged
    posted_comment(stranger, article, email="ana@example.com")
    assert Comment.objects.latest("pk").status == Comment.Status.PENDING


def test_direction_controls_are_removed_from_names_bodies_and_link_text(client):
    """Security finding 13.11: U+202E and the other direction controls spoofed link text."""
    article = make_article()
    comment = posted_comment(
        client,
        article,
        name="\u202eAna\u2066 Silva\u2069",
        body="My CV: https://example.com/\u202efdp.exe\nThanks\u200f!",
    )
    assert (comment.name, comment.body) == (
        "Ana Silva",
        "My CV: https://example.com/fdp.exe\nThanks!",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "\u202e" not in html and "\u2066" not in html
    assert ">https://example.com/fdp.exe</a>" in html
    client.post(edit_url(comment), {"body": "Edited: https://example.com/\u202etxt.exe"})
    comment.refresh_from_db()
    assert comment.body == "Edited: https://example.com/txt.exe"


def test_deleting_ones_comment_keeps_other_readers_replies_under_a_removed_note(client):
    """Security finding 13.11: deleting one's own comment deleted other readers' replies."""
    article = make_article()
    mine = posted_comment(client, article, name="Ana", body="Words I regret")
    services.comment_moderate(comments=Comment.objects.all(), status=Comment.Status.APPROVED)
    make_comment(article, parent=Comment.objects.get(pk=mine.pk), name="Bea", body="Bea replies")
    page = client.get(delete_url(mine)).content.decode()
    assert "Replies from other readers stay" in page
    assert client.post(delete_url(mine)).status_code == 302

    html = Client().get(article.get_absolute_url()).content.decode()
    assert "Bea replies" in html
    assert "Words I regret" not in html and ">Ana<" not in html
    assert f'id="comment-{mine.pk}"' in html
    assert "This comment was removed by its writer." in html
    assert "1 comment" in html
    assert reply_url(mine) not in html
    assert client.get(reply_url(mine)).status_code == 404
    article.refresh_from_db()
    assert article.comment_count == 1


def test_a_removed_comment_without_shown_replies_leaves_no_note(client):
    article = make_article()
    mine = posted_comment(client, article)
    services.comment_moderate(comments=Comment.objects.all(), status=Comment.Status.APPROVED)
    make_comment(article, parent=Comment.objects.get(pk=mine.pk), status=Comment.Status.SPAM)
    client.post(delete_url(mine))
    assert Comment.objects.filter(pk=mine.pk).exists()  # it holds the spam reply
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "removed by its writer" not in html
    assert "No comments yet." in html


# Query count


def page_queries(client, article):
    """The queries of the article page rendered afresh (not served from the page cache)."""
    client.get(article.get_absolute_url())
    if COOKIE_NAME not in client.cookies:
        client.cookies[COOKIE_NAME] = "expired"  # a reader who is never sent the shared copy
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(queries)


def test_article_page_query_count_does_not_grow_with_comments(client):
    few, many = make_article(), make_article()
    make_comment(few)
    for _ in range(20):
        parent = make_comment(many)
        make_comment(many, parent=parent)
        make_comment(many, parent=parent, status=Comment.Status.PENDING)
    assert page_queries(client, few) == page_queries(client, many)


def test_own_comments_add_no_queries_per_comment(client, settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 100
    article = make_article()
    posted_comment(client, article)
    one = page_queries(client, article)
    for _ in range(5):
        posted_comment(client, article)
    assert page_queries(client, article) == one


# Issue 13: reader edits are limited like posts; a start token is good for one comment.


def test_reader_edits_are_rate_limited_like_posts(client, settings):
    settings.NEWSROOM_COMMENTS_RATE_LIMIT = 3
    article = make_article()
    comment = posted_comment(client, article)
    edit = f"{article.get_absolute_url()}comments/{comment.pk}/edit/"
    assert [client.post(edit, {"body": f"Take {n}."}).status_code for n in range(2)] == [302, 302]
    refused = client.post(edit, {"body": "Take three."})
    assert refused.status_code == 429 and refused["Retry-After"]
    comment.refresh_from_db()
    assert comment.body == "Take 1."


def test_one_start_token_cannot_carry_two_comments(client):
    """Issue 13, finding 11: one signed start time was good for any number of posts for 24 h."""
    article = make_article()
    started = started_token(article, now=time.time() - 10)
    assert post(client, article, started=started).status_code == 302
    again = post(client, article, started=started, body="And another one.")
    assert again.status_code == 400 and b"already sent" in again.content
    assert Comment.objects.count() == 1


def test_start_token_expires_after_two_hours(client):
    article = make_article()
    started = started_token(article, now=time.time() - 2 * 3600 - 5)
    response = post(client, article, started=started)
    assert response.status_code == 400 and b"This form had expired" in response.content


def test_page_for_everyone_has_no_start_token_and_its_script_fetches_one(client):
    article = make_article()
    page = client.get(article.get_absolute_url()).text
    start_url = f"{article.get_absolute_url()}comments/start/"
    assert 'name="started" value=""' in page and f'data-start-url="{start_url}"' in page
    response = client.get(start_url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert post(client, article, started=response.text).status_code in (302, 400)


def test_comment_sent_without_a_start_token_comes_back_to_be_sent_again(client, settings):
    """The no-JavaScript path: the form comes back for this reader alone, with a token."""
    settings.NEWSROOM_COMMENTS_MIN_FILL_SECONDS = 0
    article = make_article()
    response = post(client, article, started="", body="Written without JavaScript.")
    assert response.status_code == 200 and not Comment.objects.exists()
    assert "Please check your comment, then send it." in response.text
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    token = re.search(r'name="started" value="([^"]+)"', response.text).group(1)
    sent = post(client, article, started=token, body="Written without JavaScript.")
    assert sent.status_code == 302 and Comment.objects.get().body == "Written without JavaScript."
