"""Stage 1, intake: a source (a file, stdin, an http(s) URL or text) becomes an ``Article``.

1. Read the bytes, refusing what is not an article: missing, a folder, empty, binary, too big.
   A URL is fetched by :mod:`narrate.intake.fetch` (timeout, size cap, http and https only).
2. Pick the reader from the extension or the server's content type (else from the content).
3. Decode: HTML honours its declared charset; text and Markdown must be UTF-8 (or UTF-16 with
   a byte-order mark, as Windows Notepad saves "Unicode").
4. Read: HTML with trafilatura (:mod:`narrate.intake.webpage`), Markdown with markdown-it-py
   (:mod:`narrate.intake.markdown`), plain text with the page-dump heuristic
   (:mod:`narrate.intake.pagedump`).
5. Language: declared by the page (HTML ``lang``, Markdown front matter), else detected
   (:mod:`narrate.language`), else English.
"""

from __future__ import annotations

import codecs
import dataclasses
import logging
import re
import sys
import typing
from pathlib import Path

from narrate.errors import InputError
from narrate.intake.fetch import fetch, is_url
from narrate.intake.markdown import FRONT_MATTER, read_markdown
from narrate.intake.pagedump import parse_text
from narrate.language import detect_language
from narrate.models import Article, ArticleText, SourceKind

logger = logging.getLogger(__name__)

Kind = SourceKind
Source = str | Path | ArticleText  # a path, an http(s) URL, "-" for stdin, or the text itself
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
    source: Source,
    *,
    stdin: typing.BinaryIO | None = None,
    source_url: str | None = None,
    max_bytes: int = 5_000_000,
) -> Article:
    """Read an article from a ``.html``, ``.txt`` or ``.md`` file, an http(s) URL, ``"-"`` for
    stdin, or an :class:`ArticleText`.

    Raises :class:`InputError` (with a hint) for anything that is not a readable article.
    ``source_url`` overrides a URL found in the page.
    """
    if isinstance(source, ArticleText):
        raw = _given(source, max_bytes)
    elif is_url(str(source)):
        raw = _fetch(str(source), max_bytes)
    else:
        raw = _read(str(source), stdin, max_bytes)
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
        from narrate.intake.webpage import read_html  # trafilatura: only for HTML (0.4 s)

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
        article = read_markdown(text, name) if kind == "markdown" else parse_text(text, name)
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


def _given(text: ArticleText, max_bytes: int) -> _Raw:
    data = text.text.encode("utf-8", "replace")  # a lone surrogate could never be spoken
    if len(data) > max_bytes:
        raise InputError(f"{text.name} is bigger than {max_bytes:,} bytes", _TOO_BIG_HINT)
    return _Raw(data, text.name, text.kind, text.url, "utf-8")


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
    if FRONT_MATTER.match(text.replace("\r\n", "\n")) or _MD_HEADING.search(text):
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


def _replace_url(article: Article, url: str) -> Article:
    return dataclasses.replace(article, source_url=url)
