from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article, Author, FaqItem, Section
from articles.rendering import ALLOWED_TAGS, render_markdown
from ingest.importing import import_article
from ingest.plaintext import ArticleFormatError, parse_article
from tests.factories import make_section
from tests.html_safety import unsafe_parts

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_87246ce5c90d18ca.txt"

WELL_FORMED = """Synthetic Headline

by Test Writer

A synthetic standfirst.

A first paragraph.

FAQ

Q: A question?
A: An answer.
"""


def write(tmp_path, text, name="article.txt"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def database_snapshot():
    return (Article.objects.count(), Author.objects.count(), FaqItem.objects.count())


@pytest.fixture
def seed_article():
    return import_article(SEED, publish=True, section=make_section(), tags=["Energy"]).article


def test_seed_headline_byline_and_standfirst(seed_article):
    assert seed_article.headline == (
        "Maduro Offers US Dialogue: Venezuela Talks on Drugs, Oil & Migration 2026"
    )
    assert [a.name for a in seed_article.ordered_authors] == ["Chief Editor"]
    assert seed_article.standfirst.startswith("Venezuela and the US: A Thaw in Relations")
    assert seed_article.is_published()


def test_seed_has_its_five_section_headings(seed_article):
    assert [h["title"] for h in seed_article.headings] == [
        "The Three Pillars of Potential Cooperation",
        "Navigating the Shadow of Past Conflicts and Trump’s Assertions",
        "The Regional Impact: Ecuador’s Instability and the Domino Effect",
        "The Role of Political Prisoners and Domestic Reforms",
        "Future Trends and Potential Scenarios",
    ]


def test_seed_callouts_render_as_labelled_asides(seed_article):
    assert seed_article.body_html.count('role="note"') == 2
    assert 'aria-label="Pro Tip"' in seed_article.body_html
    assert 'aria-label="Did you know?"' in seed_article.body_html
    assert "When analyzing geopolitical shifts" in seed_article.body_html


def test_seed_faq_becomes_four_ordered_items(seed_article):
    items = list(seed_article.faq_items.all())
    assert len(items) == 4
    assert (
        items[0].question
        == "What is the main reason for Maduro’s sudden willingness to talk to the US?"
    )
    assert items[3].answer.startswith("While less likely given Maduro’s overture")
    assert "Q:" not in seed_article.body and "FAQ" not in seed_article.body


def test_seed_bracketed_url_becomes_a_link_on_the_name_before_it(seed_article):
    assert (
        '<a href="https://www.iea.org/" rel="noopener noreferrer">'
        "The International Energy Agency</a>" in seed_article.body_html
    )
    assert "(https://" not in seed_article.body_html


def test_seed_site_furniture_is_dropped(seed_article):
    for furniture in (
        "Want to learn more",
        "Subscribe to our newsletter",
        "You may also like",
        "Leave a Comment",
    ):
        assert furniture not in seed_article.body


def test_reimport_updates_instead_of_duplicating(seed_article, tmp_path):
    assert import_article(SEED).outcome == "unchanged"
    edited = write(
        tmp_path,
        SEED.read_text().replace("In a surprising turn", "In an unexpected turn"),
        SEED.name,
    )
    result = import_article(edited)
    assert result.outcome == "updated"
    assert Article.objects.count() == 1
    assert FaqItem.objects.count() == 4
    assert "In an unexpected turn" in Article.objects.get().body


def test_reimport_marks_a_live_article_updated_only_when_its_text_changed(tmp_path):
    path = write(tmp_path, WELL_FORMED)
    article = import_article(path, publish=True, section=make_section(), tags=["A"]).article
    assert article.is_published()
    first = article.updated_at
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        import_article(path, tags=["Energy"])  # filed differently: readers see new tags
        article.refresh_from_db()
        assert article.updated_at > first
        tagged = article.updated_at
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        import_article(write(tmp_path, WELL_FORMED), section=make_section())
        article.refresh_from_db()
        assert article.updated_at > tagged
    assert article.was_updated()


def test_plain_text_markdown_characters_are_kept_literally(tmp_path):
    path = write(
        tmp_path,
        "Headline\n\nStandfirst.\n\n"
        "Prices rose 5*3 times for <b>A_B</b> [sic].\n\n# not a heading\n",
    )
    article = import_article(path).article
    assert "5*3 times for &lt;b&gt;A_B&lt;/b&gt; [sic]." in article.body_html
    assert "<h1" not in article.body_html


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the file is empty"),
        ("\n\n   \n", 1, "the file is empty"),
        ("by Someone\n\nBody.\n", 1, "no headline"),
        ("Headline\n\nStandfirst.\n\nFAQ\n\nQ: Asked?\n\nQ: Again?\nA: Yes.\n", 7, "Q: has no A:"),
        ("Headline\n\nStandfirst.\n\nFAQ\n\nQ: Never answered?\n", 7, "Q: has no A:"),
        ("Headline\n\nStandfirst.\n\nFAQ\n\nA: Answer first.\n", 7, "A: has no Q:"),
        (
            "Headline\n\nStandfirst.\n\nQ: Outside a FAQ?\nA: Yes.\n",
            5,
            "must follow a line saying FAQ",
        ),
        ("H" * 201 + "\n", 1, "longer than 200"),
    ],
)
def test_malformed_file_names_file_and_line_and_changes_nothing(
    tmp_path, seed_article, text, line, message
):
    before = database_snapshot()
    path = write(tmp_path, text)
    with pytest.raises(ArticleFormatError) as error:
        import_article(path)
    assert error.value.line == line
    assert message in str(error.value)
    assert str(path) in str(error.value)
    assert database_snapshot() == before


