"""Importing plain-text files: identity, encodings, editors' changes, publishing checks."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from articles.models import Article, ArticleAuthor, Author
from ingest.importing import DuplicateKeyError, article_files, import_article, read_text
from ingest.models import ImportRecord
from ingest.plaintext import ArticleFormatError
from tests.factories import make_author

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
STORY = "Headline {n}\n\nby Ana Silva\n\nA standfirst long enough to describe story {n} well.\n\n" \
    "Body of story {n}.\n"  # fmt: skip


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_two_agencies_files_of_the_same_name_stay_two_articles(tmp_path):
    write(tmp_path, "reuters/001.txt", STORY.format(n=1))
    write(tmp_path, "ap/001.txt", STORY.format(n=2))
    call_command("import_article", str(tmp_path))
    assert sorted(ImportRecord.objects.values_list("key", flat=True)) == [
        "text:ap/001.txt", "text:reuters/001.txt",
    ]  # fmt: skip
    assert Article.objects.count() == 2


def test_another_story_under_a_key_imported_before_is_left_alone_and_reported(tmp_path, capsys):
    """Two agencies' 001.txt, each folder imported in a run of its own without --key-prefix."""
    write(tmp_path, "reuters/001.txt", STORY.format(n=1))
    write(tmp_path, "ap/001.txt", STORY.format(n=2))
    call_command("import_article", str(tmp_path / "reuters"))
    call_command("import_article", str(tmp_path / "ap"))
    out = capsys.readouterr().out
    assert Article.objects.get().headline == "Headline 1"
    assert "left alone rather than replace its headline “Headline 1” → “Headline 2”" in out
    assert "1 left alone (another story under the same key)" in out
    call_command("import_article", str(tmp_path / "ap"), "--force")
    assert Article.objects.get().headline == "Headline 2"


def test_a_new_version_of_the_same_story_with_a_new_headline_updates_it(tmp_path):
    path = write(tmp_path, "001.txt", STORY.format(n=1))
    import_article(path)
    write(tmp_path, "001.txt", STORY.format(n=1).replace("Headline 1", "Death toll rises"))
    assert import_article(path).outcome == "updated"


def test_key_prefix_keeps_runs_of_two_sources_apart(tmp_path):
    write(tmp_path, "a/None.md.txt", STORY.format(n=1))
    write(tmp_path, "b/None.md.txt", STORY.format(n=2))
    call_command("import_article", str(tmp_path / "a"), "--key-prefix", "wire-a/")
    call_command("import_article", str(tmp_path / "b"), "--key-prefix", "wire-b/")
    assert Article.objects.count() == 2


def test_the_same_name_from_two_folders_in_one_run_is_refused(tmp_path):
    write(tmp_path, "a/001.txt", STORY.format(n=1))
    write(tmp_path, "b/001.txt", STORY.format(n=2))
    with pytest.raises(DuplicateKeyError, match="--key-prefix"):
        article_files([tmp_path / "a", tmp_path / "b"])


def test_id_line_is_the_key_wherever_the_file_lives(tmp_path):
    first = write(tmp_path, "one.txt", "ID: wire-77\n" + STORY.format(n=1))
    import_article(first)
    moved = write(
        tmp_path, "elsewhere/renamed.txt", "ID: wire-77\n" + STORY.format(n=1) + "\nMore."
    )
    assert import_article(moved).outcome == "updated"
    assert ImportRecord.objects.get().key == "text:id:wire-77"


def test_upper_case_txt_files_are_found(tmp_path):
    write(tmp_path, "STORY.TXT", STORY.format(n=1))
    write(tmp_path, "notes.md", "not an article")
    assert [entry.key for entry in article_files([tmp_path])] == ["STORY.TXT"]


def test_dry_run_lists_updates_that_would_replace_a_different_headline(tmp_path, capsys):
    write(tmp_path, "001.txt", STORY.format(n=1))
    call_command("import_article", str(tmp_path))
    write(tmp_path, "001.txt", STORY.format(n=1).replace("Headline 1", "Headline 2"))
    call_command("import_article", str(tmp_path), "--dry-run", "--section", "Sport")
    out = capsys.readouterr().out
    assert "replaces the headline “Headline 1” → “Headline 2”" in out
    assert "Dry run, nothing saved" in out
    assert Article.objects.get().headline == "Headline 1"


def test_dry_run_lists_a_change_of_section(tmp_path, capsys):
    write(tmp_path, "001.txt", STORY.format(n=1))
    call_command("import_article", str(tmp_path), "--section", "World")
    call_command("import_article", str(tmp_path), "--section", "Sport", "--dry-run")
    assert "replaces the section “World” → “Sport”" in capsys.readouterr().out


def test_import_saves_a_revision_naming_the_file(tmp_path):
    path = write(tmp_path, "001.txt", STORY.format(n=1))
    article = import_article(path).article
    version = Version.objects.get_for_object(article).get()
    assert version.revision.comment == f"Imported from {path}"


def test_reimport_leaves_an_editors_change_alone_and_lists_the_conflict(tmp_path, capsys):
    path = write(tmp_path, "001.txt", STORY.format(n=1))
    article = import_article(path).article
    article.headline = "An editor's better headline"
    article.save()
    write(tmp_path, "001.txt", STORY.format(n=1).replace("Headline 1", "Agency's new headline"))
    call_command("import_article", str(tmp_path))
    article.refresh_from_db()
    assert article.headline == "An editor's better headline"
    out = capsys.readouterr().out
    assert "changed in the CMS since it was imported (headline)" in out
    assert "1 left alone (edited in the CMS)" in out


