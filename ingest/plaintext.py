"""
Plain text, as agencies, press-release wires and our own seed files send it, read into a
ParsedArticle whose body is Markdown.

The first paragraph (up to three short lines) is the headline, then an optional `by NAME` byline
(a short, name-like line; an agency named in it becomes the credit), the standfirst (the first
paragraph, when it is short enough to be one), then the body. Whatever is not recognised stays
body text: headings are only short, title-like lines that are not phone numbers, addresses,
datelines, scores or end marks; wire furniture (`###`, `-30-`, ENDS) is dropped, and site
furniture ("You may also like…") with it. `Pro Tip:` and `Did you know?` paragraphs stay callouts,
a `FAQ` line starts `Q:`/`A:` pairs, and "Name (https://…)" links the name.
"""

import html
import re
from dataclasses import dataclass, field

from articles.models import Article, Author, FaqItem
from articles.rendering import CALLOUT_KINDS

HEADLINE_MAX = Article._meta.get_field("headline").max_length
STANDFIRST_MAX = Article._meta.get_field("standfirst").max_length
AUTHOR_NAME_MAX = Author._meta.get_field("name").max_length
QUESTION_MAX = FaqItem._meta.get_field("question").max_length
HEADLINE_MAX_LINES = 3
HEADING_MAX_CHARS = 80
HEADING_MAX_WORDS = 10
BYLINE_MAX_CHARS = 80
# A line this long was not hard-wrapped: each such line is a paragraph of its own.
WRAPPED_LINE_MAX = 100
TERMINAL_PUNCTUATION = tuple('.!?:;,…"”’)')

ID_LINE_RE = re.compile(r"^ID:\s*(?P<id>[\w.:/@#-]{1,200})$", re.IGNORECASE)
BYLINE_RE = re.compile(r"^by\s+(?P<names>\S.*)$", re.IGNORECASE)
FAQ_RE = re.compile(r"^(faq|frequently asked questions)\s*:?$", re.IGNORECASE)
QUESTION_RE = re.compile(r"^Q\s*:\s*(?P<text>.*)$")
ANSWER_RE = re.compile(r"^A\s*:\s*(?P<text>.*)$")
BRACKETED_URL_RE = re.compile(r"\s?\((?P<url>https?://[^\s()<>]+)\)")
BULLET_RE = re.compile(r"^[*•·▪‣◦-]\s+(?P<text>\S.*)$")
NUMBERED_RE = re.compile(r"^(?P<number>\d{1,3})[.)]\s+\S")
# HTML character references left in copy scraped from web pages: "&#163;8m", "Q&amp;A".
CHARACTER_REFERENCE_RE = re.compile(r"&(#\d{2,7}|#x[0-9a-fA-F]{2,6}|[A-Za-z][A-Za-z0-9]{1,7});")
END_MARK_RE = re.compile(
    r"^(#\s*#\s*#|-\s*30\s*-|[-–—\s]*(ends|end)[-–—\s]*|\*\s*\*\s*\*)$", re.IGNORECASE
)
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
        r"^the post .{1,300} appeared first on .{1,100}$",
    )
]
# Lines that are never headings, whatever their shape.
NOT_HEADING_RES = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"https?://|www\.|\b[\w.-]+\.(com|org|net|gov|edu|io|ai|co|uk)\b",  # addresses
        r"@",  # email addresses, handles
        r"(\d[\s().–-]*){7,}",  # phone numbers: seven digits or more, however spaced
        r"\d+\s*[-–:]\s*\d+",  # scores, results, times, ranges
        r"[$£€¥]\s?\d|\d\s?(%|gmt|bst|cet|est|pst)\b",  # prices, figures, times
        r"[»›]|\b(learn|read) more\b|\bclick here\b",  # links to elsewhere
        r"^(\(?reporting|\(?editing|\(?writing|\(?additional reporting|compiled) by\b",
        r"^(media |press |investor )?contacts?\b|^for (more information|media)",
        r"\((reuters|ap|afp|bloomberg|business wire|pr newswire|globe newswire|[\w.]+\.ai)\)",
        r"/\s*(prnewswire|globenewswire)\s*/",
        r"^[A-Z][A-Z ,.&'-]{2,}\s*[-–—(]",  # "LONDON (Reuters) -", "PARIS —"
        r"\b(street|st\.|avenue|ave\.|road|rd\.|suite|floor|p\.?o\.? box)\b.*\d|\d+\s+\w+\s+"
        r"(street|avenue|road|drive|dr\.|boulevard|blvd)",
        r"^(mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(19|20)\d\d\b.*\b(am|pm|gmt|utc|et)\b",
        r"^[^:]{1,40}:\s+[^:]*[\d,]",  # "Att: 42,000", a line-up, scorers: figures or a list
        r"\s(v|vs\.?|versus)\s",  # a fixture: "Manchester United v Liverpool"
    )
]
# Words that may sit inside a linked name or a person's name: "Office on Drugs and Crime".
NAME_CONNECTORS = {"of", "on", "and", "for", "the", "de", "du", "la", "&"}
NAME_PARTICLES = {
    "de", "da", "do", "dos", "das", "del", "della", "der", "den", "di", "du", "la", "le", "van",
    "von", "bin", "bint", "al", "el", "ibn", "y", "e", "ter", "st.",
}  # fmt: skip
# Minor words a title-like heading may leave in lower case.
MINOR_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
    "over", "the", "to", "up", "vs", "with", "is", "are", "its", "our", "your", "&",
}  # fmt: skip
AGENCIES = {
    "reuters", "ap", "associated press", "the associated press", "afp", "agence france-presse",
    "bloomberg", "bloomberg news", "benzinga", "pa", "pa media", "press association", "dpa",
    "efe", "ansa", "kyodo", "xinhua", "upi", "tass", "anadolu", "yonhap", "dow jones",
    "business wire", "pr newswire", "globenewswire", "globe newswire", "newsworthy.ai", "aap",
    "cp", "the canadian press", "bernama", "ians", "pti", "ani", "zacks", "the motley fool",
    "marketwatch", "cnn", "bbc", "bbc news", "nyt", "the new york times", "the guardian",
}  # fmt: skip
ORGANISATION_WORDS = {
    "news", "press", "wire", "media", "agency", "times", "post", "journal", "inc", "inc.",
    "ltd", "ltd.", "llc", "group",
}  # fmt: skip
# A team of the newsroom's own ("Metro Desk", "Staff") bylines an article like a person does;
# an agency's team ("Reuters Staff") is that agency's credit.
TEAM_WORDS = {"staff", "reporters", "correspondent", "correspondents", "editors", "desk"}
CONTACT_RE = re.compile(r"^((media|press|investor)\s+)?contacts?\b", re.IGNORECASE)
SHORT_LINE_MAX = 45
CREDIT_LINE_RE = re.compile(r"^(source|credit|courtesy of)\s*:\s*(?P<credit>\S.{0,150})$", re.I)