def test_non_utf8_file_is_refused_with_the_line_of_the_bad_byte(tmp_path):
    path = write(tmp_path, b"Headline\n\nStandfirst.\n\nCaf\x81\x8d society.\n")
    with pytest.raises(ArticleFormatError, match=r"article.txt:5: the file is not UTF-8"):
        import_article(path)
    assert not Article.objects.exists()


def test_failure_halfway_through_a_file_leaves_no_partial_article(tmp_path, monkeypatch):
    path = write(tmp_path, WELL_FORMED)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(FaqItem.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        import_article(path)
    assert database_snapshot() == (0, 0, 0)


def test_parse_faq_answers_may_follow_in_the_next_paragraph():
    parsed = parse_article(
        "x.txt", "Headline\n\nDek.\n\nFAQ\n\nQ: One?\n\nA: Yes.\n\nLeave a Comment\n"
    )
    assert parsed.faq == [("One?", "Yes.")]
    assert parsed.dropped == ["Leave a Comment"]


def test_command_imports_a_folder_and_reports_counts(tmp_path):
    write(tmp_path, WELL_FORMED, "one.txt")
    write(tmp_path, WELL_FORMED.replace("Synthetic Headline", "Second"), "two.txt")
    call_command(
        "import_article", str(tmp_path), "--section", "World", "--tags", "A, B", "--publish"
    )
    assert Article.objects.published().count() == 2
    article = Article.objects.get(headline="Second")
    assert article.section.name == "World"
    assert sorted(article.tags.names()) == ["A", "B"]


def test_command_reports_a_bad_file_and_still_imports_the_good_one(tmp_path, capsys):
    write(tmp_path, WELL_FORMED, "good.txt")
    write(tmp_path, "Headline\n\nDek.\n\nFAQ\n\nQ: Unanswered?\n", "bad.txt")
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_article", str(tmp_path))
    assert "bad.txt:7: this Q: has no A: answer" in capsys.readouterr().err
    assert list(Article.objects.values_list("headline", flat=True)) == ["Synthetic Headline"]


def test_command_if_empty_skips_when_articles_exist(tmp_path, seed_article):
    write(tmp_path, WELL_FORMED)
    call_command("import_article", "--if-empty", str(tmp_path))
    assert Article.objects.count() == 1


def test_command_dry_run_saves_nothing(tmp_path):
    write(tmp_path, WELL_FORMED)
    call_command("import_article", "--dry-run", str(tmp_path))
    assert database_snapshot() == (0, 0, 0)


def test_command_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_article", str(tmp_path / "missing.txt"))


def test_non_latin_section_and_bylines_get_their_own_readable_addresses(tmp_path, client):
    write(tmp_path, "Первая статья\n\nby Иван Петров\n\nStandfirst.\n\nBody.\n", "a.txt")
    write(tmp_path, "Second story\n\nby 王伟\n\nStandfirst.\n\nBody.\n", "b.txt")
    call_command(
        "import_article", str(tmp_path), "--section", "Экономика", "--tags", "Мир", "--publish"
    )
    first, second = Article.objects.order_by("import_record__key")
    assert first.slug == "первая-статья"
    assert first.section.slug == "экономика"
    assert [a.slug for a in first.ordered_authors] == ["иван-петров"]
    assert [a.slug for a in second.ordered_authors] == ["王伟"]
    for url in ("/", first.get_absolute_url(), first.section.get_absolute_url()):
        assert client.get(url).status_code == 200
    for author in Author.objects.all():
        assert client.get(author.get_absolute_url()).context["author"] == author


def test_bylines_and_sections_reuse_rows_of_the_same_name_in_any_case(tmp_path):
    existing = Author.objects.create(name="Ana Silva", slug="ana")
    write(tmp_path, "Headline\n\nby ANA SILVA\n\nStandfirst.\n\nBody.\n")
    call_command("import_article", str(tmp_path), "--section", "World")
    call_command("import_article", str(tmp_path), "--section", "world")
    article = Article.objects.get()
    assert article.ordered_authors == [existing]
    assert list(Section.objects.values_list("name", "slug")) == [("World", "world")]


def test_a_by_line_that_names_no_one_stays_text_and_sections_get_a_fallback_slug(tmp_path):
    write(tmp_path, "Headline\n\nby ???, !!!\n\nStandfirst.\n\nBody.\n")
    call_command("import_article", str(tmp_path), "--section", "***")
    article = Article.objects.get()
    assert article.ordered_authors == []
    assert article.standfirst == "by ???, !!!"
    assert article.section.slug == "section"


def test_command_refuses_two_files_with_the_same_name_and_imports_nothing(tmp_path):
    for folder, headline in (("x", "One story"), ("y", "Another story")):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder, WELL_FORMED.replace("Synthetic Headline", headline), "story.txt")
    with pytest.raises(CommandError, match=r"x/story.txt and .*y/story.txt"):
        call_command("import_article", str(tmp_path / "x"), str(tmp_path / "y"))
    assert not Article.objects.exists()


