"""
What a reader typed in the search box, read into a small, bounded query, and written out for
SQLite's FTS5 (a MATCH expression) or PostgreSQL (a to_tsquery text).

The syntax: words (all of them must be found), "a phrase" in double quotes, -word or -"a phrase"
to leave out articles that have it, OR between two words or phrases (either will do), and a
trailing * for a prefix (refin*). Anything else is punctuation between words.

A query is bounded before any database sees it: at most MAX_WORDS words, so at most that many
operands and twice as many operators. Every word written out is letters, digits and marks
only, inside quotes, so no FTS5 or tsquery syntax (NEAR, column filters, `:*`, `!`, `<->`) can
come from the reader.
"""

import unicodedata
from dataclasses import dataclass, field

MAX_LENGTH = 200
MAX_WORDS = 12
PREFIX_MIN_LENGTH = 3

# PostgreSQL's English stop words (tsearch_data/english.stop), which its index leaves out:
# they are dropped here for SQLite too, so that both databases look for the same words.
STOP_WORDS = frozenset(
    (
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
        "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers",
        "herself", "it", "its", "itself", "they", "them", "their", "theirs", "themselves",
        "what", "which", "who", "whom", "this", "that", "these", "those", "am", "is", "are",
        "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does",
        "did", "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as", "until",
        "while", "of", "at", "by", "for", "with", "about", "against", "between", "into",
        "through", "during", "before", "after", "above", "below", "to", "from", "up", "down",
        "in", "out", "on", "off", "over", "under", "again", "further", "then", "once", "here",
        "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more",
        "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so",
        "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now"
    )
)  # fmt: skip


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of words in order; `prefix` lets the last word be the start of one."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts5(self):
        return f'"{" ".join(self.words)}"' + (" *" if self.prefix else "")

    def tsquery(self):
        lexemes = [f"'{word}'" for word in self.words]
        if self.prefix:
            lexemes[-1] += ":*"
        return " <-> ".join(lexemes)


@dataclass
class SearchQuery:
    """Every clause must match (a clause is terms of which any will do); no excluded term may."""

    clauses: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    truncated: bool = False

    def __bool__(self):
        return bool(self.clauses)

    def fts5(self):
        """An FTS5 MATCH expression."""
        text = " AND ".join(_any(clause, " OR ", Term.fts5) for clause in self.clauses)
        if self.excluded:
            text += " NOT " + _any(self.excluded, " OR ", Term.fts5)
        return text

    def tsquery(self):
        """Text for PostgreSQL's to_tsquery()."""
        parts = [_any(clause, " | ", Term.tsquery) for clause in self.clauses]
        parts += [f"!{_any([term], '', Term.tsquery)}" for term in self.excluded]
        return " & ".join(parts)


def _any(terms, operator, write):
    return "(" + operator.join(write(term) for term in terms) + ")"


def parse(text):
    """Read a reader's search text into a SearchQuery (false when there is nothing to look for)."""
    query = SearchQuery()
    words_left = MAX_WORDS
    either = after_positive = False  # OR came right after a word or phrase to look for
    for negated, words, prefix in _chunks(_clean(text)):
        if words is None:  # OR
            either = either or bool(query.clauses) and after_positive
            continue
        term = _term(words, prefix)
        if term is None:
            continue
        if len(term.words) > words_left:
            query.truncated = True
            break
        words_left -= len(term.words)
        if negated:
            query.excluded.append(term)
        elif either:
            query.clauses[-1].append(term)
        else:
            query.clauses.append([term])
        after_positive, either = not negated, False
    return query


def _clean(text):
    # NFC, so that a letter typed as a base and a combining accent is one letter.
    return unicodedata.normalize("NFC", text.replace("\x00", ""))[:MAX_LENGTH]


def _is_word_character(character):
    # Letters, digits and marks: what FTS5's unicode61 tokenizer keeps; never syntax.
    return unicodedata.category(character)[0] in "LNM"


def _words(text):
    words, current = [], []
    for character in text:
        if _is_word_character(character):
            current.append(character)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    # A word of marks alone (an accent typed on its own) is no word.
    return [word.lower() for word in words if any(unicodedata.category(c)[0] in "LN" for c in word)]


def _chunks(text):
    """(negated, words, prefix) for each quoted phrase or run of characters without spaces;
    words is None for an OR."""
    position, end = 0, len(text)
    while position < end:
        if text[position].isspace():
            position += 1
            continue
        negated = text[position] == "-"
        start = position + 1 if negated else position
        if start < end and text[start] == '"':
            close = text.find('"', start + 1)
            close = end if close == -1 else close
            position = close + 1
            yield negated, _words(text[start + 1 : close]), text[position : position + 1] == "*"
            continue
        stop = start
        while stop < end and not text[stop].isspace() and text[stop] != '"':
            stop += 1
        chunk = text[start:stop]
        position = max(stop, position + 1)
        if not negated and chunk.lower() == "or":
            yield False, None, False
        else:
            yield negated, _words(chunk), chunk.endswith("*")


def _term(words, prefix):
    """A Term for `words`, or None when nothing is left to look for."""
    # Stop words at the ends of a phrase (or a word on its own) are not in PostgreSQL's index.
    while words and words[0] in STOP_WORDS:
        words = words[1:]
    while words and words[-1] in STOP_WORDS:
        words = words[:-1]
        prefix = False
    if not words:
        return None
    if prefix and len(words[-1]) < PREFIX_MIN_LENGTH:
        # "a*" would ask for most of the archive.
        if len(words) == 1:
            return None
        prefix = False
    return Term(tuple(words), prefix)
