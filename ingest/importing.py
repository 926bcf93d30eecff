"""
Import plain-text articles in the seed format (see seeds/).

The format: the headline on the first line, a `by NAME` byline, the standfirst, then paragraphs
separated by blank lines. Short title-like lines become section headings, `Pro Tip:` and
`Did you know?` paragraphs stay callouts, a `FAQ` line starts `Q:`/`A:` pairs, a URL in brackets
links the words before it, and the site furniture at the end ("Want to learn more…",
"You may also like", "Leave a Comment") is dropped because the site provides those features.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from articles.models import Article, ArticleAuthor, Author, FaqItem
from articles.rendering import CALLOUT_KINDS
from articles.services import article_touch
from articles.slugs import unique_slug

HEADLINE_MAX = Article._meta.get_field("headline").max_length
AUTHOR_NAME_MAX = Author._meta.get_field("name").max_length
QUESTION_MAX = FaqItem._meta.get_field("question").max_length
HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 14
TERMINAL_PUNCTUATION = tuple('.!?:;,…"”’)')

BYLINE_RE = re.compile(r"^by\s+(?P<names>\S.*)$", re.IGNORECASE)
FAQ_RE = re.compile(r"^(faq|frequently asked questions)\s*:?$", re.IGNORECASE)
QUESTION_RE = re.compile(r"^Q\s*:\s*(?P<text>.*)$")
ANSWER_RE = re.compile(r"^A\s*:\s*(?P<text>.*)$")
BRACKETED_URL_RE = re.compile(r"\s?\((?P<url>https?://[^\s()<>]+)\)")
FURNITURE_RES = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^want to learn more\b",
        r"^explore (our|more) (other )?(articles|stories)\b",
        r"^subscribe to our newsletter\b",
        r"^you may also like\b",
        r"^leave a comment\b",
        r"^(related|more) (articles|stories)\s*:?$",
        r"^share this (article|story)\b",
    )
]
# Words that may sit inside a linked name: "Office on Drugs and Crime".
NAME_CONNECTORS = {"of", "on", "and", "for", "the", "de", "du", "la", "&"}


class ArticleFormatError(Exception):
    """A file that is not in the seed format; says which file and line."""

    def __init__(self, path, line, message):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}")


@dataclass
class Paragraph:
    line: int
    lines: list

    @property
    def text(self):
        return " ".join(line.strip() for line in self.lines)


@dataclass
class ParsedArticle:
    headline: str
    bylines: list = field(default_factory=list)
    standfirst: str = ""
    body: str = ""
    faq: list = field(default_factory=list)
    dropped: list = field(default_factory=list)


@dataclass
class ImportResult:
    article: Article
    created: bool
    changed: bool


def read_text(path):
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleFormatError(path, line, "the file is not UTF-8 text") from None
    return text.removeprefix("\ufeff")


def paragraphs(lines, first_line=1):
    """Group lines into paragraphs separated by blank lines, remembering where each starts."""
    result, current = [], None
    for number, line in enumerate(lines, start=first_line):
        if line.strip():
            if current is None:
                current = Paragraph(number, [])
                result.append(current)
            current.lines.append(line.rstrip())
        else:
            current = None
    return result


def is_furniture(text):
    return any(pattern.search(text) for pattern in FURNITURE_RES)


def is_callout(text):
    return any(text.lower().startswith(kind.marker.lower()) for kind in CALLOUT_KINDS)


def is_heading(paragraph):
    text = paragraph.text
    return (
        len(paragraph.lines) == 1
        and len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS
        and not text.endswith(TERMINAL_PUNCTUATION)
        and not is_callout(text)
        and not QUESTION_RE.match(text)
    )


def escape_markdown(text):
    text = re.sub(r"([\\`*_\[\]{}])", r"\\\1", text).replace("<", "&lt;")
    return re.sub(r"^(\s*)([#>+\-=]|\d+\.)", r"\1\\\2", text)


def link_phrase_start(words):
    """Index of the first word of the capitalised name that ends `words`, or None."""
    start = None
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if word[:1].isupper():
            start = index
        elif word.lower() not in NAME_CONNECTORS or start is None:
            break
    return start


def inline_markdown(text):
    """Escape plain text for Markdown and turn "Name (https://…)" into a link on the name."""
    out, position = [], 0
    for match in BRACKETED_URL_RE.finditer(text):
        before = text[position : match.start()]
        url = match.group("url")
        words = before.split(" ")
        start = link_phrase_start(words)
        if start is None:
            out.append(escape_markdown(before) + f" (<{url}>)")
        else:
            lead, name = " ".join(words[:start]), " ".join(words[start:])
            out.append(
                escape_markdown(lead + (" " if lead else "")) + f"[{escape_markdown(name)}]({url})"
            )
        position = match.end()
    out.append(escape_markdown(text[position:]))
    return "".join(out)


def parse_faq(path, items, faq_paragraphs):
    """Read Q:/A: pairs; returns the paragraphs left after the block."""
    question = None  # [line, question text, answer text or None]
    for index, paragraph in enumerate(faq_paragraphs):
        if not (QUESTION_RE.match(paragraph.lines[0]) or ANSWER_RE.match(paragraph.lines[0])):
            if question and question[2] is None:
                raise ArticleFormatError(path, question[0], "this Q: has no A: answer")
            return faq_paragraphs[index:]
        for offset, line in enumerate(paragraph.lines):
            number = paragraph.line + offset
            if q := QUESTION_RE.match(line):
                if question and question[2] is None:
                    raise ArticleFormatError(path, question[0], "this Q: has no A: answer")
                if not q.group("text").strip():
                    raise ArticleFormatError(path, number, "this Q: has no question text")
                question = [number, q.group("text").strip(), None]
                items.append(question)
            elif a := ANSWER_RE.match(line):
                if question is None or question[2] is not None:
                    raise ArticleFormatError(path, number, "this A: has no Q: question before it")
                if not a.group("text").strip():
                    raise ArticleFormatError(path, number, "this A: has no answer text")
                question[2] = a.group("text").strip()
            elif question[2] is None:
                question[1] += " " + line.strip()
            else:
                question[2] += " " + line.strip()
    if question and question[2] is None:
        raise ArticleFormatError(path, question[0], "this Q: has no A: answer")
    return []


def parse_article(path, text):
    if "\x00" in text:
        # PostgreSQL cannot store it, and no text file holds one.
        line = len((text[: text.index("\x00")] + "-").splitlines())
        raise ArticleFormatError(path, line, "a NUL character: is this a text file?")
    lines = text.splitlines()
    numbered = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise ArticleFormatError(path, 1, "the file is empty")
    headline_line, headline = numbered[0]
    if BYLINE_RE.match(headline) or FAQ_RE.match(headline) or QUESTION_RE.match(headline):
        raise ArticleFormatError(
            path, headline_line, "no headline: the first line must be the headline"
        )
    if len(headline) > HEADLINE_MAX:
        raise ArticleFormatError(
            path, headline_line, f"the headline is longer than {HEADLINE_MAX} characters"
        )
    parsed = ParsedArticle(headline=headline)

    rest = paragraphs(lines[headline_line:], first_line=headline_line + 1)
    if rest and (byline := BYLINE_RE.match(rest[0].lines[0].strip())):
        names = re.split(r",\s*|\s+and\s+", byline.group("names").strip())
        parsed.bylines = [name.strip() for name in names if name.strip()]
        if any(len(name) > AUTHOR_NAME_MAX for name in parsed.bylines):
            raise ArticleFormatError(
                path, rest[0].line, f"a byline name is longer than {AUTHOR_NAME_MAX} characters"
            )
        rest = rest[1:]
    if rest and not FAQ_RE.match(rest[0].text) and not is_furniture(rest[0].text):
        parsed.standfirst = rest[0].text
        rest = rest[1:]

    blocks, faq_items = [], []
    while rest:
        paragraph, rest = rest[0], rest[1:]
        text = paragraph.text
        if FAQ_RE.match(text):
            rest = parse_faq(path, faq_items, rest)
        elif QUESTION_RE.match(paragraph.lines[0]) or ANSWER_RE.match(paragraph.lines[0]):
            raise ArticleFormatError(
                path, paragraph.line, "Q:/A: pairs must follow a line saying FAQ"
            )
        elif is_furniture(text):
            parsed.dropped.append(text)
        elif is_heading(paragraph):
            blocks.append("## " + inline_markdown(text))
        else:
            blocks.append(inline_markdown(text))
    parsed.body = "\n\n".join(blocks)
    for line, question, _ in faq_items:
        if len(question) > QUESTION_MAX:
            raise ArticleFormatError(
                path, line, f"this Q: is longer than {QUESTION_MAX} characters"
            )
    parsed.faq = [(q, a) for _, q, a in faq_items]
    return parsed


def author_for(name):
    """The author of that name (in any case), created if there is none."""
    author = Author.objects.filter(name__iexact=name).first()
    if author is None:
        slug = unique_slug(name, queryset=Author.objects.all(), fallback="author")
        author = Author.objects.create(name=name, slug=slug)
    return author


@transaction.atomic
def import_article(path, *, section=None, tags=None, publish=False):
    """Create or update the article kept in `path`; the file's name is its stable key."""
    path = Path(path)
    parsed = parse_article(path, read_text(path))
    ref = path.stem
    article = Article.objects.filter(import_ref=ref).first()
    created = article is None
    if created:
        article = Article(import_ref=ref)

    before = (
        None
        if created
        else (
            article.headline,
            article.standfirst,
            article.body,
            article.ordered_authors,
            [(item.question, item.answer) for item in article.faq_items.all()],
            article.section_id,
            sorted(article.tags.names()),
            article.status,
        )
    )
    article.headline = parsed.headline
    article.standfirst = parsed.standfirst
    article.body = parsed.body
    if section is not None:
        article.section = section
    if publish and article.status != Article.Status.PUBLISHED:
        article.status = Article.Status.PUBLISHED
    # One byline entry per person: "Ana, ana" and names that slugify alike are one author.
    authors = list(dict.fromkeys(author_for(name) for name in parsed.bylines))
    after = (
        article.headline,
        article.standfirst,
        article.body,
        authors,
        parsed.faq,
        article.section_id,
        sorted(tags) if tags is not None else (before[6] if before else []),
        article.status,
    )
    if before == after:
        return ImportResult(article, created=False, changed=False)

    article.save()
    ArticleAuthor.objects.filter(article=article).delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author=author, order=order)
        for order, author in enumerate(authors)
    )
    article.faq_items.all().delete()
    FaqItem.objects.bulk_create(
        FaqItem(article=article, question=q, answer=a, order=order)
        for order, (q, a) in enumerate(parsed.faq)
    )
    if tags is not None:
        article.tags.set(tags)
    if not created and before[:-1] != after[:-1]:
        # Readers see more than a change of status: the article was updated.
        article_touch(article=article)
    return ImportResult(article, created=created, changed=True)


class DuplicateKeyError(ValueError):
    """Two files of one run would be the same article: their names are its key."""


def article_files(paths):
    """
    Expand folders to the .txt files inside them, in name order. A file's name is its article's
    key (see import_article), so two different files of the same name are refused.
    """
    files = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    files = list(dict.fromkeys(files, None))  # a file named twice is imported once
    by_key = {}
    for path in files:
        by_key.setdefault(path.stem, []).append(path)
    clashes = [same for same in by_key.values() if len(same) > 1]
    if clashes:
        raise DuplicateKeyError(
            "These files would overwrite each other, as a file's name is its article's key; "
            "rename one of each, or import them in separate runs: "
            + "; ".join(" and ".join(map(str, same)) for same in clashes)
        )
    return files
