"""WordPress exports: our own small one, and WordPress's Theme Unit Test export."""

import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.models import Article, Author, Section
from comments.models import Comment
from ingest.models import Attachment, ImportedComment, ImportRecord, LegacyAddress
from ingest.wordpress import WxrOptions, import_wxr
from ingest.wxr import Channel, stream
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SMALL = Path(__file__).parent / "fixtures" / "small.wxr.xml"
THEME_TEST = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "testdata"
    / "wxr"
    / "themeunittestdata.wordpress.xml"
)
needs_theme_test = pytest.mark.skipif(
    not THEME_TEST.is_file(), reason=f"the shared test data is not at {THEME_TEST}"
)


def database_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Article,
            Author,
            Comment,
            Section,
            ImportRecord,
            LegacyAddress,
            ImportedComment,
            Attachment,
            Version,
        )  # fmt: skip
    }


@pytest.fixture
def small():
    return import_wxr(SMALL)


def article(headline):
    return Article.objects.get(headline=headline)


def test_statuses_map_to_ours_and_private_posts_stay_drafts(small):
    assert dict(Article.objects.values_list("headline", "status")) == {
        "Council approves new harbour & marina": "published",
        "Block editor post": "published",
        "A private note": "draft",
        "Awaiting review": "review",
        "Coming soon": "scheduled",
        "Half written": "draft",
    }
    assert article("Coming soon").publish_at.year == 2031


def test_post_keeps_its_date_author_filing_and_excerpt(small):
    post = article("Council approves new harbour & marina")
    assert post.published_at.isoformat() == "2024-03-05T08:30:00+00:00"
    assert [a.name for a in post.ordered_authors] == ["Ana Silva"]
    assert post.section.name == "Local"
    assert sorted(post.tags.names()) == ["Harbour", "Politics"]
    assert post.standfirst == "The marina opens next year."


def test_categories_may_all_become_tags():
    import_wxr(SMALL, options=WxrOptions(categories_as="tags"))
    post = article("Council approves new harbour & marina")
    assert post.section is None
    assert sorted(post.tags.names()) == ["Harbour", "Local", "Politics"]


def test_threaded_comments_keep_their_status_and_thread(small):
    post = article("Council approves new harbour & marina")
    comments = {c.name: c for c in Comment.objects.filter(article=post)}
    assert {name: c.status for name, c in comments.items()} == {
        "Reader One": "approved",
        "Reader Two": "approved",
        "Reader Three": "pending",
        "Cheap Pills": "spam",
    }
    # Ours are one level deep: a reply to a reply joins the thread's first comment.
    assert comments["Reader Two"].parent == comments["Reader One"]
    assert comments["Reader Three"].parent == comments["Reader One"]
    assert comments["Reader Two"].body == "I agree."
    assert small.reasons["pingbacks and trackbacks are not reader comments"] == 1


def test_page_shows_sanitised_body_with_shortcodes_converted(small, client):
    response = client.get(article("Council approves new harbour & marina").get_absolute_url())
    html = response.content.decode()
    assert "<figcaption>The harbour at dawn</figcaption>" in html
    assert 'href="https://www.youtube.com/watch?v=abc123"' in html
    assert "Nobody expected this." in html
    for raw in (
        "[caption",
        "[gallery",
        "[embed",
        "[pullquote",
        "[poll",
        "<script>alert",
        "onclick",
    ):
        assert raw not in html


def test_unknown_shortcodes_are_reported(small):
    assert any("unknown shortcode [pullquote]" in note for note in small.notes)
    assert any("unknown shortcode [poll]" in note for note in small.notes)


def test_gutenberg_blocks_are_kept_and_unsafe_links_dropped(small, client):
    html = client.get(article("Block editor post").get_absolute_url()).content.decode()
    assert '<h2 id="a-block-heading">A block heading</h2>' in html
    assert "A block paragraph with a" in html
    assert "javascript:" not in html
    assert any("latest-posts" in note for note in small.notes)


