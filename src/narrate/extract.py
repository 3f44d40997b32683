"""Extraction: a source (file or stdin) becomes an :class:`~narrate.models.Article`.

1. Read the bytes, refusing what is not an article: missing, a folder, empty, binary, too big.
2. Pick the reader from the extension (or, for stdin, from the content).
3. Decode: HTML honours its declared charset; text and Markdown must be UTF-8.
4. Read: HTML with trafilatura, Markdown with markdown-it-py, plain text with the page-dump
   heuristic in :mod:`narrate.extract_text`.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
import re
import sys
import typing
from datetime import date
from pathlib import Path

import trafilatura
from markdown_it import MarkdownIt
from markdown_it.token import Token

from narrate.errors import InputError
from narrate.extract_text import (
    clean_byline,
    clean_inline,
    clean_title,
    find_date,
    parse_text,
)
from narrate.models import Article, Paragraph

logger = logging.getLogger(__name__)

Kind = typing.Literal["html", "text", "markdown"]
_KINDS: dict[str, Kind] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}
_BOM = codecs.BOM_UTF8
# Past this much text it is not one article (a long feature is 40,000 characters): 200,000
# characters is about three hours of speech.
MAX_BODY_CHARS = 200_000
_HTML_START = re.compile(rb"<(!doctype|html|head|body|p|article|div|main|section|h[1-6])\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_NO_BODY_HINT = (
    "narrate reads news articles: check that the page holds the article's text "
    "(some sites load it with JavaScript; save the page after it has loaded, or paste its text "
    "into a .txt file)"
)


def load_article(
    source: str,
    *,
    stdin: typing.BinaryIO | None = None,
    source_url: str | None = None,
    max_bytes: int = 5_000_000,
) -> Article:
    """Read an article from a ``.html``, ``.txt`` or ``.md`` file, or ``"-"`` for stdin.

    Raises :class:`InputError` (with a hint) for anything that is not a readable article.
    ``source_url`` overrides a URL found in the page.
    """
    data, name, kind = _read(source, stdin, max_bytes)
    if not data.strip(b" \t\r\n\f\v" + _BOM):
        raise InputError(f"{name} is empty", "give a file that holds an article's text")
    if _looks_binary(data):
        raise InputError(
            f"{name} is not a text file (it holds binary data)",
            "give an .html, .txt or .md file saved as text, not a PDF, image or Word file",
        )
    kind = kind or _sniff(data)
    logger.debug("reading %s as %s", name, kind)
    if kind == "html":
        article = _from_html(data, name)
    else:
        text = _decode_utf8(data, name)
        if not text.strip():
            raise InputError(f"{name} is empty", "give a file that holds an article's text")
        article = _from_markdown(text, name) if kind == "markdown" else parse_text(text, name)
    if len(article.body_text) > MAX_BODY_CHARS:
        raise InputError(
            f"{name} holds {len(article.body_text):,} characters of article text, more than "
            f"{MAX_BODY_CHARS:,} (about three hours of speech)",
            "narrate reads one article at a time; split long documents into articles",
        )
    if source_url:
        article = _replace_url(article, source_url)
    return article


def _read(
    source: str, stdin: typing.BinaryIO | None, max_bytes: int
) -> tuple[bytes, str, Kind | None]:
    too_big_hint = "narrate reads one article at a time; give the article's own page or text"
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            data = stream.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(
                f"could not read stdin: {exc.strerror or exc}", "pipe an article into narrate"
            ) from exc
        if len(data) > max_bytes:
            raise InputError(f"stdin is bigger than {max_bytes:,} bytes", too_big_hint)
        return data, "stdin", None
    path = Path(source)
    name = path.name or source
    if not path.exists():
        raise InputError(f"{source} does not exist", "check the path of the article file")
    if path.is_dir():
        raise InputError(f"{source} is a folder, not a file", "give the path of one article file")
    kind = _KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"{name} has an unsupported extension ({path.suffix or 'none'})",
            "give an .html, .htm, .txt, .md or .markdown file, or pipe text in with '-'",
        )
    try:
        if path.stat().st_size > max_bytes:
            raise InputError(f"{name} is bigger than {max_bytes:,} bytes", too_big_hint)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"could not read {source}: {exc.strerror or exc}", "check the file's permissions"
        ) from exc
    if len(data) > max_bytes:
        raise InputError(f"{name} is bigger than {max_bytes:,} bytes", too_big_hint)
    return data, name, kind


def _looks_binary(data: bytes) -> bool:
    head = data[:65536]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f\v" or byte == 127)
    return controls > max(4, len(head) // 50)


def _sniff(data: bytes) -> Kind:
    head = data[:8192].lstrip(_BOM + b" \t\r\n\f\v")
    if head.startswith(b"<") and _HTML_START.search(head):
        return "html"
    text = head.decode("utf-8", "replace")
    if _FRONT_MATTER.match(text.replace("\r\n", "\n")) or _MD_HEADING.search(text):
        return "markdown"
    return "text"


def _decode_utf8(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not valid UTF-8 (bad byte at offset {exc.start})",
            f"convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 {name} > utf8-{name}",
        ) from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _decode_html(data: bytes) -> str:
    """HTML text: BOM first, then a declared charset, then UTF-8 (with replacement)."""
    for bom, encoding in (
        (_BOM, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            encoding = "utf-8"
        if encoding in ("latin-1", "iso8859-1", "ascii"):
            encoding = "cp1252"  # what browsers do with these labels
        if not encoding.startswith("utf-16"):  # a page read as bytes cannot be UTF-16 here
            return data.decode(encoding, "replace")
    return data.decode("utf-8", "replace")


def _from_html(data: bytes, name: str) -> Article:
    markup = _decode_html(data)
    try:
        doc = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # a parser fed hostile input: any failure means bad input
        logger.debug("trafilatura failed on %s", name, exc_info=True)
        raise InputError(
            f"could not parse the HTML of {name}", "check that it is a web page"
        ) from exc
    body = getattr(doc, "body", None)
    paragraphs = _html_paragraphs(body) if body is not None else []
    title = clean_title(getattr(doc, "title", None) or "")
    if paragraphs and paragraphs[0].is_heading and paragraphs[0].text == title:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise InputError(f"no article body found in {name}", _NO_BODY_HINT)
    if not title:
        title = next((p.text for p in paragraphs if p.is_heading), Path(name).stem)
    raw_date = getattr(doc, "date", None)
    published = _iso_date(raw_date) if raw_date else None
    author = getattr(doc, "author", None)
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        byline=_join_authors(author) if author else None,
        published=published,
        source_url=getattr(doc, "url", None) or None,
        publisher=clean_inline(getattr(doc, "sitename", None) or "") or None,
        language=(getattr(doc, "language", None) or "en"),
        source_name=name,
    )


def _html_paragraphs(body: typing.Any) -> list[Paragraph]:
    """Trafilatura's body: <head> are headings, <p> paragraphs, <list> items one each."""
    for lb in body.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    paragraphs: list[Paragraph] = []

    def add(element: typing.Any, heading: bool = False) -> None:
        for line in "".join(element.itertext()).split("\n"):
            text = clean_inline(line)
            if text:
                paragraphs.append(Paragraph(text, is_heading=heading))

    for element in body:
        tag = element.tag
        if tag == "head":
            add(element, heading=True)
        elif tag == "list":
            for item in element.iterchildren("item"):
                add(item)
        elif tag == "quote" and len(element) and all(child.tag == "p" for child in element):
            for child in element:
                add(child)
        elif tag not in ("graphic", "table", "code", "ref"):
            add(element)
    return paragraphs


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return find_date(text)


