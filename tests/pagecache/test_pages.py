"""Whole-page caching for anonymous readers: served without queries, never stale."""

import re
from datetime import timedelta

import pytest
import time_machine
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
from pagecache import keys, pages
from tests.factories import comment_post_data, make_article, make_comment, make_section

pytestmark = pytest.mark.django_db

STARTED_INPUT = re.compile(r'name="started" value="([^"]*)"')
SAME_ORIGIN = {"sec-fetch-site": "same-origin", "origin": "http://testserver"}


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
    pagecache.pages_changed({f"article-{article.pk}"})
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
    pending = Comment(article=article, name="A", email="a@example.com", body="Held back",
                      status=Comment.Status.PENDING)  # fmt: skip
    comment_services.comments_create(comments=[pending])
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
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
    make_comment(article, status=Comment.Status.PENDING)
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


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


def test_pages_and_searches_show_their_own_results(client):
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
    etag = client.get(article.get_absolute_url())["ETag"]
    again = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert again.status_code == 304
    article.headline = "Moved on"
    article.save()
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200 and "Moved on" in response.text


def test_change_made_by_another_server_shows_at_once(client):
    """Each process keeps copies of its pages; a change stamped by any process in the shared
    cache retires them."""
    article = make_article(headline="Copy kept here")
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    with connection.cursor() as cursor:  # written elsewhere: no signal reaches this process
        cursor.execute(
            "UPDATE articles_article SET headline = %s WHERE id = %s", ["Changed there", article.pk]
        )
    cache.set(keys.marker(f"article-{article.pk}"), cache.get(keys.CLOCK_KEY) + 1, None)
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
        "Content-Type",
        "xkey",
    ):
        assert cached[header] == rendered[header], header
    assert "Vary" not in cached and "Vary" not in rendered
    assert not cached.cookies and not rendered.cookies


def test_search_parameters_cannot_be_smuggled_into_another_pages_key(client):
    make_article(headline="Alpha one")
    client.get("/search/?q=alpha&page=2%26page%3D")
    response = client.get("/search/?q=alpha%26page%3D2")
    assert response.context["query"] == "alpha&page=2"


def test_cached_feed_keeps_its_last_modified_date(client):
    make_article()
    rendered = client.get("/feeds/rss/")
    cached = client.get("/feeds/rss/")
    assert cached["X-Page-Cache"] == "hit"
    assert cached["Last-Modified"] == rendered["Last-Modified"]


def test_each_process_keeps_its_copies_within_a_budget_of_bytes(settings):
    def page(size):
        return pages.Page(b"x" * size, {}, frozenset(), 0, expires=0, digest="digest")

    settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES = 3000
    copies = pages.LocalPages()
    for number in range(12):
        copies.put(f"page-{number}", page(300))
    kept = [number for number in range(12) if copies.get(f"page-{number}")[0] is not None]
    assert kept == list(range(2, 12)) and copies.size == 3000
    copies.put("large", page(301))  # over a tenth of the budget: left to the shared cache
    assert copies.get("large") == (None, None) and copies.size == 3000


def test_pages_may_be_kept_by_shared_caches_and_revalidated_by_browsers(client):
    make_article()
    response = client.get("/feeds/rss/")
    assert "public" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert client.get("/feeds/rss/", headers={"if-none-match": response["ETag"]}).status_code == 304


def test_shared_caches_may_serve_a_page_while_it_is_made_again_or_while_the_site_is_down(
    client,
):
    article = make_article()
    for url in ("/", article.get_absolute_url(), "/feeds/rss/"):
        response = client.get(url)
        directives = dict(
            (part.strip().split("=") + [None])[:2] for part in response["Cache-Control"].split(",")
        )
        assert "public" in directives, url
        assert directives["stale-while-revalidate"] == "30", url
        assert directives["stale-if-error"] == "86400", url  # a day of an outage
        assert int(directives["s-maxage"]) >= int(directives["max-age"]), url


def test_cache_can_be_switched_off(client, settings, django_assert_num_queries):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    article = make_article()
    client.get(article.get_absolute_url())
    with pytest.raises(pytest.fail.Exception):
        is_cached(client, article.get_absolute_url(), django_assert_num_queries)


# Pages for everyone, and what a reader can (not) do to the cache.


def test_no_page_served_to_two_readers_differs(client):
    article = make_article(tags=["Energy"], section=make_section(slug="world"))
    make_comment(article)
    for url in ("/", article.get_absolute_url(), "/sections/world/", "/tags/energy/",
                "/feeds/rss/", "/sitemap.xml"):  # fmt: skip
        first, second = Client().get(url), Client().get(url)
        assert first.status_code == second.status_code == 200, url
        assert first.content == second.content, url
        assert not first.cookies and not second.cookies, url
        assert "csrfmiddlewaretoken" not in first.text and 'name="started" value=""' in (
            first.text if url == article.get_absolute_url() else 'name="started" value=""'
        ), url