def test_command_imports_a_file_named_twice_once(tmp_path):
    path = write(tmp_path, WELL_FORMED)
    call_command("import_article", str(tmp_path), str(path))
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Headline\n\nFAQ\n\nQ: " + "why " * 80 + "?\nA: Yes.", 5, "is longer than 300"),
        ("Headline\n\nA paragraph\x00 with a NUL.", 3, "a NUL character"),
    ],
)
def test_what_the_database_cannot_hold_is_a_format_error(tmp_path, text, line, message):
    with pytest.raises(ArticleFormatError) as error:
        import_article(write(tmp_path, text))
    assert error.value.line == line
    assert message in error.value.message
    assert Article.objects.count() == 0


def test_a_name_twice_in_the_byline_is_one_author(tmp_path):
    path = write(tmp_path, "Headline\n\nby Ana Silva, ANA SILVA\n\nStandfirst.\n\nText.")
    article = import_article(path).article
    assert [author.name for author in article.ordered_authors] == ["Ana Silva"]


# Property tests: any file in, either an article or a clean ArticleFormatError out, and what
# reaches readers is sanitised.

HOSTILE_LINES = [
    "<script>alert(1)</script>", '<a href="javascript:alert(1)">x</a>', "<img src=x onerror=y>",
    "[x](javascript:alert(1))", "see (https://x.example/a(b)", "## Not a heading", "\ufeff",
    "United Nations Office on Drugs and Crime (https://www.unodc.org/)", "Pro Tip:", "Note:",
    "Did you know? Oil flows south.", "Want to learn more about this?", "You may also like",
    "FAQ", "Frequently asked questions:", "Q:", "A:", "by ", "A plain paragraph.",
]  # fmt: skip
# Short and long runs of text: hypothesis favours short ones, and field limits need long ones.
words = st.one_of(
    st.text(st.characters(categories=["L", "N", "P", "Zs"]), max_size=60),
    st.text(st.characters(categories=["L", "Zs"]), min_size=250, max_size=450),
)
names = st.one_of(
    st.sampled_from(["Ana Silva", "ana silva", "李", "王", "Ana", "-", "Rui Costa"]),
    st.text(st.characters(categories=["L"]), min_size=1, max_size=30),
    st.text(st.characters(categories=["L"]), min_size=140, max_size=200),
)
bylines = st.one_of(
    st.just(""), st.lists(names, min_size=1, max_size=4).map(lambda n: "by " + ", ".join(n))
)
faq = st.lists(
    st.tuples(words, words).map(lambda qa: f"Q: {qa[0]}\nA: {qa[1]}"), min_size=1, max_size=3
).map(lambda pairs: "FAQ\n\n" + "\n".join(pairs))
paragraphs = st.one_of(
    st.sampled_from(HOSTILE_LINES), words, faq, st.text(max_size=80),
    st.tuples(st.sampled_from(["Q: ", "A: ", "Pro Tip: ", "by "]), words).map("".join),
)  # fmt: skip
seed_like_text = st.tuples(
    st.one_of(st.just("Synthetic Headline"), st.text(max_size=220)),
    bylines,
    st.lists(paragraphs, max_size=10),
    st.sampled_from(["\n", "\n\n", "\r\n\r\n"]),
).map(lambda parts: parts[3].join([parts[0], parts[1], *parts[2]]))