def _join_authors(raw: str) -> str | None:
    names = [n for n in (clean_byline(part) for part in raw.split(";")) if n]
    if len(names) > 2:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return " and ".join(names) or None


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple ``key: value`` front matter between ``---`` lines (lists become "a, b")."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    key = ""
    for line in match.group(1).split("\n"):
        item = re.match(r"\s+-\s+(.*)", line)
        if item and key:
            value = item.group(1).strip().strip("\"'")
            meta[key] = f"{meta[key]}; {value}" if meta.get(key) else value
            continue
        pair = re.match(r"([A-Za-z_][\w-]*)\s*:\s*(.*)", line)
        if pair:
            key, value = pair.group(1).lower(), pair.group(2).strip()
            if value.startswith("[") and value.endswith("]"):
                value = "; ".join(v.strip().strip("\"'") for v in value[1:-1].split(","))
            meta[key] = value.strip("\"'")
    return meta, text[match.end() :]


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return clean_inline("".join(parts))


def _from_markdown(text: str, name: str) -> Article:
    meta, body = _front_matter(text)
    tokens = MarkdownIt("commonmark").parse(body)
    blocks: list[Paragraph] = []
    first_is_h1 = False
    for i, token in enumerate(tokens):
        opener = tokens[i - 1] if i else token
        if token.type == "inline" and opener.type in ("heading_open", "paragraph_open"):
            text = _inline_text(token)
            if text:
                first_is_h1 = first_is_h1 or (not blocks and opener.tag == "h1")
                blocks.append(Paragraph(text, is_heading=opener.type == "heading_open"))
        elif token.type == "html_block" and (text := clean_inline(token.content)):
            blocks.append(Paragraph(text))
    title = clean_title(meta.get("title", ""))
    if first_is_h1 and (not title or clean_title(blocks[0].text) == title):
        title = clean_title(blocks.pop(0).text)
    authors = meta.get("author") or meta.get("authors") or meta.get("byline")
    byline = _join_authors(authors) if authors else None
    raw_date = meta.get("date") or meta.get("published") or meta.get("pubdate")
    published = find_date(raw_date) if raw_date else None
    first = blocks[0] if blocks else Paragraph("")
    if not first.is_heading and re.match(r"by\s", first.text, re.I) and len(first.text) < 200:
        blocks.pop(0)
        byline = byline or clean_byline(first.text)
        published = published or find_date(first.text)
    if not any(not b.is_heading for b in blocks):
        raise InputError(
            f"no article body found in {name}",
            "the Markdown needs paragraphs under its title; check the file is the article",
        )
    url = next(
        (meta[k] for k in ("url", "source_url", "canonical_url", "link") if meta.get(k)), None
    )
    publisher = next((meta[k] for k in ("publisher", "site", "site_name") if meta.get(k)), None)
    return Article(
        title=title or Path(name).stem,
        paragraphs=tuple(blocks),
        byline=byline,
        published=published,
        source_url=url,
        publisher=clean_inline(publisher) if publisher else None,
        source_name=name,
    )


def _replace_url(article: Article, url: str) -> Article:
    return dataclasses.replace(article, source_url=url)
