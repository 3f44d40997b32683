"""Rules that tell an article's lines from the page around them, shared by every reader.

The small cleaners (:func:`clean_inline`, :func:`clean_title`, :func:`clean_byline`,
:func:`find_date`), what counts as prose, and the furniture patterns: boilerplate phrases,
captions and photo credits, bylines, datelines and the headings of boxes and sections that
follow or interrupt an article.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime

from narrate.months import MONTH_NAMES, month_number

MAX_TITLE_CHARS = 200
BOX_COST = 10.0
PROSE_WORDS = 12  # a sentence this long that mentions "newsletter" may be about newsletters

WORD = re.compile(r"\w+")
_SCRIPT = re.compile(r"<(script|style|noscript|template)\b.*?(?:</\1\s*>|$)", re.I | re.S)
_TAG = re.compile(r"<!--.*?-->|<!?/?[a-zA-Z][^<>]*>", re.S)
_SPACE = re.compile(r"\s+")
# Control characters that are not spacing (a terminal's bell or escape in pasted text): a speech
# engine may spell them out, and XML cannot hold them. (\x1c-\x1f and \x85 are spaces to \s.)
# Also the bidirectional embeddings, overrides and isolates: they can make a title or a line of
# a page read in another order than its characters ("Trojan Source"); without them, Arabic and
# Hebrew text still shows right to left. The marks (U+200E, U+200F) are kept.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
_CLOSERS = "\"'”’»)]*"
_TERMINAL = re.compile(
    rf"([.!?…。！？][{re.escape(_CLOSERS)}」』）]*|[\U0001f300-\U0001faff\u2600-\u27bf])\s*$"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
TRUNCATED = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")

MONTH = rf"(?i:({MONTH_NAMES})\.?)"
DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), ("y", "m", "d")),
    (
        re.compile(rf"\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I),
        ("M", "d", "y"),
    ),
    (
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+(\d{{4}})\b", re.I),
        ("d", "M", "y"),
    ),
    (re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b"), ("y", "m", "d")),
)
TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\b|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)", re.I)

# Phrases that mark a line as page furniture. Strong ones are rare in prose.
STRONG_BOILERPLATE = re.compile(
    r"subscri(be|ption)|sign(ing)? up|newsletter|cookie|indicates required|required field"
    r"|all rights reserved|privacy (policy|notice)|terms (of|and) (use|service|conditions)"
    r"|copyright|©|skip to (main )?content|enter (your|correct) e-?mail|e-?mail address"
    r"|created with ai|listen to (this|the) (article|story)|min(ute)?s? read\b|javascript"
    r"|advertisement|advertising|ad choices|click here|download (the|our) app|sign in|log ?in\b"
    r"|follow us|share (this|on|via)|image credit|photo credit|getty images|shutterstock"
    r"|^(photo|image|photograph|picture|caption|above|top|source|credit|video|watch)\s*:",
    re.I,
)
WEAK_BOILERPLATE = re.compile(
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
# Headings of readers' comments: what follows them is not the article, however well written.
_COMMENTS = re.compile(
    r"((\w+ ){0,2}comments?( \(?\d+\)?)?|\d+ comments?|leave a (comment|reply)"
    r"|join the conversation|\d+ (responses|replies|thoughts) .*|\S+( \S+){0,3} commented)",
    re.I,
)
# Headings of boxes that sites also drop in the middle of an article: costly to cross.
_SECTION_BOX = re.compile(
    r"(related( \w+){0,2}|read (more|next|this next|also)|further reading|also read|see also"
    r"|don'?t miss|keep reading)",
    re.I,
)
# A sentence that asks the reader to do something on the page (sign up, subscribe, follow).
PROMPT = re.compile(
    r"(?:^|[.!?:]\s+)\W*(?:subscribe|sign up|sign-up|unsubscribe|register now|join (?:our|the)"
    r" (?:\w+ )?(?:newsletter|mailing list)|follow us|get (?:our|the) (?:free )?(?:\w+ )?newsletter"
    r"|no spam\b)",
    re.I,
)
PROMPT_WORDS = 45
CAPTION_CREDIT = re.compile(
    r"\((?:[^()]*(?:/|photo|getty|credit|courtesy|file|\bap\b|reuters|afp|epa|shutterstock)"
    r"[^()]*)\)\s*$|(photo|image|illustration|graphic)s?:?\s+(by|courtesy|credit)\b",
    re.I,
)
BYLINE = re.compile(
    r"^\s*(?:(?:written|words|story|reporting|posted|[\d/.-]{6,10})\s+)?by[\s:]+(?=\W*[A-Z])", re.I
)
_BYLINE_END = re.compile(
    rf"\s*(?:[|•·—–@/]|\s-\s|(?i:\bupdated\b|\bpublished\b|\bposted\b)|\bon\s+{MONTH}|\b{MONTH}\s+\d"
    r"|\d{1,2}\s+(?:of\s+)?[A-Z][a-z]+\s+\d{4}|\d{4}-\d\d|\d{1,2}/\d{1,2}|\d{1,2}:\d\d|\d+ min"
    r"|\d+ (?:hours?|minutes?|days?) ago|\bfor\s+[A-Z]|\bphoto|\bin\s+[A-Z][a-z]+,)",
)
_ROLE = re.compile(
    r",?\s+(?i:(senior |chief |staff |contributing |associate )?(writer|reporter|editor"
    r"|correspondent|contributor|columnist)s?)$"
)
TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:»·•]\s+|\s+::\s+")


def clean_inline(text: str) -> str:
    """Plain text of a line: scripts and tags removed, entities decoded, whitespace collapsed."""
    text = _SCRIPT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _TAG.sub(" ", text)  # tags hidden behind entities (&lt;b&gt;) are still tags
    text = _CONTROL.sub("", text.replace("\u200b", "").replace("\ufeff", ""))
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
    text = BYLINE.sub("", text, count=1)
    match = _BYLINE_END.search(text)
    if match:
        text = text[: match.start()]
    text = re.sub(r"^(?:authors?|posted by|words)\s*:\s*", "", text, flags=re.I)
    text = re.sub(_ROLE, "", text)
    text = text.strip(" ,;:-|•·")
    if (
        not text
        or text.lower() == "by"
        or len(WORD.findall(text)) > 12
        or not re.search(r"[^\W\d_]", text)
    ):
        return None
    return text


def find_date(text: str) -> date | None:
    """The first calendar date written in ``text`` (ISO, "Dec. 14, 2024", "14 December 2024")."""
    found: list[tuple[int, date]] = []
    for pattern, order in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            try:
                month = month_number(parts["M"]) if "M" in parts else int(parts["m"])
                if month is None:
                    continue
                found.append((match.start(), date(int(parts["y"]), month, int(parts["d"]))))
            except (KeyError, ValueError):
                continue
    return min(found)[1] if found else None


def word_count(text: str) -> int:
    """Words, counting two CJK characters as one word."""
    cjk = len(_CJK.findall(text))
    return len(WORD.findall(text)) + cjk // 2 if cjk else len(WORD.findall(text))


def is_prose(line: str) -> bool:
    """Ends like a sentence (a full stop, question or exclamation mark, maybe a closing quote)."""
    return bool(_TERMINAL.search(line)) and not TRUNCATED.search(line)


def section_cost(line: str) -> float:
    """0, or the cost of crossing a section heading (infinite after the article's end)."""
    plain = line.strip(" \t:>»›→·•|#*-_=[]()").replace("’", "'").lower()
    if len(plain) >= 60:
        return 0.0
    if _SECTION_END.fullmatch(plain):
        return float("inf")
    return BOX_COST if _SECTION_BOX.fullmatch(plain) else 0.0


def is_comments_heading(line: str) -> bool:
    """ "Comments", "[ 167 comments ]", "Leave a reply": readers' comments follow."""
    plain = line.strip(" \t:>»›→·•|#*-_=[]()").replace("’", "'").lower()
    return len(plain) < 60 and bool(_COMMENTS.fullmatch(plain))


def is_marker(line: str) -> bool:
    return section_cost(line) > 0


def is_boilerplate(line: str, words: int) -> bool:
    """Page furniture. A sentence of prose needs two furniture phrases to count (one may be
    its topic: "Advertising revenue fell by a third this year."), or a sentence that asks the
    reader to sign up ("Subscribe to the Ledger for more.")."""
    if words <= PROMPT_WORDS and PROMPT.search(line):
        return True
    hits = sum(1 for _ in STRONG_BOILERPLATE.finditer(line))
    if hits and (hits >= 2 or words < PROSE_WORDS or not is_prose(line)):
        return True
    if CAPTION_CREDIT.search(line):
        return True
    return words <= 4 and bool(WEAK_BOILERPLATE.search(line))


def is_dateline(line: str) -> bool:
    """A line holding nothing but a date and/or a time (a ticker's timestamp, a dateline)."""
    rest = TIME.sub(" ", line)
    for pattern, _ in DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\b\d+ (seconds?|minutes?|hours?|days?|weeks?|months?) ago\b", " ", rest)
    rest = re.sub(
        rf"\b{MONTH}\b|\b(updated|published|posted|on|at|edt|est|gmt|utc)\b", " ", rest, flags=re.I
    )
    return word_count(rest) == 0 and rest != line


def join_authors(raw: str) -> str | None:
    """ "Ann Lee; Bo Chen; Cy Diaz" -> "Ann Lee, Bo Chen and Cy Diaz" (each without "By")."""
    names = [n for n in (clean_byline(part) for part in raw.split(";")) if n]
    if len(names) > 2:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return " and ".join(names) or None


# "2026-03-03T09:20", "2026-03-03 09:20:00+02:00", "...Z": a time of day, maybe with a zone.
_ISO_MOMENT = re.compile(
    r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d:?\d\d)?"
)


def parse_moment(text: str, *, date_alone: bool = False) -> datetime | None:
    """The ISO 8601 moment ``text`` is, timezone-aware: its own zone, or the machine's local
    time when it names none (``2026-03-05 06:00`` is six in the morning here). A date alone is
    None unless ``date_alone`` (then midnight, local), so that a front matter ``date:`` without
    a time keeps meaning a day."""
    text = text.strip()
    if not _ISO_MOMENT.fullmatch(text) or (len(text) == 10 and not date_alone):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else moment.astimezone()
