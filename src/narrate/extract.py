"""Extraction: a source (file, stdin or http(s) URL) becomes an :class:`~narrate.models.Article`.

1. Read the bytes, refusing what is not an article: missing, a folder, empty, binary, too big.
   A URL is fetched by :mod:`narrate.fetch` (timeout, size cap, http and https only).
2. Pick the reader from the extension or the server's content type (else from the content).
3. Decode: HTML honours its declared charset; text and Markdown must be UTF-8 (or UTF-16 with
   a byte-order mark, as Windows Notepad saves "Unicode").
4. Read: HTML with trafilatura (:mod:`narrate.extract_html`), Markdown with markdown-it-py,
   plain text with the page-dump heuristic in :mod:`narrate.extract_text`.
5. Language: declared by the page (HTML ``lang``, Markdown front matter), else detected
   (:mod:`narrate.language`), else English.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import logging
import re
import sys
import typing
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from narrate.errors import InputError
from narrate.extract_rules import (
    clean_byline,
    clean_inline,
    clean_title,
    find_date,
    join_authors,
)
from narrate.extract_text import parse_text
from narrate.fetch import fetch, is_url
from narrate.language import detect_language, language_tag
from narrate.models import Article, BlockKind, Paragraph

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
MAX_TEXT_CHARS = 500_000  # a whole page copied out is rarely 100,000 characters
_HTML_START = re.compile(rb"<(!doctype|html|head|body|p|article|div|main|section|h[1-6])\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_CONTENT_TYPES: dict[str, Kind] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
_TOO_BIG_HINT = "narrate reads one article at a time; give the article's own page or text"


@dataclasses.dataclass(frozen=True)
class _Raw:
    data: bytes
    name: str  # for messages: the file's name, "stdin" or the URL
    kind: Kind | None  # None: sniff the content
    url: str | None = None  # where a fetched page ended up
    charset: str | None = None  # what the server said the encoding is


def load_article(
    source: str,
    *,
    stdin: typing.BinaryIO | None = None,
    source_url: str | None = None,
    max_bytes: int = 5_000_000,
) -> Article:
    """Read an article from a ``.html``, ``.txt`` or ``.md`` file, an http(s) URL, or ``"-"``
    for stdin.

    Raises :class:`InputError` (with a hint) for anything that is not a readable article.
    ``source_url`` overrides a URL found in the page.
    """
    raw = _fetch(source, max_bytes) if is_url(source) else _read(source, stdin, max_bytes)
    raw = _utf16_as_utf8(raw)
    data, name = raw.data, raw.name
    if not data.strip(b" \t\r\n\f\v" + _BOM):
        raise InputError(f"{name} is empty", "give a file that holds an article's text")
    if _looks_binary(data):
        raise InputError(
            f"{name} is not a text file (it holds binary data)",
            "give an .html, .txt or .md file saved as text, not a PDF, image or Word file",
        )
    kind = raw.kind or _sniff(data)
    logger.debug("reading %s as %s", name, kind)
    if kind == "html":
        from narrate.extract_html import read_html  # trafilatura: only for HTML (0.4 s)

        article = read_html(_decode_html(data, raw.charset), name, url=raw.url)
    else:
        text = _decode_text(data, name, raw.charset)
        if not text.strip():
            raise InputError(f"{name} is empty", "give a file that holds an article's text")
        if len(text) > MAX_TEXT_CHARS:
            raise InputError(
                f"{name} holds {len(text):,} characters, more than a page of text "
                f"({MAX_TEXT_CHARS:,})",
                _TOO_BIG_HINT,
            )
        article = _from_markdown(text, name) if kind == "markdown" else parse_text(text, name)
        if kind == "text" or article.language == "":
            article = dataclasses.replace(
                article, language=detect_language(article.body_text) or "en"
            )
        if raw.url and not article.source_url:
            article = _replace_url(article, raw.url)
    if len(article.body_text) > MAX_BODY_CHARS:
        raise InputError(
            f"{name} holds {len(article.body_text):,} characters of article text, more than "
            f"{MAX_BODY_CHARS:,} (about three hours of speech)",
            "narrate reads one article at a time; split long documents into articles",
        )
    if source_url:
        article = _replace_url(article, source_url)
    return article


def _fetch(url: str, max_bytes: int) -> _Raw:
    page = fetch(url, max_bytes=max_bytes)
    kind = _CONTENT_TYPES.get(page.content_type)
    if kind is None and page.content_type and not page.content_type.startswith("text/"):
        raise InputError(
            f"{url} is not a web page or text (the server says {page.content_type})",
            "give the address of the article's page",
        )
    return _Raw(page.data, url, kind, page.url, page.charset)


def _read(source: str, stdin: typing.BinaryIO | None, max_bytes: int) -> _Raw:
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            data = stream.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(
                f"could not read stdin: {exc.strerror or exc}", "pipe an article into narrate"
            ) from exc
        if len(data) > max_bytes:
            raise InputError(f"stdin is bigger than {max_bytes:,} bytes", _TOO_BIG_HINT)
        return _Raw(data, "stdin", None)
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
            raise InputError(f"{name} is bigger than {max_bytes:,} bytes", _TOO_BIG_HINT)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"could not read {source}: {exc.strerror or exc}", "check the file's permissions"
        ) from exc
    if len(data) > max_bytes:
        raise InputError(f"{name} is bigger than {max_bytes:,} bytes", _TOO_BIG_HINT)
    return _Raw(data, name, kind)


def _utf16_as_utf8(raw: _Raw) -> _Raw:
    """Text saved as UTF-16 with its byte-order mark (Windows Notepad's "Unicode"), as UTF-8:
    its zero bytes would otherwise make it look binary."""
    if not raw.data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw
    try:
        data = raw.data.decode("utf-16").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{raw.name} is not valid UTF-16 (bad bytes at offset {exc.start})",
            f"save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 {raw.name} > utf8-{raw.name}",
        ) from exc
    return dataclasses.replace(raw, data=data, charset="utf-8")


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


def _decode_text(data: bytes, name: str, charset: str | None = None) -> str:
    """UTF-8 (or the charset a server declared), strictly: a wrong guess would be spoken."""
    try:
        text = data.decode(_known_encoding(charset) or "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not valid UTF-8 (bad byte at offset {exc.start})",
            f"convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 {name} > utf8-{name}",
        ) from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _known_encoding(label: str | None) -> str | None:
    if not label:
        return None
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not info._is_text_encoding:  # base64, hex, rot13, zlib...: codecs, not text
        return None
    encoding = info.name
    return "cp1252" if encoding in ("latin-1", "iso8859-1", "ascii") else encoding


def _decode_html(data: bytes, charset: str | None = None) -> str:
    """HTML text: BOM first, then the server's or the page's charset, then UTF-8 (with
    replacement: a stray byte in a mostly UTF-8 page must not lose the article)."""
    for bom, encoding in (
        (_BOM, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    declared = _META_CHARSET.search(data[:4096])
    label = charset or (declared.group(1).decode("ascii", "replace") if declared else None)
    encoding = _known_encoding(label) or "utf-8"
    if encoding.startswith("utf-16"):  # a page that arrived as ASCII-compatible bytes
        encoding = "utf-8"
    return data.decode(encoding, _MIXED if encoding == "utf-8" else "replace")


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 in a UTF-8 page (text pasted from Windows): read as cp1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", "replace"), error.end


_MIXED = "narrate-cp1252-fallback"
codecs.register_error(_MIXED, _cp1252_fallback)


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
            value = _scalar(item.group(1))
            meta[key] = f"{meta[key]}; {value}" if meta.get(key) else value
            continue
        pair = re.match(r"([A-Za-z_][\w-]*)\s*:\s*(.*)", line)
        if pair:
            key, value = pair.group(1).lower(), pair.group(2).strip()
            if value.startswith("[") and value.endswith("]"):
                value = "; ".join(v.strip().strip("\"'") for v in value[1:-1].split(","))
            meta[key] = _scalar(value)
    return meta, text[match.end() :]


def _scalar(value: str) -> str:
    """A front matter value without its quotes: YAML's escapes in "double" quotes (``\\"``)
    and doubled quotes in 'single' quotes (``''``) are decoded."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            decoded = str(json.loads(value))  # YAML's double-quoted escapes are JSON's, mostly
            decoded.encode("utf-8")  # a lone surrogate ("\ud800") could not be written out
            return decoded
        except (ValueError, UnicodeEncodeError):
            pass
    elif len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value.strip("\"'")


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
    depth = {"blockquote": 0, "list_item": 0}  # inside a block quote, a list item
    for i, token in enumerate(tokens):
        opener = tokens[i - 1] if i else token
        container = token.type.removesuffix("_open").removesuffix("_close")
        if container in depth:
            depth[container] += 1 if token.type.endswith("_open") else -1
        if token.type == "inline" and opener.type in ("heading_open", "paragraph_open"):
            text = _inline_text(token)
            if text:
                first_is_h1 = first_is_h1 or (not blocks and opener.tag == "h1")
                kind: BlockKind = (
                    "item" if depth["list_item"] else "quote" if depth["blockquote"] else "text"
                )
                heading = opener.type == "heading_open"
                blocks.append(Paragraph(text, is_heading=heading, kind=kind))
        elif token.type == "html_block" and (text := clean_inline(token.content)):
            blocks.append(Paragraph(text))
    title = clean_title(meta.get("title", ""))
    if first_is_h1 and (not title or clean_title(blocks[0].text) == title):
        title = clean_title(blocks.pop(0).text)
    authors = meta.get("author") or meta.get("authors") or meta.get("byline")
    byline = join_authors(authors) if authors else None
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
        language=language_tag(meta.get("lang") or meta.get("language") or "") or "",
        source_name=name,
        description=clean_inline(meta["description"]) if meta.get("description") else None,
        image_url=meta.get("image") or None,
    )


def _replace_url(article: Article, url: str) -> Article:
    return dataclasses.replace(article, source_url=url)


def extracted_record(source: str, article: Article) -> dict[str, str | None]:
    """What extraction kept, for ``narrate extract --json``: one flat JSON object."""
    return {
        "source": source,
        "title": article.title,
        "byline": article.byline,
        "date": article.published.isoformat() if article.published else None,
        "language": article.language,
        "body": article.body_text,
    }


def extracted_text(article: Article) -> str:
    """What extraction kept, as written: title, "By" byline and date lines, a blank line, then
    the body's paragraphs (headings on their own lines) separated by blank lines."""
    head = [article.title]
    if article.byline:
        head.append(f"By {article.byline}")
    if article.published:
        head.append(article.published.isoformat())
    return "\n".join(head) + "\n\n" + article.body_text
