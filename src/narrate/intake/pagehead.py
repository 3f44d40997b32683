"""The head of a page dump: the lines above its body give the title, byline, date, deck and
publisher.

- Title: the page's ``<title>`` (the dump's first line) repeated above the body, else the
  headline-like line just above the byline or the body, never a line of names alone (that is
  the byline, "By" or not: "Lisa Kaczke and Trevor J. Mitchell Sioux Falls Argus Leader").
- Date: the first line between the headline and the body with a date, and its time of day with
  the zone when it names one (:func:`narrate.intake.rules.find_moment`).
- Deck: the first line under the headline (past byline, date and captions) that says a
  sentence's worth and is no furniture.
- Publisher: the end of the page's ``<title>`` ("Headline | The Ledger"), else its copyright line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from narrate.intake.bylines import is_byline
from narrate.intake.knobs import fires
from narrate.intake.rules import (
    BYLINE,
    CAPTION_CREDIT,
    TIME,
    TITLE_SEPARATORS,
    TRUNCATED,
    WORD,
    clean_byline,
    find_date,
    find_moment,
    is_boilerplate,
    is_dateline,
    is_marker,
    word_count,
)

HEADLINE_REACH = 8  # lines from the headline to the first of the body (byline, date, caption)
DECK_WORDS = (8, 60)  # a standfirst says a sentence's worth, not a paragraph
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")


@dataclass(frozen=True)
class Head:
    title: str | None
    byline: str | None
    published: date | None
    publisher: str | None
    deck: str | None = None
    published_at: datetime | None = None


def is_byline_line(line: str) -> bool:
    """ "By Priya Lund", or a line of names alone ("Ann Lee and Bo Chen, The Ledger")."""
    return bool(BYLINE.match(line)) or (is_byline(line) and fires("names-line"))


def _headline_like(line: str) -> bool:
    words = word_count(line)
    return (
        2 <= words <= 30
        and len(line) <= 300
        and not line.endswith((".", ",", ";", ":"))
        and not is_boilerplate(line, words)
        and not is_dateline(line)
        and not is_marker(line)
        and not is_byline_line(line)
        and not CAPTION_CREDIT.search(line)
        and not find_date(line)
        and not TIME.search(line)
        and not re.match(r"(?i)(last )?(updated|posted|published)\b", line)
        and sum(c.isalpha() for c in line) >= len(line) / 2
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘")
    )


def normal(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def read_head(lines: list[str], start: int) -> Head:
    """Title, byline, date and publisher from the lines above the body (and its first line)."""
    window = range(max(0, start - 20), min(len(lines), start + 1))
    byline_at = next((i for i in reversed(window) if is_byline_line(lines[i])), None)
    byline = clean_byline(lines[byline_at]) if byline_at is not None else None
    if byline is None:
        byline_at = None
    anchor = byline_at if byline_at is not None else start

    page_title, publisher = lines[0], None
    parts = TITLE_SEPARATORS.split(lines[0])
    if len(parts) > 1:
        page_title = max(parts, key=len)
        rest = [p for p in parts if p is not page_title]
        if rest and word_count(rest[-1]) <= 5:
            publisher = rest[-1].strip()
    key, whole = normal(page_title), normal(lines[0])
    title = None
    for i in range(start, max(0, start - 40), -1):  # the page's <title> repeated as the headline
        norm = normal(lines[i])
        if word_count(lines[i]) >= 3 and (norm == key or (len(norm) > 15 and norm in whole)):
            title = lines[i]
            break
    for least_words in (5, 2):  # a headline rather than a section label ("Key Points")
        for i in range(anchor - 1, max(-1, anchor - 8), -1):
            if title is None and _headline_like(lines[i]) and word_count(lines[i]) >= least_words:
                title = lines[i]
    if title is None and word_count(page_title) >= 1 and not is_marker(page_title):
        title = page_title
    publisher = publisher or _copyright_holder(lines)
    title_at = lines.index(title) if title in lines else anchor
    dated = [i for i in range(min(title_at, anchor), start) if find_date(lines[i])]
    published = find_date(lines[dated[0]]) if dated else None
    moment = find_moment(lines[dated[0]]) if dated else None
    heads = [i for i in range(start) if lines[i] == title]  # its last copy heads the body
    deck = _deck(lines, heads[-1], start) if heads else None
    return Head(title, byline, published, publisher, deck, moment)


def _deck(lines: list[str], title_at: int, start: int) -> str | None:
    """The standfirst: the first line under the headline (past its byline, date and captions)
    when it says something (a sentence's worth of words) and the body starts after it."""
    for i in range(title_at + 1, min(start, title_at + 1 + HEADLINE_REACH)):
        line = lines[i]
        words = word_count(line)
        if is_byline_line(line) or is_dateline(line) or CAPTION_CREDIT.search(line):
            continue
        if normal(line) == normal(lines[title_at]):
            continue  # the headline again
        furniture = (
            is_boilerplate(line, words)
            or is_marker(line)
            or find_date(line)
            or TIME.search(line)
            or _NUMERIC_DATE.search(line)
            or TRUNCATED.search(line)
        )
        if DECK_WORDS[0] <= words <= DECK_WORDS[1] and not furniture and fires("deck"):
            return line
        return None
    return None


_COPYRIGHT = re.compile(
    r"(?i)^(?:©|\(c\)|copyright)(?:\s*(?:©|\(c\)))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?"
    r"([^.,|]{2,60}?)\s*(?:[.,|]|all rights reserved|$)"
)


def _copyright_holder(lines: list[str]) -> str | None:
    """The publisher named in a page's copyright line ("© 2026 The Riverton Ledger.")."""
    for line in reversed(lines):
        found = _COPYRIGHT.match(line)
        if found and 1 <= word_count(found.group(1)) <= 6:
            return found.group(1).strip()
    return None
