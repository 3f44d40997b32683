"""Markdown articles: YAML front matter (PyYAML) and a CommonMark body (markdown-it-py).

Front matter between ``---`` lines gives the title, author(s), date (with a time and zone, the
episode's pubDate), language, URL, publisher, description and image, and how the episode goes
out: ``publish_at`` (held back until then), ``season`` and ``episode_type``. The body's first
``# heading`` is the title when the front matter has none (or the same one); a first paragraph
that starts with "By" is the byline (read as people: "By Jill Disis, CNN Business" is one author
of that outlet), while the front matter's authors are taken as given, one per list entry.
Headings stay
headings (chapters), block quotes and list items are paced apart.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from narrate.errors import InputError
from narrate.intake.bylines import people
from narrate.intake.rules import clean_byline, clean_inline, clean_title, find_date, parse_moment
from narrate.language import language_tag
from narrate.models import EPISODE_TYPES, Article, BlockKind, Paragraph, Person, Release

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
# Keys of a nested map that stand for it: "author: {name: Ann}" is "Ann".
_NAME_KEYS = ("name", "title", "url", "href", "src")


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The front matter's values as text (keys in lower case), and the Markdown after it.

    Lists become "a; b", dates ISO dates, a nested map its ``name`` (or ``title``, ``url``).
    Front matter that is not YAML is an ``InputError`` that says where.
    """
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise InputError(
            f"the front matter is not valid YAML{where}",
            'put quotes around a value that holds ": " or starts with a special character',
        ) from exc
    if not isinstance(data, Mapping):
        return {}, text[match.end() :]
    meta = {str(key).lower(): _text(value) for key, value in data.items()}
    return {key: value for key, value in meta.items() if value}, text[match.end() :]


def _text(value: Any) -> str:
    """A front matter value as one line of text ("" for what holds none)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, datetime.date):  # a datetime too: YAML reads 2024-03-03 as a date
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(text for text in map(_text, value) if text)
    if isinstance(value, Mapping):
        return next((_text(value[k]) for k in _NAME_KEYS if value.get(k)), "")
    text = str(value).strip()
    # A lone surrogate ("\ud800" in double quotes) could never be written out.
    return text.encode("utf-8", "replace").decode("utf-8")


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return clean_inline("".join(parts))


def read_markdown(text: str, name: str) -> Article:
    """The article of a Markdown document (see the module's docstring)."""
    meta, body = front_matter(text)
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
    # the front matter names its authors: one each, as given (a "By" line is read as a byline)
    given = (clean_byline(entry) for entry in (authors or "").split(";"))
    authors_found = tuple(Person(name) for name in given if name)
    raw_date = meta.get("date") or meta.get("published") or meta.get("pubdate")
    published = find_date(raw_date) if raw_date else None
    published_at = parse_moment(raw_date) if raw_date else None  # a date with a time
    first = blocks[0] if blocks else Paragraph("")
    if not first.is_heading and re.match(r"by\s", first.text, re.I) and len(first.text) < 200:
        blocks.pop(0)
        authors_found = authors_found or people(first.text)
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
        authors=authors_found,
        published=published,
        source_url=url,
        publisher=clean_inline(publisher) if publisher else None,
        language=language_tag(meta.get("lang") or meta.get("language") or "") or "",
        source_name=name,
        description=clean_inline(meta["description"]) if meta.get("description") else None,
        image_url=meta.get("image") or None,
        published_at=published_at,
        release=release(meta),
    )


def release(meta: Mapping[str, str]) -> Release:
    """The front matter's ``publish_at``, ``season`` and ``episode_type`` (InputError when one
    is not what it should be: a schedule that silently did nothing would publish at once)."""
    raw_at, raw_season = meta.get("publish_at", ""), meta.get("season", "")
    publish_at = parse_moment(raw_at, date_alone=True) if raw_at else None
    if raw_at and publish_at is None:
        raise InputError(
            f"front matter publish_at {raw_at!r} is not a date and time",
            "write it as ISO 8601: 2026-03-05T06:00:00+01:00 (no zone: this machine's)",
        )
    if raw_season and not (raw_season.isdigit() and int(raw_season) > 0):
        raise InputError(f"front matter season {raw_season!r} is not a number", "write season: 2")
    kind = meta["episode_type"].lower() if meta.get("episode_type") else None
    if kind is not None and kind not in EPISODE_TYPES:
        raise InputError(
            f"front matter episode_type {kind!r} is not known", "use " + ", ".join(EPISODE_TYPES)
        )
    return Release(publish_at, int(raw_season) if raw_season else None, kind)