class ArticleFormatError(Exception):
    """A file that cannot become an article; says which file and line."""

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
    credit: str = ""
    standfirst: str = ""
    body: str = ""
    faq: list = field(default_factory=list)
    dropped: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    source_id: str = ""


def decode_character_references(text):
    """Turn "&#163;" and "&amp;" back into "£" and "&", when the copy holds any."""
    if CHARACTER_REFERENCE_RE.search(text):
        return html.unescape(text)
    return text


def split_paragraphs(lines, first_line=1):
    """
    Group lines into paragraphs: blank lines separate them, and so does an indented line after
    unindented ones (wire copy that marks paragraphs by indenting), a list item, or any line of
    a block whose lines are too long to have been hard-wrapped.
    """
    blocks, current = [], None
    for number, line in enumerate(lines, start=first_line):
        if line.strip():
            if current is None:
                current = []
                blocks.append(current)
            current.append((number, line.rstrip()))
        else:
            current = None
    result = []
    for block in blocks:
        unwrapped = any(len(line.strip()) > WRAPPED_LINE_MAX for _, line in block)
        indents = [line[: len(line) - len(line.lstrip())] for _, line in block]
        marks_by_indent = len(block) > 1 and any(indents[1:]) and not all(indents)
        paragraph = None
        for index, (number, line) in enumerate(block):
            stripped = line.strip()
            starts_new = (
                paragraph is None
                or unwrapped
                or (marks_by_indent and indents[index])
                or BULLET_RE.match(stripped)
                or NUMBERED_RE.match(stripped)
                or END_MARK_RE.match(stripped)
            )
            if starts_new:
                paragraph = Paragraph(number, [])
                result.append(paragraph)
            paragraph.lines.append(stripped)
    return result


def split_inline_first_item(paragraphs):
    """ "Top 10 Brands 1. Vivobase" followed by "2. …": the list's first item joined its title."""
    result = []
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        match = re.search(r"\s(1[.)]\s+\S.*)$", paragraph.text)
        if (
            match
            and following is not None
            and re.match(r"^2[.)]\s", following.text)
            and not NUMBERED_RE.match(paragraph.text)
        ):
            result.append(Paragraph(paragraph.line, [paragraph.text[: match.start()].strip()]))
            result.append(Paragraph(paragraph.line, [match.group(1)]))
        else:
            result.append(paragraph)
    return result


