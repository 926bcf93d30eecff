"""Whole-page caching for anonymous readers: served without queries, never stale."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

import pagecache
from articles import services
from articles.models import Article, RelatedLink
from comments import services as comment_services
from comments.cookie import COOKIE_NAME
from comments.models import Comment
from pagecache import generations, pages
from tests.factories import comment_post_data, make_article, make_comment, make_section

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED_INPUT = re.compile(r'name="started" value="([^"]+)"')


def form_values(html):
    """The CSRF token and the comment form's start time a page gives its reader."""
    return CSRF_INPUT.search(html).group(1), STARTED_INPUT.search(html).group(1)


def is_cached(client, url, django_assert_num_queries):
    with django_assert_num_queries(0):
        return client.get(url).status_code == 200


def test_second_anonymous_request_is_served_from_the_cache(client, django_assert_num_queries):
    article = make_article(headline="Talks resume")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert is_cached(client, article.get_absolute_url(), django_assert_num_queries)


# Every change readers would see shows on the very next request.


def test_edited_headline_shows_at_once(client):
    article = make_article(headline="First take")
    assert "First take" in client.get(article.get_absolute_url()).text
    article.headline = "Second take"
    article.save()
    assert "Second take" in client.get(article.get_absolute_url()).text
    assert "Second take" in client.get("/").text


def test_published_article_appears_on_the_cached_home_page_at_once(client, editor):
    make_article(headline="Older story")
    draft = make_article(headline="Breaking story", status=Article.Status.DRAFT)
    assert "Breaking story" not in client.get("/").text
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert "Breaking story" in client.get("/").text


def test_bulk_unpublish_hides_the_article_at_once(editor_client):
    reader = Client()
    article = make_article(headline="Withdrawn story")
    assert "Withdrawn story" in reader.get("/").text
    editor_client.post(
        "/admin/articles/article/",
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )
    assert "Withdrawn story" not in reader.get("/").text
    assert reader.get(article.get_absolute_url()).status_code == 404


def test_a_bulk_write_announced_as_a_content_change_shows_at_once(client):
    article = make_article(headline="Renamed in bulk")
    assert "Renamed in bulk" in client.get("/").text
    Article.objects.filter(pk=article.pk).update(headline="Renamed again")
    pagecache.content_changed()
    assert "Renamed again" in client.get("/").text


def test_articles_created_together_appear_on_the_cached_home_page_at_once(client):
    make_article(headline="Older story")
    assert "Imported story" not in client.get("/").text
    imported = Article(
        headline="Imported story", slug="imported-story", status=Article.Status.PUBLISHED
    )
    services.articles_create(articles=[imported], authors=[[]], tags=[[]], faqs=[[]])
    assert "Imported story" in client.get("/").text


def test_imported_approved_comment_shows_at_once_and_a_pending_one_keeps_pages(client):
    article = make_article()
    client.get(article.get_absolute_url())
    generation = generations.current_generation()
    pending = Comment(article=article, name="A", email="a@example.com", body="Held back",
                      status=Comment.Status.PENDING)  # fmt: skip
    comment_services.comments_create(comments=[pending])
    assert generations.current_generation() == generation
    approved = Comment(article=article, name="B", email="b@example.com", body="Carried over",
                       status=Comment.Status.APPROVED)  # fmt: skip
    comment_services.comments_create(comments=[approved])
    assert "Carried over" in client.get(article.get_absolute_url()).text


def test_scheduled_article_appears_when_its_time_comes_without_any_write(client):
    make_article(headline="Today's story")
    due = timezone.now() + timedelta(hours=2)
    make_article(headline="Embargoed story", status=Article.Status.SCHEDULED, publish_at=due)
    with time_machine.travel(due - timedelta(minutes=1)):
        assert "Embargoed story" not in client.get("/").text
        assert "Embargoed story" not in client.get("/").text  # cached
    with time_machine.travel(due + timedelta(seconds=1)):
        assert "Embargoed story" in client.get("/").text


def test_approved_comment_shows_at_once(client):
    article = make_article()
    pending = make_comment(article, body="Worth waiting for", status=Comment.Status.PENDING)
    assert "Worth waiting for" not in client.get(article.get_absolute_url()).text
    comment_services.comment_moderate(
        comments=Comment.objects.filter(pk=pending.pk), status=Comment.Status.APPROVED
    )
    assert "Worth waiting for" in client.get(article.get_absolute_url()).text


def test_pending_comment_keeps_cached_pages(client):
    article = make_article()
    client.get(article.get_absolute_url())
    generation = generations.current_generation()
    make_comment(article, status=Comment.Status.PENDING)
    assert generations.current_generation() == generation


