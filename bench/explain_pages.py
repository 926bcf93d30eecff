"""
EXPLAIN ANALYZE every query the reader pages run, on PostgreSQL, and fail on a sequential scan
of the articles table (or of the tables that grow with it).

Run it against a database filled by `manage.py generate_demo` (bench/serve_load.py makes one):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench DJANGO_SECRET_KEY=x \\
        python bench/explain_pages.py

Each page is requested through Django's test client with the page cache off and the cache
emptied first (so the remembered counts and related lists are worked out too), the queries it
runs are captured, and each SELECT is explained. Prints one line per query and the plans of
any offender; exits 1 if one is found.

Listings page by position (articles/paging.py): the deepest page of the home page, a section,
an author and the busiest tag (the oldest articles) is requested beside the first. Their
queries may not skip rows with an OFFSET, and the plan of each listing's article query is
printed for the first and the deepest page: an Index Scan reading from the position on, with
the same number of rows however deep (`--plans` prints every plan).
"""

import os
import sys
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["NEWSROOM_PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import Article, Author, Section  # noqa: E402
from articles.paging import PositionPaginator  # noqa: E402
from articles.sitemaps import ArticleSitemap  # noqa: E402
from articles.views import PAGE_SIZE  # noqa: E402
from newsroom.demo import search_queries, seed_article  # noqa: E402

# Tables that grow with the archive: none may be read from end to end by a reader page.
GROWING = (
    "articles_article",
    "articles_articleauthor",
    "taggit_taggeditem",
    "comments_comment",
    "articles_faqitem",
    "articles_correction",
    "articles_relatedlink",
)


def reader_pages():
    seed = seed_article()
    tag = Tag.objects.filter(name="Energy").first() or Tag.objects.first()
    author = Author.objects.filter(slug__startswith="demo-writer").first() or Author.objects.first()
    section = Section.objects.first()
    published = Article.objects.published()
    last = max(1, -(-published.count() // ArticleSitemap.limit))  # the last article sitemap page
    listings = {
        "home": ("/", published),
        "section": (section.get_absolute_url(), published.filter(section=section)),
        "author": (author.get_absolute_url(), published.filter(authors=author)),
        "tag (the busiest)": (f"/tags/{tag.slug}/", published.tagged(tag)),
    }
    deepest = {}
    for name, (url, articles) in listings.items():
        oldest = PositionPaginator(articles, PAGE_SIZE, field="published_at").start_of_page("last")
        deepest[f"{name}, deepest page"] = f"{url}?before={oldest}" if oldest else url
    queries = search_queries()
    one_word = next(query for query in queries if " " not in query)
    three_words = next(query for query in queries if query.count(" ") == 2)
    return {
        "home": "/",
        **deepest,
        "seed article": seed.get_absolute_url(),
        "section": section.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag (the busiest)": f"/tags/{tag.slug}/",
        "search, one word": f"/search/?q={quote_plus(one_word)}",
        "search, three words": f"/search/?q={quote_plus(three_words)}",
        "rss": "/feeds/rss/",
        "tag feed": f"/feeds/tags/{tag.slug}/rss/",
        "corrections": "/corrections/",
        "sitemap index": "/sitemap.xml",
        "article sitemap, first page": "/sitemap-articles.xml",
        f"article sitemap, page {last}": f"/sitemap-articles.xml?p={last}",
        "home sitemap": "/sitemap-home.xml",
        "section sitemap": "/sitemap-sections.xml",
        "author sitemap": "/sitemap-authors.xml",
        "tag sitemap": "/sitemap-tags.xml",
        "news sitemap": "/news-sitemap.xml",
    }


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT TEXT) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


# Pages whose listing query's plan is printed, first page and deepest.
LISTED = ("home", "section", "author", "tag (the busiest)")


def is_listing(sql):
    """The query that picks a listing's articles (newest first, a page and one more)."""
    return (
        'FROM "articles_article"' in sql
        and 'ORDER BY "articles_article"."published_at" DESC' in sql
        and f"LIMIT {PAGE_SIZE + 1}" in sql
    )


def main():
    show_plans = "--plans" in sys.argv
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL.")
    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    offenders = []
    failures = []
    total = Article.objects.count()
    print(f"{total:,} articles in {connection.settings_dict['NAME']}")
    for name, url in reader_pages().items():
        client.get(url, secure=True)  # fills the content-type cache
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url, secure=True).status_code
        print(f"\n{name} ({url}): HTTP {status}, {len(queries)} queries")
        if status != 200:
            failures.append(f"{name} ({url}) answered {status}, not 200")
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            plan = explain(sql)
            time_line = plan.splitlines()[-1].strip()
            scans = [table for table in GROWING if f"Seq Scan on {table}" in plan]
            verdict = "SEQ SCAN on " + ", ".join(scans) if scans else "index only"
            if " OFFSET " in sql and name.endswith("deepest page"):
                verdict = "OFFSET on a deep page"
            print(f"  {float(time_line.split()[2]):8.2f} ms  {verdict:28}  {sql[:90]}")
            if verdict != "index only":
                offenders.append((name, sql, plan))
            elif show_plans or (is_listing(sql) and name.split(",")[0] in LISTED):
                print("\n".join(f"      {line}" for line in plan.splitlines()))
    for name, sql, plan in offenders:
        print(f"\n--- {name}\n{sql}\n{plan}")
    print(f"\n{len(offenders)} queries scan a growing table from end to end.")
    for failure in failures:
        print(failure)
    sys.exit(1 if offenders or failures else 0)


if __name__ == "__main__":
    main()