def test_reimport_keeps_an_editors_change_while_taking_the_sources_other_changes(tmp_path):
    path = write(tmp_path, "001.txt", STORY.format(n=1))
    article = import_article(path).article
    article.headline = "An editor's better headline"
    article.save()
    write(tmp_path, "001.txt", STORY.format(n=1).replace("Body of story 1.", "A new body."))
    assert import_article(path).outcome == "updated"
    article.refresh_from_db()
    assert (article.headline, article.body) == ("An editor's better headline", "A new body.")
    assert import_article(path).outcome == "unchanged"


def test_force_overwrites_an_editors_change(tmp_path):
    path = write(tmp_path, "001.txt", STORY.format(n=1))
    article = import_article(path).article
    article.headline = "An editor's better headline"
    article.save()
    write(tmp_path, "001.txt", STORY.format(n=1).replace("Body of story 1.", "A new body."))
    assert import_article(path, force=True).outcome == "updated"
    article.refresh_from_db()
    assert article.headline == "Headline 1"


def test_a_file_without_a_byline_keeps_the_authors_an_editor_added(tmp_path):
    path = write(tmp_path, "001.txt", "Headline\n\nStandfirst.\n\nBody.\n")
    article = import_article(path).article
    ArticleAuthor.objects.create(article=article, author=make_author(name="Ana Silva"))
    write(tmp_path, "001.txt", "Headline\n\nStandfirst.\n\nA longer body.\n")
    assert import_article(path).outcome == "updated"
    assert [a.name for a in article.ordered_authors] == ["Ana Silva"]


def test_agency_credit_is_stored_and_shown_not_made_an_author(tmp_path):
    result = import_article(FIXTURES / "reuters-brief.txt")
    assert result.record.credit == "Benzinga"
    assert not Author.objects.filter(name="Benzinga").exists()
    assert [a.name for a in result.article.ordered_authors] == ["Simon Frasier"]
    assert "<em>Credit: Benzinga</em>" in result.article.body_html


def test_publish_passes_the_checklist_or_imports_a_draft_with_the_reasons(tmp_path, capsys):
    write(tmp_path, "ready.txt", STORY.format(n=1))
    write(tmp_path, "bare.txt", "No byline here\n\nA standfirst.\n\nBody.\n")
    call_command("import_article", str(tmp_path), "--publish", "--section", "World",
                 "--tags", "Energy")  # fmt: skip
    assert Article.objects.get(headline="Headline 1").is_published()
    bare = Article.objects.get(headline="No byline here")
    assert bare.status == Article.Status.DRAFT
    assert "bare.txt: imported as a draft, not published: Add at least one author" in (
        capsys.readouterr().out
    )


def test_same_text_under_a_new_name_is_reported_as_a_duplicate(tmp_path, capsys):
    write(tmp_path, "001.txt", STORY.format(n=1))
    call_command("import_article", str(tmp_path))
    write(tmp_path, "renamed.txt", STORY.format(n=1))
    call_command("import_article", str(tmp_path / "renamed.txt"))
    assert "the same text as text:001.txt" in capsys.readouterr().out
    call_command("import_article", str(tmp_path / "renamed.txt"), "--key-prefix", "x/",
                 "--skip-duplicates")  # fmt: skip
    assert Article.objects.count() == 2  # imported and reported once, then left out


def test_over_long_file_is_a_clear_error(tmp_path):
    path = write(tmp_path, "huge.txt", "Headline\n\n" + "word " * 300_000)
    with pytest.raises(ArticleFormatError, match="over the 1,000,000-byte limit"):
        import_article(path)
    assert import_article(path, max_bytes=2_000_000).outcome == "created"


def test_utf16_with_a_bom_is_read():
    assert read_text(FIXTURES / "utf16.txt").startswith("Résumé of a utf-16 story")


def test_utf16_without_a_bom_is_read(tmp_path):
    path = write(tmp_path, "x.txt", "Plain headline\n\nBody.\n".encode("utf-16-le"))
    assert read_text(path) == "Plain headline\n\nBody.\n"


def test_utf8_bom_is_dropped(tmp_path):
    path = write(tmp_path, "x.txt", "\ufeffHeadline\n\nBody.\n".encode())
    assert read_text(path) == "Headline\n\nBody.\n"


def test_clearly_latin1_text_is_read_and_other_bytes_need_an_encoding(tmp_path):
    assert "The cafés of Paris are full again, and the £ is strong." in read_text(
        FIXTURES / "latin1.txt"
    )
    odd = write(tmp_path, "odd.txt", b"Headline\n\n\x81\x8d\x8f\x90\n")
    with pytest.raises(ArticleFormatError, match="--encoding"):
        read_text(odd)
    assert read_text(odd, encoding="latin-1").endswith("\x81\x8d\x8f\x90\n")


def test_encoding_option_reaches_the_command(tmp_path):
    shutil.copy(FIXTURES / "latin1.txt", tmp_path / "story.txt")
    call_command("import_article", str(tmp_path), "--encoding", "cp1252")
    assert Article.objects.get().headline == "Café society returns to Paris"


def test_unknown_encoding_is_a_clear_error(tmp_path):
    shutil.copy(FIXTURES / "latin1.txt", tmp_path / "story.txt")
    with pytest.raises(CommandError):
        call_command("import_article", str(tmp_path), "--encoding", "klingon")
