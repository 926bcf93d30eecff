"""The reader's search text read into a bounded query (no database)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from articles.search_query import MAX_WORDS, Term, parse

# What either database would read as syntax if a reader could slip it through.
SYNTAX = ["-", '"', "OR", "or", "AND", "NOT", "*", "(", ")", ":", "^", "+", "NEAR(", "NEAR/2",
          "headline:", "{headline body}:", "!", "&", "|", "<->", "<2>", ":*", "'", "\\", "\x00",
          " ", "  ", "\t", "\n", "\u0301", "\u202e", "\ufeff"]  # fmt: skip
WORDS = ["oil", "Paraguaná", "refin", "the", "a", "sanctions", "x", "é", "Ωμέγα", "東京", "😀",
         "42"]  # fmt: skip
piece = st.sampled_from(SYNTAX + WORDS)
# Long runs of one piece ("- - - …"), which made PostgreSQL's tsquery too deep (issue 13).
run = st.builds(lambda text, times: text * times, piece, st.integers(2, 120))
hostile = st.one_of(
    st.lists(st.one_of(piece, run), max_size=40).map("".join),
    st.text(max_size=400),
)


def test_words_are_all_needed():
    query = parse("Maduro oil")
    assert query.clauses == [[Term(("maduro",))], [Term(("oil",))]]
    assert query.fts5() == '("maduro") AND ("oil")'
    assert query.tsquery() == "('maduro') & ('oil')"


def test_a_quoted_phrase_keeps_its_words_in_order():
    query = parse('"sanctions relief" Venezuela')
    assert query.clauses[0] == [Term(("sanctions", "relief"))]
    assert query.fts5() == '("sanctions relief") AND ("venezuela")'
    assert query.tsquery() == "('sanctions' <-> 'relief') & ('venezuela')"


def test_a_minus_sign_leaves_out_a_word_or_a_phrase():
    query = parse('Maduro -oil -"gas exports"')
    assert query.excluded == [Term(("oil",)), Term(("gas", "exports"))]
    assert query.fts5() == '("maduro") NOT ("oil" OR "gas exports")'
    assert query.tsquery() == "('maduro') & !('oil') & !('gas' <-> 'exports')"


def test_or_joins_the_words_either_side():
    query = parse("oil OR gas Maduro")
    assert query.clauses == [[Term(("oil",)), Term(("gas",))], [Term(("maduro",))]]
    assert query.fts5() == '("oil" OR "gas") AND ("maduro")'
    assert parse("oil or gas").clauses == parse("oil OR gas").clauses


def test_a_trailing_star_looks_for_words_starting_so():
    query = parse("refin*")
    assert query.clauses == [[Term(("refin",), prefix=True)]]
    assert query.fts5() == '("refin" *)'
    assert query.tsquery() == "('refin':*)"


def test_a_hyphenated_word_is_a_phrase():
    assert parse("Maduro-oil").clauses == [[Term(("maduro", "oil"))]]


def test_accents_typed_as_combining_marks_read_as_the_accented_letter():
    assert parse("Paraguana\u0301").clauses == parse("Paraguaná").clauses


@pytest.mark.parametrize(
    "text",
    ["", "   ", "-", "-" * 40, "- " * 40, '"', '""', "OR", "OR OR AND", "the of and", "a*", "*",
     "-oil", "\x00", "!!! ((( )))", "\u0301"],
)  # fmt: skip
def test_text_with_nothing_to_look_for_is_an_empty_query(text):
    query = parse(text)
    assert not query
    assert query.clauses == []


def test_stop_words_alone_or_at_the_ends_of_phrases_are_dropped_as_postgresql_does():
    assert parse("the oil").clauses == [[Term(("oil",))]]
    assert parse('"the oil of the"').clauses == [[Term(("oil",))]]
    assert parse('"sanctions on oil"').clauses == [[Term(("sanctions", "on", "oil"))]]


def test_fts5_syntax_typed_by_a_reader_is_only_words():
    query = parse('NEAR(oil gas, 2) headline:oil {body}:gas ^start "a" + b')
    assert query.fts5() == (
        '("near oil") AND ("gas") AND ("2") AND ("headline oil") AND ("body gas") AND ("start") '
        'AND ("b")'
    )


def test_a_long_query_keeps_its_first_words_and_says_so():
    words = [f"word{n}" for n in range(MAX_WORDS + 5)]
    query = parse(" ".join(words))
    assert [clause[0].words[0] for clause in query.clauses] == words[:MAX_WORDS]
    assert query.truncated
    assert not parse(" ".join(words[:MAX_WORDS])).truncated


@given(hostile)
def test_any_text_gives_a_bounded_query_of_quoted_words(text):
    query = parse(text)
    terms = [term for clause in query.clauses for term in clause] + query.excluded
    assert sum(len(term.words) for term in terms) <= MAX_WORDS
    for term in terms:
        assert term.words
        for word in term.words:
            # Letters, digits and marks only: nothing either database reads as syntax.
            assert word and {unicodedata.category(c)[0] for c in word} <= {"L", "N", "M"}
    if query:
        assert query.fts5().count('"') == 2 * len(terms)
        assert query.tsquery().count("'") == 2 * sum(len(term.words) for term in terms)
