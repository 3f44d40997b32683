"""Plain-text sources: clean articles and pages copied out of a browser.

A page dump holds the article between menus, sign-up boxes, captions and teasers. Each line is
scored (prose is positive, short or unfinished lines negative), the best contiguous run of lines
is the body (maximum-sum subarray). Headings of what follows an article ("News Feed", "Most
popular", "Comments") are walls the run cannot cross; headings of boxes that also sit inside
articles ("Related", "Read more") only cost a lot to cross. The title is the headline-like
line just above the byline or the body.

Also home of the small cleaners the other readers share: :func:`clean_inline`,
:func:`clean_title`, :func:`clean_byline` and :func:`find_date`.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import date

from narrate.errors import InputError
from narrate.models import Article, Paragraph

logger = logging.getLogger(__name__)

MAX_TITLE_CHARS = 200
TEASER_WEIGHT = 0.5
BOX_COST = 20.0
STREAK_GROWTH = 0.25
PROSE_WORDS = 12  # a sentence this long that mentions "newsletter" may be about newsletters

_WORD = re.compile(r"\w+")
_SCRIPT = re.compile(r"<(script|style|noscript|template)\b.*?(?:</\1\s*>|$)", re.I | re.S)
_TAG = re.compile(r"<!--.*?-->|<!?/?[a-zA-Z][^<>]*>", re.S)
_SPACE = re.compile(r"\s+")
_CLOSERS = "\"'”’»)]*"
_TERMINAL = re.compile(
    rf"([.!?…。！？][{re.escape(_CLOSERS)}」』）]*|[\U0001f300-\U0001faff\u2600-\u27bf])\s*$"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_TRUNCATED = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH = (
    r"(?i:(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?)"
)
_DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), ("y", "m", "d")),
    (
        re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I),
        ("M", "d", "y"),
    ),
    (
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b", re.I),
        ("d", "M", "y"),
    ),
    (re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b"), ("y", "m", "d")),
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\b|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)", re.I)

# Phrases that mark a line as page furniture. Strong ones are rare in prose.
_STRONG_BOILERPLATE = re.compile(
    r"subscri(be|ption)|sign(ing)? up|newsletter|cookie|indicates required|required field"
    r"|all rights reserved|privacy (policy|notice)|terms (of|and) (use|service|conditions)"
    r"|copyright|©|skip to (main )?content|enter (your|correct) e-?mail|e-?mail address"
    r"|created with ai|listen to (this|the) (article|story)|min(ute)?s? read\b|javascript"
    r"|advertisement|advertising|ad choices|click here|download (the|our) app|sign in|log ?in\b"
    r"|follow us|share (this|on|via)|image credit|photo credit|getty images|shutterstock"
    r"|^(photo|image|photograph|picture|caption|above|top|source|credit|video|watch)\s*:",
    re.I,
)
_WEAK_BOILERPLATE = re.compile(
    r"\b(share|tweet|facebook|twitter|linkedin|whatsapp|reddit|pinterest|email|print|menu"
    r"|search|home|comments?|video|podcast|loading|close|open|toggle|next|previous|prev"
    r"|more|related|edit|post|reply|like|save|continue|back|top|login|register)\b",
    re.I,
)
# Headings of what follows an article: the run of body lines cannot cross them.
_SECTION_END = re.compile(
    r"(more( [\w.’'-]+){0,3}|news ?feed"
    r"|most (popular|read|viewed|shared|recent)|trending( now| stories| news)?"
    r"|editor'?s'? (picks?|choice)|recommended( \w+){0,2}|latest (news|stories|headlines)"
    r"|you (may|might) (also )?(like|enjoy|be interested in)|top stories|popular( now| stories)?"
    r"|(\w+ ){0,2}comments?( \(?\d+\)?)?|\d+ comments?|leave a (comment|reply)"
    r"|join the conversation|about the authors?|sponsored( content| stories)?"
    r"|from (our|the) partners?|up next|what to read next|share this( article| story| post)?"
    r"|more to explore|explore more|in other news|\S+( \S+){0,3} (says|said|wrote|commented)"
    r"|\d+ (responses|replies|thoughts) .*)",
    re.I,
)
# Headings of boxes that sites also drop in the middle of an article: costly to cross.
_SECTION_BOX = re.compile(
    r"(related( \w+){0,2}|read (more|next|this next|also)|further reading|also read|see also"
    r"|don'?t miss|keep reading)",
    re.I,
)
_CAPTION_CREDIT = re.compile(
    r"\((?:[^()]*(?:/|photo|getty|credit|courtesy|file|\bap\b|reuters|afp|epa|shutterstock)"
    r"[^()]*)\)\s*$|(photo|image|illustration|graphic)s?:?\s+(by|courtesy|credit)\b",
    re.I,
)
_BYLINE = re.compile(
    r"^\s*(?:(?:written|words|story|reporting|posted|[\d/.-]{6,10})\s+)?by[\s:]+(?=\W*[A-Z])", re.I
)
_BYLINE_END = re.compile(
    rf"\s*(?:[|•·—–@/]|\s-\s|(?i:\bupdated\b|\bpublished\b|\bposted\b)|\bon\s+{_MONTH}|\b{_MONTH}\s+\d"
    r"|\d{1,2}\s+(?:of\s+)?[A-Z][a-z]+\s+\d{4}|\d{4}-\d\d|\d{1,2}/\d{1,2}|\d{1,2}:\d\d|\d+ min"
    r"|\d+ (?:hours?|minutes?|days?) ago|\bfor\s+[A-Z]|\bphoto|\bin\s+[A-Z][a-z]+,)",
)
_ROLE = re.compile(
    r",?\s+(?i:(senior |chief |staff |contributing |associate )?(writer|reporter|editor"
    r"|correspondent|contributor|columnist)s?)$"
)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·•]\s+|\s+::\s+")


def clean_inline(text: str) -> str:
    """Plain text of a line: scripts and tags removed, entities decoded, whitespace collapsed."""
    text = _SCRIPT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _TAG.sub(" ", text)  # tags hidden behind entities (&lt;b&gt;) are still tags
    text = text.replace("\u200b", "").replace("\ufeff", "")
    text = _SPACE.sub(" ", text).strip()
    return re.sub(r"(\w) ([.,;:!?])(?=\s|$)", r"\1\2", text)


def clean_title(text: str) -> str:
    """A title as plain text, cut at a word boundary when it is longer than MAX_TITLE_CHARS."""
    text = clean_inline(text).strip(" -|:")
    if len(text) > MAX_TITLE_CHARS:
        text = text[:MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return text


def clean_byline(text: str | None) -> str | None:
    """The author name(s) of a byline: no leading "By", no date, time or reading time."""
    if not text:
        return None
    text = clean_inline(text)
    text = _BYLINE.sub("", text, count=1)
    match = _BYLINE_END.search(text)
    if match:
        text = text[: match.start()]
    text = re.sub(r"^(?:authors?|posted by|words)\s*:\s*", "", text, flags=re.I)
    text = re.sub(_ROLE, "", text)
    text = text.strip(" ,;:-|•·")
    if (
        not text
        or text.lower() == "by"
        or len(_WORD.findall(text)) > 12
        or not re.search(r"[^\W\d_]", text)
    ):
        return None
    return text


def find_date(text: str) -> date | None:
    """The first calendar date written in ``text`` (ISO, "Dec. 14, 2024", "14 December 2024")."""
    found: list[tuple[int, date]] = []
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            try:
                month = _MONTHS[parts["M"].lower().rstrip(".")] if "M" in parts else int(parts["m"])
                found.append((match.start(), date(int(parts["y"]), month, int(parts["d"]))))
            except (KeyError, ValueError):
                continue
    return min(found)[1] if found else None


def word_count(text: str) -> int:
    """Words, counting two CJK characters as one word."""
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(text)) + cjk // 2 if cjk else len(_WORD.findall(text))


def is_prose(line: str) -> bool:
    """Ends like a sentence (a full stop, question or exclamation mark, maybe a closing quote)."""
    return bool(_TERMINAL.search(line)) and not _TRUNCATED.search(line)


def _section(line: str) -> float:
    """0, or the cost of crossing a section heading (infinite after the article's end)."""
    plain = line.strip(" \t:>»›→·•|#*-_=[]()").replace("’", "'").lower()
    if len(plain) >= 60:
        return 0.0
    if _SECTION_END.fullmatch(plain):
        return float("inf")
    return BOX_COST if _SECTION_BOX.fullmatch(plain) else 0.0


def _is_marker(line: str) -> bool:
    return _section(line) > 0


def _is_boilerplate(line: str, words: int) -> bool:
    """Page furniture. A sentence of prose needs two furniture phrases to count (one may be
    its topic: "Advertising revenue fell by a third this year.")."""
    hits = sum(1 for _ in _STRONG_BOILERPLATE.finditer(line))
    if hits and (hits >= 2 or words < PROSE_WORDS or not is_prose(line)):
        return True
    if _CAPTION_CREDIT.search(line):
        return True
    return words <= 4 and bool(_WEAK_BOILERPLATE.search(line))


def _is_dateline(line: str) -> bool:
    """A line holding nothing but a date and/or a time (a ticker's timestamp, a dateline)."""
    rest = _TIME.sub(" ", line)
    for pattern, _ in _DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\b\d+ (seconds?|minutes?|hours?|days?|weeks?|months?) ago\b", " ", rest)
    rest = re.sub(
        rf"\b{_MONTH}\b|\b(updated|published|posted|on|at|edt|est|gmt|utc)\b", " ", rest, flags=re.I
    )
    return word_count(rest) == 0 and rest != line


def score_line(line: str) -> float:
    """Positive for prose, negative for furniture; -inf for a wall ("News Feed")."""
    if cost := _section(line):
        return -cost
    words = word_count(line)
    if _is_boilerplate(line, words) or _is_dateline(line):
        return -5.0 - min(words, 30)
    if is_prose(line):
        return float(words) if words >= 6 else 1.0
    if line.endswith(":") and words >= 6:
        return words / 2  # introduces a quote or a list
    if _TRUNCATED.search(line) or words >= 20:
        return -float(words) * TEASER_WEIGHT  # a teaser cut mid-sentence
    return -5.0 - words / 2


def line_scores(lines: list[str]) -> list[float]:
    """Each line's score; a streak of non-prose lines (a menu, a tag list) costs ever more."""
    scores: list[float] = []
    streak = 0
    for line in lines:
        score = score_line(line)
        streak = streak + 1 if score <= 1.0 else 0
        scores.append(score * (1 + STREAK_GROWTH * streak) if score < 0 else score)
    scores[0] = min(scores[0], -1.0)  # the first line of a text file is its title or the page's
    return scores


def _lines(text: str) -> list[str]:
    """Non-empty lines; hard-wrapped paragraphs (a clean .txt at ~72 columns) are rejoined."""
    raw = text.split("\n")
    longest = max((len(line) for line in raw), default=0)
    wrapped = longest <= 100 and sum(len(line) >= 60 for line in raw) >= 3
    lines: list[str] = []
    previous_blank = True
    for line in raw:
        line = clean_inline(line)
        if not line:
            previous_blank = True
            continue
        joins = wrapped and not previous_blank and lines and len(lines[-1]) >= 50
        if joins and not re.match(r"([-*•]|\d+[.)])\s", line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
        previous_blank = False
    return lines


def best_run(scores: list[float]) -> tuple[int, int]:
    """The [start, end) slice with the largest sum (Kadane); walls reset the run."""
    best, best_slice = float("-inf"), (0, 0)
    total, start = 0.0, 0
    for i, score in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += score
        if total > best:
            best, best_slice = total, (start, i + 1)
        if total == float("-inf"):
            total = 0.0
    return best_slice


@dataclass(frozen=True)
class _Head:
    title: str | None
    byline: str | None
    published: date | None
    publisher: str | None


def _headline_like(line: str) -> bool:
    words = word_count(line)
    return (
        2 <= words <= 30
        and len(line) <= 300
        and not line.endswith((".", ",", ";", ":"))
        and not _is_boilerplate(line, words)
        and not _is_dateline(line)
        and not _is_marker(line)
        and not _BYLINE.match(line)
        and not _CAPTION_CREDIT.search(line)
        and not find_date(line)
        and not _TIME.search(line)
        and not re.match(r"(?i)(last )?(updated|posted|published)\b", line)
        and sum(c.isalpha() for c in line) >= len(line) / 2
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘")
    )


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _head(lines: list[str], start: int) -> _Head:
    """Title, byline, date and publisher from the lines above the body (and its first line)."""
    window = range(max(0, start - 20), min(len(lines), start + 1))
    byline_at = next((i for i in reversed(window) if _BYLINE.match(lines[i])), None)
    byline = clean_byline(lines[byline_at]) if byline_at is not None else None
    if byline is None:
        byline_at = None
    anchor = byline_at if byline_at is not None else start

    page_title, publisher = lines[0], None
    parts = _TITLE_SEPARATORS.split(lines[0])
    if len(parts) > 1:
        page_title = max(parts, key=len)
        rest = [p for p in parts if p is not page_title]
        if rest and word_count(rest[-1]) <= 5:
            publisher = rest[-1].strip()
    key, whole = _normal(page_title), _normal(lines[0])
    title = None
    for i in range(start, max(0, start - 40), -1):  # the page's <title> repeated as the headline
        norm = _normal(lines[i])
        if word_count(lines[i]) >= 3 and (norm == key or (len(norm) > 15 and norm in whole)):
            title = lines[i]
            break
    for least_words in (5, 2):  # a headline rather than a section label ("Key Points")
        for i in range(anchor - 1, max(-1, anchor - 8), -1):
            if title is None and _headline_like(lines[i]) and word_count(lines[i]) >= least_words:
                title = lines[i]
    if title is None and word_count(page_title) >= 1 and not _is_marker(page_title):
        title = page_title
    publisher = publisher or _copyright_holder(lines)
    title_at = lines.index(title) if title in lines else anchor
    dated = (find_date(lines[i]) for i in range(min(title_at, anchor), start))
    published = next((found for found in dated if found), None)
    return _Head(title, byline, published, publisher)


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


def _keep(lines: list[str]) -> list[Paragraph]:
    """The run's lines minus furniture; short lines that lead into prose become headings.

    After a box heading ("Related", "Read more") its teaser lines are dropped up to the next
    paragraph of prose.
    """
    kept: list[Paragraph] = []
    in_box = False
    for i, line in enumerate(lines):
        words = word_count(line)
        if _is_marker(line):
            in_box = True
            continue
        if words == 0 or _is_boilerplate(line, words) or _is_dateline(line):
            continue
        if is_prose(line) or line.endswith(":") or words >= 20:
            in_box = in_box and words < 10
            if not in_box:
                kept.append(Paragraph(line))
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not in_box and words <= 15 and is_prose(following) and word_count(following) >= 6:
            kept.append(Paragraph(line, is_heading=True))
    return kept


def parse_text(text: str, source_name: str) -> Article:
    """An article from a plain-text file or a page copied out of a browser."""
    lines = _lines(text)
    if not lines:
        raise InputError(f"{source_name} is empty", "give a file that holds an article's text")
    scores = line_scores(lines)
    start, end = best_run(scores)
    body = _keep(lines[start:end]) if end > start and sum(scores[start:end]) > 0 else []
    if not body:
        raise InputError(
            f"no article body found in {source_name}",
            "the text needs paragraphs of full sentences; copy the article's text, not only "
            "its headline or the page's menus",
        )
    head = _head(lines, start)
    url = next(
        (m.group(0) for line in lines[:start] if (m := re.fullmatch(r"https?://\S+", line))), None
    )
    logger.debug("%s: body is lines %d-%d of %d", source_name, start, end, len(lines))
    title = clean_title(head.title or "") or source_name
    return Article(
        title=title,
        paragraphs=tuple(p for p in body if p.text != title),
        byline=head.byline,
        published=head.published,
        source_url=url,
        publisher=head.publisher,
        source_name=source_name,
    )
