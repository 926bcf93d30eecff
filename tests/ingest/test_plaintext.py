"""How plain text is read: the parser alone, no database."""

from pathlib import Path

import pytest

from articles.rendering import render_markdown
from ingest.importing import read_text
from ingest.plaintext import ArticleFormatError, parse_article, read_byline

FIXTURES = Path(__file__).parent / "fixtures"


def parse(name, **options):
    path = FIXTURES / name
    return parse_article(path, read_text(path), **options)


def html_of(parsed):
    return render_markdown(parsed.body).html


def test_two_line_headline_stays_whole():
    assert parse("wire-release.txt").headline == (
        "Acme Robotics Opens Its First European Plant in Lyon, Creating 300 Jobs"
    )


def test_indented_paragraphs_without_blank_lines_stay_paragraphs():
    body = parse("wire-release.txt").body
    assert "The plant will build warehouse robots for customers across the continent. It " \
        "opened on Tuesday after two years of work." in body  # fmt: skip
    assert '"Europe is our fastest-growing market," said Jane Doe' in body


def test_bulleted_lines_become_a_list():
    html = html_of(parse("wire-release.txt"))
    assert "<ul>\n<li>hiring locally</li>\n<li>training apprentices</li>" in html


def test_numbered_paragraphs_keep_their_numbers_without_a_backslash():
    html = html_of(parse("wire-release.txt"))
    assert "<p>1. Revenue rose 12% in the first half.</p>" in html
    assert "\\1" not in html


def test_title_like_lines_become_headings_but_contact_details_and_end_marks_do_not():
    parsed = parse("wire-release.txt")
    headings = [h["title"] for h in render_markdown(parsed.body).headings]
    assert headings == ["Key Facts About the Plant", "About Acme Robotics"]
    assert parsed.dropped == ["###"]
    html = html_of(parsed)
    assert "Media Contact:<br>\nJane Roe<br>\n+1 (555) 123-4567" in html


def test_no_headings_option_keeps_every_line_a_paragraph():
    parsed = parse("wire-release.txt", headings=False)
    assert "## " not in parsed.body
    assert "Key Facts About the Plant" in parsed.body


def test_dateline_stays_the_first_paragraph():
    assert parse("wire-release.txt").standfirst.startswith("LYON, France--(BUSINESS WIRE)--")


def test_agency_credit_is_a_credit_and_the_person_an_author():
    parsed = parse("reuters-brief.txt")
    assert parsed.bylines == ["Simon Frasier"]
    assert parsed.credit == "Benzinga"


def test_text_on_the_line_after_a_byline_is_kept():
    parsed = parse("reuters-brief.txt")
    assert parsed.standfirst == (
        "Oil prices held steady on Monday. Traders weighed fresh supply data against weak "
        "demand in Asia."
    )


def test_reporting_by_stays_text_and_ends_is_dropped():
    parsed = parse("reuters-brief.txt")
    assert "(Reporting by Ana Silva; Editing by Rui Costa)" in parsed.body
    assert parsed.dropped == ["-- ENDS --"]
    assert render_markdown(parsed.body).headings == []


def test_a_lede_beginning_with_by_is_not_a_byline():
    parsed = parse("lede-by.txt")
    assert parsed.bylines == []
    assert parsed.standfirst == "By the end of the day, shares in London had risen 2%."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("by Ana Silva", (["Ana Silva"], "")),
        ("By Ana Silva and Rui Costa", (["Ana Silva", "Rui Costa"], "")),
        ("By Jane Doe for The Guardian", (["Jane Doe"], "The Guardian")),
        ("By Reuters", ([], "Reuters")),
        ("By Reuters Staff", ([], "Reuters Staff")),
        ("by Demo Desk", (["Demo Desk"], "")),
        ("By Metro Desk and Ana Silva", (["Metro Desk", "Ana Silva"], "")),
        ("By Ludwig van Beethoven, Bonn", (["Ludwig van Beethoven"], "Bonn")),
        ("by 王伟", (["王伟"], "")),
        ("By the end of the day", None),
        ("By 2030, output will double", None),
        ("by " + "Ana " * 40, None),
    ],
)
def test_a_byline_is_a_short_name_like_line(line, expected):
    assert read_byline(line) == expected


def test_html_character_references_in_scraped_copy_are_decoded():
    parsed = parse_article("x.txt", "Tottenham bid &#163;8m for duo\n\nQ&amp;A with the chief.\n")
    assert parsed.headline == "Tottenham bid £8m for duo"
    assert "Q&amp;A with the chief." in parsed.body  # Markdown-escaped "&", shown as "&"


def test_a_one_paragraph_brief_is_body_not_standfirst():
    parsed = parse_article("x.txt", "Headline\n\nThe only paragraph.\n")
    assert (parsed.standfirst, parsed.body) == ("", "The only paragraph.")


def test_headline_only_file_is_an_error():
    with pytest.raises(ArticleFormatError, match="no body"):
        parse_article("x.txt", "Just a headline\n\nby Ana Silva\n")


def test_a_first_paragraph_too_long_for_a_standfirst_stays_in_the_body():
    long = "A sentence of the lede. " * 30
    parsed = parse_article("x.txt", f"Headline\n\n{long}\n\nMore.\n")
    assert parsed.standfirst == ""
    assert parsed.body.startswith("A sentence of the lede.")
    assert "more than a standfirst holds (400)" in parsed.notes[0]


def test_id_line_is_the_source_id_and_not_text():
    parsed = parse_article("x.txt", "ID: urn:wire:123\nHeadline\n\nStandfirst.\n\nBody.\n")
    assert parsed.source_id == "urn:wire:123"
    assert parsed.headline == "Headline"


@pytest.mark.parametrize(
    "line",
    [
        "Tel: +44 20 7946 0958",
        "www.example.com",
        "https://example.com/press",
        "Italy 8-38 Wales",
        "General Admin After 6/21: Sliding scale $55 - $65",
        "1600 GMT",
        "BBC1, Radio 4 LW and this website",
        "LONDON (Reuters) -",
        "10 Downing Street, London SW1A 2AA",
        "Company Veritone Learn More »",
        "-30-",
        "Att: 42,000",
        "Chelsea: Cech, Ferreira, Terry, Gallas",
        "Goals: Lampard 23, Drogba 67",
        "Manchester United v Liverpool",
        "Real Madrid vs Barcelona",
    ],
)
def test_lines_that_are_not_headings(line):
    parsed = parse_article("x.txt", f"Headline\n\nStandfirst.\n\n{line}\n\nA paragraph.\n")
    assert render_markdown(parsed.body).headings == []


@pytest.mark.parametrize("mark", ["- 30 -", "-30-", "# # #", "– ENDS –", "- End -"])
def test_an_end_mark_after_the_text_is_dropped_not_shown_as_a_list(mark):
    parsed = parse_article("x.txt", f"Headline\n\nStandfirst.\n\nThe last paragraph.\n\n{mark}\n")
    assert parsed.body == "The last paragraph."
    assert parsed.dropped == [mark]