@given(st.one_of(st.text(), seed_like_text))
def test_any_text_parses_or_is_a_clean_format_error(text):
    try:
        parsed = parse_article("article.txt", text)
    except ArticleFormatError as error:
        assert error.path == "article.txt"
        assert 1 <= error.line <= max(1, len(text.splitlines()))
        assert error.message
        return
    assert parsed.headline.strip()
    assert unsafe_parts(render_markdown(parsed.body).html, ALLOWED_TAGS) == []


def import_or_format_error(path):
    """Import `path` in a transaction that is then rolled back, checking what got stored."""
    with transaction.atomic():
        before = database_snapshot()
        try:
            result = import_article(path, tags=["Energy"])
        except ArticleFormatError as error:
            assert error.message
            assert database_snapshot() == before
        else:
            article = Article.objects.get(pk=result.article.pk)
            assert unsafe_parts(article.body_html, ALLOWED_TAGS) == []
        transaction.set_rollback(True)


# tmp_path is shared by a test's examples; each writes the same file anew.
SHARED_TMP_PATH = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@SHARED_TMP_PATH
@given(data=st.binary(max_size=300))
def test_any_bytes_import_or_are_a_clean_format_error(tmp_path, data):
    import_or_format_error(write(tmp_path, data))


@SHARED_TMP_PATH
@given(text=seed_like_text)
def test_any_seed_like_file_imports_or_is_a_clean_format_error(tmp_path, text):
    import_or_format_error(write(tmp_path, text))