def is_furniture(text):
    return any(pattern.search(text) for pattern in FURNITURE_RES)


def is_callout(text):
    return any(text.lower().startswith(kind.marker.lower()) for kind in CALLOUT_KINDS)


def is_title_like(text):
    words = [word for word in re.split(r"\s+", text) if word]
    significant = [
        w for w in words if w[0].isalpha() and w.lower().strip("()\"“”'‘’") not in MINOR_WORDS
    ]
    if not significant:
        return False
    capitalised = [w for w in significant if w[0].isupper()]
    return len(capitalised) / len(significant) >= 0.75


def is_heading(paragraph, following):
    """A short, title-like line that introduces body text: nothing else becomes a heading."""
    text = paragraph.text
    return (
        len(paragraph.lines) == 1
        and following is not None
        and len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS
        and text[:1].isalpha()
        and not text.endswith(TERMINAL_PUNCTUATION)
        and not text.isupper()
        and is_title_like(text)
        and not is_callout(text)
        and not QUESTION_RE.match(text)
        and not BULLET_RE.match(text)
        and not END_MARK_RE.match(text)
        and not any(pattern.search(text) for pattern in NOT_HEADING_RES)
        and not is_heading_shaped(following)
    )


def is_heading_shaped(paragraph):
    text = paragraph.text
    return (
        len(paragraph.lines) == 1
        and len(text) <= HEADING_MAX_CHARS
        and not text.endswith(TERMINAL_PUNCTUATION)
    )


def keeps_line_breaks(paragraph):
    """A contact or address block, or a list of short lines: its lines were not wrapped."""
    lines = paragraph.lines
    return len(lines) > 1 and (
        CONTACT_RE.match(lines[0]) or all(len(line) <= SHORT_LINE_MAX for line in lines)
    )


def escape_markdown(text):
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = re.sub(r"([\\`*_\[\]{}])", r"\\\1", text)
    # A line must not start a heading, quote, list, rule or setext underline.
    text = re.sub(r"^(\s*)(\d+)([.)])", r"\1\2\\\3", text)
    text = re.sub(r"^(\s*)([#>+\-])", r"\1\\\2", text)
    return re.sub(r"^(\s*)=", r"\1&#61;", text)


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


def is_person_name(name):
    """A name as people write their own: one to five words, each capitalised (or a particle),
    or a short name in a script without capitals ("王伟")."""
    words = name.split()
    if not 1 <= len(words) <= 5 or len(name) > AUTHOR_NAME_MAX:
        return False
    for word in words:
        if word.lower() in NAME_PARTICLES:
            continue
        core = word.strip(".'’-")
        if not core or not all(ch.isalpha() or ch in ".'’-" for ch in word):
            return False
        if core[0].isalpha() and not core[0].isupper() and core[0].lower() != core[0].upper():
            return False
    return True


def is_organisation(name):
    lowered = name.lower().strip(". ")
    words = lowered.split()
    if words and words[-1] in TEAM_WORDS:
        return " ".join(words[:-1]) in AGENCIES
    return lowered in AGENCIES or bool(words and words[-1] in ORGANISATION_WORDS)


def read_byline(line):
    """(names, credit) when `line` is a byline, else None: "By Simon Frasier, Benzinga" is the
    person Simon Frasier with Benzinga as the credit."""
    match = BYLINE_RE.match(line)
    if not match or len(line) > BYLINE_MAX_CHARS:
        return None
    rest = match.group("names").strip().rstrip(".")
    credit = ""
    if for_match := re.match(r"^(?P<names>.+?)\s+for\s+(?P<credit>.+)$", rest):
        rest, credit = for_match.group("names"), for_match.group("credit")
    parts = [part.strip() for part in re.split(r",\s*|\s+and\s+|\s*&\s*|;\s*", rest)]
    if not all(parts):
        return None
    names, credits = [], [credit] if credit else []
    multiword = any(len(part.split()) > 1 for part in parts)
    for index, part in enumerate(parts):
        if is_organisation(part) or (index and multiword and len(part.split()) == 1):
            credits.append(part)
        elif is_person_name(part):
            names.append(part)
        else:
            return None
    if not names and not credits:
        return None
    return list(dict.fromkeys(names)), ", ".join(credits)