def test_correction_shows_at_once(client):
    article = make_article()
    client.get(article.get_absolute_url())
    services.correction_add(article=article, note="An earlier version misspelled a name.")
    assert "misspelled a name" in client.get(article.get_absolute_url()).text


def test_new_related_link_shows_at_once(client):
    article = make_article()
    client.get(article.get_absolute_url())
    RelatedLink.objects.create(article=article, target=make_article(headline="Editor's pick"))
    assert "Editor&#x27;s pick" in client.get(article.get_absolute_url()).text


def test_new_section_shows_in_the_navigation_at_once(client):
    client.get("/")
    make_section(name="Science", slug="science")
    assert '<a href="/sections/science/">Science</a>' in client.get("/").text


def test_the_masthead_date_turns_over_at_midnight(client):
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 1, 23, 59))):
        assert "Sunday, 1 March 2026" in client.get("/").text
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 2, 0, 0, 1))):
        assert "Monday, 2 March 2026" in client.get("/").text


# Who gets cached pages.


def test_tracking_tags_share_the_cached_page(client, django_assert_num_queries):
    article = make_article()
    client.get(article.get_absolute_url())
    url = article.get_absolute_url() + "?utm_source=newsletter&fbclid=x"
    assert is_cached(client, url, django_assert_num_queries)


def test_article_and_feed_share_one_copy_whatever_their_query(client, django_assert_num_queries):
    article = make_article()
    for url in (article.get_absolute_url(), "/feeds/rss/"):
        client.get(url)
        assert is_cached(client, f"{url}?page=7", django_assert_num_queries)


def test_pages_and_searches_are_cached_separately(client):
    for n in range(13):
        make_article(headline=f"Pipeline story {n}")
    assert "Pipeline story 12" in client.get("/").text
    assert "Pipeline story 12" not in client.get("/?page=2").text
    assert "No articles" in client.get("/search/?q=nothingmatches").text
    assert "Pipeline story" in client.get("/search/?q=pipeline").text


def test_staff_with_a_session_get_pages_rendered_for_them(editor_client):
    article = make_article()
    editor_client.get(article.get_absolute_url())
    response = editor_client.get(article.get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response


def test_reader_with_own_comments_is_not_served_the_shared_copy(client):
    article = make_article()
    client.post(
        f"{article.get_absolute_url()}comments/",
        comment_post_data(article, body="My pending thought"),
    )
    assert COOKIE_NAME in client.cookies
    assert "My pending thought" in client.get(article.get_absolute_url()).text
    assert "My pending thought" not in Client().get(article.get_absolute_url()).text


def test_unchanged_page_answers_304_and_a_changed_one_200(client):
    article = make_article(headline="Stable story")
    first = client.get(article.get_absolute_url())
    assert "ETag" not in first  # a new reader's page carries their new CSRF cookie
    etag = client.get(article.get_absolute_url())["ETag"]
    again = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert again.status_code == 304
    article.headline = "Moved on"
    article.save()
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200 and "Moved on" in response.text


def test_change_made_by_another_server_shows_at_once(client):
    """Each process keeps copies of its pages; a new generation set by any process in the
    shared cache retires them."""
    article = make_article(headline="Copy kept here")
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    with connection.cursor() as cursor:  # written elsewhere: no signal reaches this process
        cursor.execute(
            "UPDATE articles_article SET headline = %s WHERE id = %s", ["Changed there", article.pk]
        )
    cache.set(generations.GENERATION_KEY, "set-by-another-server", None)
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "miss" and "Changed there" in response.text


def test_cached_page_carries_the_same_protections_as_a_rendered_one(client):
    article = make_article()
    rendered = client.get(article.get_absolute_url())
    cached = Client().get(article.get_absolute_url())
    assert (rendered["X-Page-Cache"], cached["X-Page-Cache"]) == ("miss", "hit")
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Cache-Control",
        "Vary",
        "Content-Type",
    ):
        assert cached[header] == rendered[header], header
    assert settings.CSRF_COOKIE_NAME in cached.cookies


def test_search_parameters_cannot_be_smuggled_into_another_pages_key(client):
    make_article(headline="Alpha one")
    client.get("/search/?q=alpha&page=2%26page%3D")
    response = client.get("/search/?q=alpha%26page%3D2")
    assert response["X-Page-Cache"] == "miss"
    assert response.context["query"] == "alpha&page=2"


def test_cached_feed_keeps_its_last_modified_date(client):
    make_article()
    rendered = client.get("/feeds/rss/")
    cached = client.get("/feeds/rss/")
    assert cached["X-Page-Cache"] == "hit"
    assert cached["Last-Modified"] == rendered["Last-Modified"]