def test_attachments_are_recorded_for_the_image_library(small):
    attachment = Attachment.objects.get()
    assert attachment.url == "https://gazette.example/wp-content/uploads/harbour.jpg"
    assert attachment.record.article == article("Council approves new harbour & marina")
    assert small.extra["attachments awaiting the image library"] == 1


def test_pages_are_skipped_unless_asked_for(small):
    assert small.reasons["page items are not imported"] == 1
    import_wxr(SMALL, options=WxrOptions(post_types=("post", "page")))
    assert Article.objects.filter(headline="About us").exists()


@pytest.mark.parametrize(
    "old",
    ["/?p=20", "/2024/03/05/council-approves-harbour/", "/council-approves-harbour/",
     "/council-approves-harbour"],
)  # fmt: skip
def test_old_wordpress_addresses_answer_301(small, client, old):
    response = client.get(old)
    assert response.status_code == 301
    assert (
        response["Location"] == article("Council approves new harbour & marina").get_absolute_url()
    )


def test_old_address_of_a_draft_stays_404_and_other_pages_are_untouched(small, client):
    assert client.get("/private-note/").status_code == 404
    assert client.get("/?p=22").status_code == 200  # the home page, as before
    assert client.get("/no-such-page/").status_code == 404


def test_second_run_changes_nothing(small):
    before = database_counts()
    again = import_wxr(SMALL)
    assert database_counts() == before
    assert again.counts["unchanged"] == 6 and again.counts["created"] == 0


def test_command_prints_a_summary(capsys):
    call_command("import_wxr", str(SMALL))
    out = capsys.readouterr().out
    assert "6 created, 2 skipped" in out
    assert "skipped 1: page items are not imported" in out


def test_dry_run_saves_nothing():
    call_command("import_wxr", str(SMALL), "--dry-run")
    assert not Article.objects.exists() and not Comment.objects.exists()


def test_dry_run_reports_what_a_run_would_do(capsys):
    call_command("import_wxr", str(SMALL), "--dry-run")
    dry = capsys.readouterr().out
    call_command("import_wxr", str(SMALL))
    done = capsys.readouterr().out
    assert dry.replace("Dry run, nothing saved: ", "") == done


def test_each_imported_post_has_a_revision_of_its_own(small):
    post = article("Council approves new harbour & marina")
    (version,) = Version.objects.get_for_object(post)
    assert version.revision.get_comment() == (
        "Imported from https://gazette.example/2024/03/05/council-approves-harbour/"
    )
    assert Version.objects.filter(content_type__model="article").count() == 6


def test_a_post_twice_in_the_export_is_one_article(tmp_path):
    twice = tmp_path / "twice.xml"
    twice.write_text(wxr_with(2).replace("<wp:post_id>1<", "<wp:post_id>0<"))
    summary = import_wxr(twice)
    assert (summary.counts["created"], summary.counts["updated"]) == (1, 1)
    assert Article.objects.get().headline == "Post 1"


def test_an_old_address_two_posts_had_leads_to_the_first(tmp_path):
    export = tmp_path / "same-slug.xml"
    named = "<wp:post_name>same</wp:post_name><wp:post_type>"
    export.write_text(wxr_with(2).replace("<wp:post_type>", named))
    summary = import_wxr(export)
    first, second = Article.objects.order_by("pk")
    assert (first.slug, second.slug) == ("same", "same-2")
    assert LegacyAddress.objects.get(path="/same/").article == first
    assert summary.notes == ["post 1 “Post 1”: /same/ already leads to another article"]


def test_an_import_costs_the_same_queries_for_ten_posts_as_for_forty(tmp_path):
    counts = []
    for size, start in ((10, 0), (40, 100)):
        export = tmp_path / f"{size}.xml"
        export.write_text(wxr_with(size, start))
        with CaptureQueriesContext(connection) as queries:
            assert import_wxr(export).counts["created"] == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_broken_xml_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<rss><channel><item><title>x</title></channel></rss>")
    with pytest.raises(Exception, match="bad.xml: mismatched tag: line 1"):
        call_command("import_wxr", str(bad))