def read_headline(path, paragraphs):
    """The headline and the paragraphs after it: the first paragraph, up to three short lines
    (a two-line headline stays whole), stopping at a byline."""
    first = paragraphs[0]
    lines = []
    for line in first.lines[:HEADLINE_MAX_LINES]:
        if lines and (read_byline(line) or len(" ".join([*lines, line])) > HEADLINE_MAX):
            break
        lines.append(line)
    if len(first.lines) > HEADLINE_MAX_LINES:
        lines = lines[:1]
    headline = " ".join(lines)
    if read_byline(headline) or FAQ_RE.match(headline) or QUESTION_RE.match(headline):
        raise ArticleFormatError(
            path, first.line, "no headline: the first line must be the headline"
        )
    if len(headline) > HEADLINE_MAX:
        raise ArticleFormatError(
            path, first.line, f"the headline is longer than {HEADLINE_MAX} characters"
        )
    rest = first.lines[len(lines) :]
    remaining = paragraphs[1:]
    if rest:
        remaining = [Paragraph(first.line + len(lines), rest), *remaining]
    return headline, remaining


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


def body_blocks(path, parsed, rest, *, headings):
    """The body's Markdown blocks; FAQ items and dropped furniture go to `parsed`."""
    blocks, faq_items, bullets = [], [], []

    def flush_bullets():
        if bullets:
            blocks.append("\n".join(f"- {inline_markdown(item)}" for item in bullets))
            bullets.clear()

    while rest:
        paragraph, rest = rest[0], rest[1:]
        text = paragraph.text
        if (bullet := BULLET_RE.match(text)) and not END_MARK_RE.match(text):
            bullets.append(bullet.group("text"))
            continue
        flush_bullets()
        if FAQ_RE.match(text):
            rest = parse_faq(path, faq_items, rest)
        elif QUESTION_RE.match(paragraph.lines[0]) or ANSWER_RE.match(paragraph.lines[0]):
            raise ArticleFormatError(
                path, paragraph.line, "Q:/A: pairs must follow a line saying FAQ"
            )
        elif END_MARK_RE.match(text) or is_furniture(text):
            parsed.dropped.append(text)
        elif (credit := CREDIT_LINE_RE.match(text)) and not parsed.credit:
            parsed.credit = credit.group("credit").strip()
            blocks.append(inline_markdown(text))
        elif headings and is_heading(paragraph, rest[0] if rest else None):
            blocks.append("## " + inline_markdown(text))
        elif keeps_line_breaks(paragraph):
            blocks.append("  \n".join(inline_markdown(line) for line in paragraph.lines))
        else:
            blocks.append(inline_markdown(text))
    flush_bullets()
    for line, question, _ in faq_items:
        if len(question) > QUESTION_MAX:
            raise ArticleFormatError(
                path, line, f"this Q: is longer than {QUESTION_MAX} characters"
            )
    parsed.faq = [(q, a) for _, q, a in faq_items]
    return blocks


def parse_article(path, text, *, headings=True):
    if "\x00" in text:
        # PostgreSQL cannot store it, and no text file holds one.
        line = len((text[: text.index("\x00")] + "-").splitlines())
        raise ArticleFormatError(path, line, "a NUL character: is this a text file?")
    text = decode_character_references(text.removeprefix("\ufeff"))
    lines = text.splitlines()
    source_id = ""
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is not None and (id_line := ID_LINE_RE.match(lines[first].strip())):
        source_id = id_line.group("id")
        lines[first] = ""
    paragraphs = split_inline_first_item(split_paragraphs(lines))
    if not paragraphs:
        raise ArticleFormatError(path, 1, "the file is empty")
    headline, rest = read_headline(path, paragraphs)
    parsed = ParsedArticle(headline=headline, source_id=source_id)

    if rest and (byline := read_byline(rest[0].lines[0])):
        parsed.bylines, parsed.credit = byline
        after = rest[0].lines[1:]
        rest = [Paragraph(rest[0].line + 1, after)] * bool(after) + rest[1:]
    if rest and not FAQ_RE.match(rest[0].text) and not is_furniture(rest[0].text):
        candidate = rest[0].text
        if len(candidate) <= STANDFIRST_MAX and not BULLET_RE.match(candidate):
            parsed.standfirst = candidate
            rest = rest[1:]
        elif len(candidate) > STANDFIRST_MAX:
            parsed.notes.append(
                f"no standfirst: the first paragraph is {len(candidate)} characters, more "
                f"than a standfirst holds ({STANDFIRST_MAX}); it stays in the body"
            )
    parsed.body = "\n\n".join(body_blocks(path, parsed, rest, headings=headings))
    if not parsed.body.strip() and parsed.standfirst:
        # A one-paragraph brief: its paragraph is the story, not a summary of it.
        parsed.body, parsed.standfirst = inline_markdown(parsed.standfirst), ""
    if not parsed.body.strip() and not parsed.faq:
        raise ArticleFormatError(
            path, paragraphs[0].line, "the article has no body: there is only a headline"
        )
    return parsed