def test_each_process_keeps_its_copies_within_a_budget_of_bytes():
    def page(size):
        return pages.Page("g", [b"x" * size], {}, "digest", expires=0)

    copies = pages.LocalPages(budget=3000)
    for number in range(12):
        copies.put(f"page-{number}", page(300))
    kept = [number for number in range(12) if copies.get(f"page-{number}") is not None]
    assert kept == list(range(2, 12)) and copies.size == 3000
    copies.put("large", page(301))  # over a tenth of the budget: left to the shared cache
    assert copies.get("large") is None and copies.size == 3000


def test_page_without_forms_is_revalidated_but_may_be_shared(client):
    make_article()
    response = client.get("/feeds/rss/")
    assert response["Cache-Control"] == "no-cache"
    assert client.get("/feeds/rss/", headers={"if-none-match": response["ETag"]}).status_code == 304


def test_cache_can_be_switched_off(client, settings, django_assert_num_queries):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    article = make_article()
    client.get(article.get_absolute_url())
    with pytest.raises(pytest.fail.Exception):
        is_cached(client, article.get_absolute_url(), django_assert_num_queries)


# Forms on cached pages.


def test_each_reader_of_a_cached_page_gets_their_own_csrf_token_and_form_time():
    article = make_article()
    first = Client().get(article.get_absolute_url())
    time.sleep(0.01)
    second = Client(enforce_csrf_checks=True)
    page = second.get(article.get_absolute_url())
    assert page.status_code == 200
    assert CSRF_INPUT.search(page.text).group(1) != CSRF_INPUT.search(first.text).group(1)
    assert STARTED_INPUT.search(page.text).group(1) != STARTED_INPUT.search(first.text).group(1)
    assert settings.CSRF_COOKIE_NAME in second.cookies
    assert "pagecache" not in page.text.replace("pagecache.py", "")


def test_reader_who_meets_a_cached_page_can_comment_and_sign_up(settings):
    settings.NEWSROOM_COMMENTS_MIN_FILL_SECONDS = 0
    article = make_article()
    Client().get(article.get_absolute_url())  # cached by another reader
    reader = Client(enforce_csrf_checks=True)
    token, started = form_values(reader.get(article.get_absolute_url()).text)
    data = comment_post_data(article, started=started, csrfmiddlewaretoken=token)
    assert reader.post(f"{article.get_absolute_url()}comments/", data).status_code == 302
    signup = {"email": "reader@example.com", "source": "home", "csrfmiddlewaretoken": token}
    assert reader.post("/newsletter/", signup).status_code == 302


def test_returning_reader_keeps_their_csrf_cookie_on_cached_pages(settings):
    settings.NEWSROOM_COMMENTS_MIN_FILL_SECONDS = 0
    article = make_article()
    reader = Client(enforce_csrf_checks=True)
    reader.get(article.get_absolute_url())
    secret = reader.cookies[settings.CSRF_COOKIE_NAME].value
    again = reader.get(article.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert again.cookies[settings.CSRF_COOKIE_NAME].value == secret
    token, started = form_values(again.text)
    assert len(token) == 64 and secret not in token
    data = comment_post_data(article, started=started, csrfmiddlewaretoken=token)
    assert reader.post(f"{article.get_absolute_url()}comments/", data).status_code == 302


def test_forged_csrf_token_is_refused_on_a_cached_page(settings):
    settings.NEWSROOM_COMMENTS_MIN_FILL_SECONDS = 0
    article = make_article()
    Client().get(article.get_absolute_url())
    other_token, _ = form_values(Client().get(article.get_absolute_url()).text)
    reader = Client(enforce_csrf_checks=True)
    _, started = form_values(reader.get(article.get_absolute_url()).text)
    data = comment_post_data(article, started=started, csrfmiddlewaretoken=other_token)
    response = reader.post(f"{article.get_absolute_url()}comments/", data)
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_form_time_on_a_cached_page_is_the_readers_own(settings):
    """The minimum fill time still holds: the cached copy's time is not reused."""
    settings.NEWSROOM_COMMENTS_MIN_FILL_SECONDS = 3600
    article = make_article()
    Client().get(article.get_absolute_url())
    reader = Client()
    started = STARTED_INPUT.search(reader.get(article.get_absolute_url()).text).group(1)
    response = reader.post(
        f"{article.get_absolute_url()}comments/", comment_post_data(article, started=started)
    )
    assert response.status_code == 400 and "That was quick" in response.text