def wxr_with(items, start=0):
    item = (
        "<item><title>Post {n}</title><content:encoded><![CDATA[<p>Paragraph {n} "
        + "x" * 2000
        + "</p>]]></content:encoded><wp:post_id>{n}</wp:post_id>"
        "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>"
    )
    body = "".join(item.format(n=n) for n in range(start, start + items))
    return (
        '<?xml version="1.0"?><rss xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel>' + body + "</channel></rss>"
    )


def peak_memory_streaming(path):
    tracemalloc.start()
    for _ in stream(path, Channel()):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_reading_streams_with_memory_flat_in_the_files_size(tmp_path):
    small_file, large_file = tmp_path / "small.xml", tmp_path / "large.xml"
    small_file.write_text(wxr_with(200))
    large_file.write_text(wxr_with(2000))  # 4 MB
    assert peak_memory_streaming(large_file) < 2 * peak_memory_streaming(small_file) + 200_000


@needs_theme_test
def test_theme_unit_test_export_imports_posts_comments_and_redirects(client):
    summary = import_wxr(THEME_TEST)
    assert summary.counts["created"] == 58 and not summary.errors
    assert Comment.objects.count() == 24
    assert Comment.objects.filter(status="pending").exists()
    post = Article.objects.get(headline="Template: Comments")
    assert Comment.objects.filter(article=post).count() > 10
    response = client.get("/2012/01/03/template-comments/")
    assert (response.status_code, response["Location"]) == (301, post.get_absolute_url())
    assert client.get("/?p=1148")["Location"] == post.get_absolute_url()
    page = client.get(post.get_absolute_url())
    assert page.status_code == 200
    assert b"Threaded comments up to 10 levels deep" in page.content


@needs_theme_test
def test_theme_unit_test_export_second_run_changes_nothing():
    import_wxr(THEME_TEST)
    before = database_counts()
    again = import_wxr(THEME_TEST)
    assert database_counts() == before
    assert again.counts["unchanged"] == 58


def test_a_404_address_with_a_nul_is_still_a_404(small, client):
    assert client.get("/council%00-approves/").status_code == 404


ONE_POST = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.1/">
<channel><title>Gazette</title><link>https://gazette.example</link>
<wp:wxr_version>1.1</wp:wxr_version>
<wp:author><wp:author_login>ana</wp:author_login>
<wp:author_display_name>Ana Silva</wp:author_display_name></wp:author>
<item><title>Quay lights switched on</title><dc:creator>ana</dc:creator>
<content:encoded>The quay is lit.</content:encoded><wp:post_id>7</wp:post_id>
<wp:post_date_gmt>2024-03-06 08:30:00</wp:post_date_gmt><wp:post_name>quay</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""


def test_imported_post_shows_at_once_on_its_authors_cached_page(client, tmp_path):
    """Bylines are written in bulk, which sends no signal of its own: the author's page, kept
    by Django and by the edge, must still be retired by the import."""
    author = Author.objects.create(name="Ana Silva", slug="ana-silva")
    make_article(headline="Harbour dredging ends", authors=[author])
    page = author.get_absolute_url()
    assert "Quay lights" not in client.get(page).content.decode()
    assert client.get(page)["X-Page-Cache"] == "hit"
    export = tmp_path / "one.xml"
    export.write_text(ONE_POST)  # a post without tags or comments, whose saves would purge it
    import_wxr(export)
    assert "Quay lights switched on" in client.get(page).content.decode()


def test_command_shows_a_progress_bar_with_verbosity_2(capsys):
    call_command("import_wxr", str(SMALL), verbosity=2)
    out = capsys.readouterr().out
    assert "\r[###...........................] 1/8" in out
    assert "\r[##############################] 8/8" in out
    assert out.index("8/8") < out.index("6 created")


def test_command_shows_no_progress_bar_when_not_on_a_terminal(capsys):
    call_command("import_wxr", str(SMALL))
    assert "1/8" not in capsys.readouterr().out