def test_page_names_what_it_shows_as_surrogate_keys(client):
    section = make_section()
    related = make_article()
    article = make_article(section=section, tags=["Energy"])
    RelatedLink.objects.create(article=article, target=related)
    response = client.get(article.get_absolute_url())
    shown = set(response["xkey"].split())
    expected = {f"article-{article.pk}", f"article-{related.pk}", f"section-{section.pk}", "nav"}
    assert expected <= shown
    assert response["Surrogate-Key"] == response["xkey"]
    assert set(response["Cache-Tag"].split(",")) == shown
    assert not any(key.startswith("list-") for key in shown)


def test_approving_a_comment_retires_its_article_and_cards_and_nothing_else(client):
    section, other_section = make_section(), make_section()
    article = make_article(section=section)
    other = make_article(section=other_section)
    pending = make_comment(article, status=Comment.Status.PENDING)
    urls = [article.get_absolute_url(), other.get_absolute_url(), "/",
            section.get_absolute_url(), other_section.get_absolute_url()]  # fmt: skip
    for url in urls:
        client.get(url)
    comment_services.comment_moderate(
        comments=Comment.objects.filter(pk=pending.pk), status=Comment.Status.APPROVED
    )
    served = {url: client.get(url)["X-Page-Cache"] for url in urls}
    assert served == {urls[0]: "miss", urls[1]: "hit", "/": "miss", urls[3]: "miss", urls[4]: "hit"}


def edit_headline(article):
    article.headline = "A headline rewritten"
    article.save()


def add_correction(article):
    services.correction_add(article=article, note="An earlier version misspelled a name.")


def publish(article):
    article.status = Article.Status.PUBLISHED
    article.save()


@pytest.mark.parametrize(
    ("change", "status"),
    [
        (edit_headline, Article.Status.PUBLISHED),
        (add_correction, Article.Status.PUBLISHED),
        (publish, Article.Status.DRAFT),
    ],
)
def test_a_change_to_an_article_retires_the_pages_showing_it_and_nothing_else(
    client, change, status
):
    section, other_section = make_section(), make_section()
    article = make_article(section=section, status=status)
    other = make_article(section=other_section)
    urls = [other.get_absolute_url(), other_section.get_absolute_url(),
            "/", section.get_absolute_url()]  # fmt: skip
    for url in urls:
        client.get(url)
    change(article)
    served = {url: client.get(url)["X-Page-Cache"] for url in urls}
    # The home page and the article's section list it (a correction marks the article updated,
    # which listings and sitemaps say); the other article and section do not show it.
    assert served == {urls[0]: "hit", urls[1]: "hit", "/": "miss", urls[3]: "miss"}
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editing_a_pending_comment_leaves_every_cached_page_alone(client, settings):
    """Issue 13, finding 2: each edit of a reader's own pending comment flushed every page."""
    article, other = make_article(), make_article()
    response = client.post(f"{article.get_absolute_url()}comments/", comment_post_data(article))
    assert response.status_code == 302
    comment = Comment.objects.get()
    everyone = Client()
    urls = [article.get_absolute_url(), other.get_absolute_url(), "/"]
    for url in urls:
        everyone.get(url)
    edit = f"{article.get_absolute_url()}comments/{comment.pk}/edit/"
    for n in range(3):
        assert client.post(edit, {"body": f"Second thoughts, take {n}."}).status_code == 302
    assert [everyone.get(url)["X-Page-Cache"] for url in urls] == ["hit", "hit", "hit"]


def test_host_in_another_case_or_with_a_port_gets_the_same_page(client):
    """Issue 13, finding 2: a Host header with any port or case made a copy of its own."""
    article = make_article()
    url = article.get_absolute_url()
    assert client.get(url, headers={"host": "localhost"})["X-Page-Cache"] == "miss"
    for host in ("LOCALHOST", "localhost:8123", "LocalHost:1"):
        response = client.get(url, headers={"host": host})
        assert response["X-Page-Cache"] == "hit", host
        assert "http://localhost:1" not in response.text and "LocalHost" not in response.text


def test_random_searches_cannot_evict_articles_from_the_cache(client):
    """Issue 13, finding 2: every search query was stored beside the articles, and the
    cache dropped articles to make room."""
    article = make_article(headline="Harbour reopens")
    client.get(article.get_absolute_url())
    for n in range(350):
        response = client.get(f"/search/?q=harbour{n}")
        assert response["X-Page-Cache"] == "pass"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_page_whose_content_changes_while_it_is_made_is_kept_nowhere(client, monkeypatch):
    article = make_article(headline="Racing story")
    original = pages.keys.settle

    def change_meanwhile(page_keys, started):
        pagecache.pages_changed({f"article-{article.pk}"})
        return original(page_keys, started)

    monkeypatch.setattr(pages.keys, "settle", change_meanwhile)
    response = client.get(article.get_absolute_url())
    assert "s-maxage=0" in response["Cache-Control"]
    monkeypatch.undo()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
