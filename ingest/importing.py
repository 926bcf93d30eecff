"""
Import plain-text articles from files (see plaintext.py for the format).

An article's key is the file's path relative to the folder it was found in ("reuters/001.txt"),
or the `ID:` line at the top of the file, either after an optional key prefix. Text is read as
UTF-8, UTF-16 or UTF-32 when a byte-order mark says so, as UTF-16 when its bytes clearly are,
and as Windows-1252 (a superset of Latin-1) only when asked or when the bytes are clearly
West-European text: every byte past ASCII is a letter, a currency sign or typographic
punctuation in that encoding. Anything else is refused, asking for `--encoding`.
"""

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from .plaintext import ArticleFormatError, ParsedArticle, parse_article
from .services import Incoming, article_import, text_fingerprint

MAX_BYTES = 1_000_000
TEXT_SUFFIX = ".txt"
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
WEST_EUROPEAN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœŠšŽžŸƒ£€¥©®°±²³µ·¹º¼½¾¿¡«»‘’‚“”„†‡•…‰‹›–—™\s]")


@dataclass
class FileToImport:
    path: Path
    key: str  # relative to its import root, before any prefix or ID line


def looks_like_utf16(data):
    """Mostly-ASCII text in UTF-16 without a BOM: every other byte is zero."""
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def is_clearly_west_european(data):
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return all(WEST_EUROPEAN.match(ch) for ch in text if ord(ch) > 127)


def read_text(path, *, encoding=None, max_bytes=MAX_BYTES):
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise ArticleFormatError(
            path,
            1,
            f"the file is {size:,} bytes, over the {max_bytes:,}-byte limit for one "
            "article (--max-bytes raises it): is this one article?",
        )
    data = path.read_bytes()
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except LookupError:
            raise ArticleFormatError(path, 1, f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ArticleFormatError(path, line, f"the file is not {encoding} text") from None
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).removeprefix("\ufeff")
            except UnicodeDecodeError:
                raise ArticleFormatError(path, 1, f"the file is not {codec} text") from None
    if codec := looks_like_utf16(data):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if is_clearly_west_european(data):
            return data.decode("cp1252")
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleFormatError(
            path, line, "the file is not UTF-8 text; give its encoding, e.g. --encoding latin-1"
        ) from None


class DuplicateKeyError(ValueError):
    """Two files of one run would be the same article."""


def article_files(paths):
    """
    The .txt files (in any case: .TXT too) in `paths`, folders searched through, in name order,
    each with its key: its path relative to the folder named, or its name for a file named
    itself. Two different files with the same key are refused.
    """
    found, seen = [], set()
    for path in map(Path, paths):
        if path.is_dir():
            candidates = sorted(
                (p for p in path.rglob("*") if p.suffix.lower() == TEXT_SUFFIX and p.is_file()),
                key=lambda p: p.relative_to(path).as_posix(),
            )
            entries = [FileToImport(p, p.relative_to(path).as_posix()) for p in candidates]
        else:
            entries = [FileToImport(path, path.name)]
        for entry in entries:
            resolved = entry.path.resolve()
            if resolved not in seen:  # a file named twice is imported once
                seen.add(resolved)
                found.append(entry)
    by_key = {}
    for entry in found:
        by_key.setdefault(entry.key, []).append(entry.path)
    clashes = [same for same in by_key.values() if len(same) > 1]
    if clashes:
        raise DuplicateKeyError(
            "These files would be the same article, as a file's path inside the folder "
            "imported is its key; import their parent folder, or each folder in its own run "
            "with --key-prefix: " + "; ".join(" and ".join(map(str, same)) for same in clashes)
        )
    return found


def body_with_credit(parsed):
    if parsed.credit and parsed.credit not in parsed.body:
        return f"{parsed.body}\n\n*Credit: {parsed.credit}*" if parsed.body else ""
    return parsed.body


def incoming_from_text(parsed: ParsedArticle, *, key, source, text, section=None, tags=None):
    return Incoming(
        key=key,
        format="text",
        source=source,
        headline=parsed.headline,
        standfirst=parsed.standfirst,
        body=body_with_credit(parsed),
        bylines=parsed.bylines or None,
        credit=parsed.credit,
        faq=parsed.faq,
        section=section,
        tags=tags,
        fingerprint=text_fingerprint(text),
    )


def import_article(
    path,
    *,
    key=None,
    key_prefix="",
    section=None,
    tags=None,
    publish=False,
    skip_duplicates=False,
    force=False,
    headings=True,
    encoding=None,
    max_bytes=MAX_BYTES,
):
    """Create or update the article kept in `path`. Its key is `key` (the path relative to the
    folder imported; the file's name by default) or its ID line, after `key_prefix`."""
    path = Path(path)
    text = read_text(path, encoding=encoding, max_bytes=max_bytes)
    parsed = parse_article(path, text, headings=headings)
    identity = f"id:{parsed.source_id}" if parsed.source_id else (key or path.name)
    incoming = incoming_from_text(
        parsed, key=f"text:{key_prefix}{identity}", source=str(path), text=text,
        section=section, tags=tags,
    )  # fmt: skip
    result = article_import(
        incoming=incoming, force=force, publish=publish, skip_duplicates=skip_duplicates
    )
    result.parsed = parsed
    return result
