"""Rules that tell an article's lines from the page around them, shared by every reader.

The small cleaners (:func:`clean_inline`, :func:`clean_title`, :func:`clean_byline`,
:func:`find_date`, :func:`find_moment`), what counts as prose, and the furniture patterns:
boilerplate phrases, captions and photo credits, pointers elsewhere ("Related: ..."), prompts to
follow on social networks, bylines, lines about the author, datelines and the headings of boxes
and sections that follow or interrupt an article. Each rule and phrase is a knob
(:mod:`narrate.intake.knobs`), so the benchmark can tell which pages it was shaped on.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone

from narrate.intake.knobs import Phrases, fires
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
_GLUED_SOURCE = re.compile(r"^(\([^()]{2,40}\))(?=[^\W\d_])")
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

_CLOCK = re.compile(
    r"\b(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?!\d|[:./]\d)(?:\s*(?P<half>(?i:[ap]))(?i:\.?m\.?))?"
    r"(?:\s+(?P<zone>[A-Z]{3,4})\b)?"
)
# Zones written as letters that mean one offset: "ET" or "IST" could be two, and are left out.
ZONE_HOURS = {
    "UTC": 0, "GMT": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "MSK": 3, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "EST": -5, "EDT": -4, "CST": -6,
    "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "HST": -10,
}  # fmt: skip
# Phrases that mark a line as page furniture. Strong ones are rare in prose.
STRONG_BOILERPLATE = Phrases(
    "furniture",
    (
        r"subscri(be|ption)",
        r"sign(ing)? up",
        "newsletter",
        "cookie",
        "indicates required",
        "required field",
        "all rights reserved",
        r"privacy (policy|notice)",
        r"terms (of|and) (use|service|conditions)",
        "copyright",
        "©",
        r"skip to (main )?content",
        r"enter (your|correct) e-?mail",
        r"e-?mail address",
        "created with ai",
        r"listen to (this|the) (article|story)",
        r"min(ute)?s? read\b",
        "javascript",
        "advertisement",
        "advertising",
        "ad choices",
        "click here",
        r"download (the|our) app",
        "sign in",
        r"log ?in\b",
        "follow us",
        r"share (it|this|on|via)",
        "image credit",
        "photo credit",
        "getty images",
        "shutterstock",
        r"^filed (under|in)\s*:",
        r"^(photo|image|photograph|picture|caption|above|top|source|credit|video|watch)\s*:",
    ),
)
WEAK_BOILERPLATE = re.compile(
    r"\b(share|tweet|facebook|twitter|linkedin|whatsapp|reddit|pinterest|email|print|menu"
    r"|search|home|comments?|video|podcast|loading|close|open|toggle|next|previous|prev"
    r"|more|related|edit|post|reply|like|save|continue|back|top|login|register)\b",
    re.I,
)
# Headings of what follows an article: the run of body lines cannot cross them.
_SECTION_END = Phrases(
    "section-end",
    (
        r"more( [\w.’'-]+){0,3}",
        r"news ?feed",
        r"most (popular|read|viewed|shared|recent)",
        r"trending( now| stories| news)?",
        r"editor'?s'? (picks?|choice)",
        r"recommended( \w+){0,2}",
        r"latest (news|stories|headlines)",
        r"you (may|might) (also )?(like|enjoy|be interested in)",
        "top stories",
        r"popular( now| stories)?",
        r"(\w+ ){0,2}comments?( \(?\d+\)?)?",
        r"\d+ comments?",
        r"leave a (comment|reply)",
        "join the conversation",
        r"about the authors?",
        r"sponsored( content| stories)?",
        r"from (our|the) partners?",
        "up next",
        "what to read next",
        r"share this( article| story| post)?",
        "more to explore",
        "explore more",
        "in other news",
        r"\S+( \S+){0,3} (says|said|wrote|commented)",
        r"\d+ (responses|replies|thoughts) .*",
    ),
)
# Headings of readers' comments: what follows them is not the article, however well written.
_COMMENTS = Phrases(
    "comments",
    (
        r"(\w+ ){0,2}comments?( \(?\d+\)?)?",
        r"\d+ comments?",
        r"leave a (comment|reply)",
        "join the conversation",
        r"\d+ (responses|replies|thoughts) .*",
        r"\S+( \S+){0,3} commented",
    ),
)
# Headings of boxes that sites also drop in the middle of an article: costly to cross.
_SECTION_BOX = Phrases(
    "section-box",
    (
        r"related( \w+){0,2}",
        r"read (more|next|this next|also)",
        "further reading",
        "also read",
        "see also",
        r"don'?t miss",
        "keep reading",
    ),
)
# A sentence that asks the reader to do something on the page (sign up, subscribe, follow).
PROMPT = re.compile(
    r"(?:^|[.!?:]\s+)\W*(?:subscribe|sign up|sign-up|unsubscribe|register now|join (?:our|the)"
    r" (?:\w+ )?(?:newsletter|mailing list)|follow us|get (?:our|the) (?:free )?(?:\w+ )?newsletter"
    r"|no spam\b)",
    re.I,
)
PROMPT_WORDS = 45
CAPTION_CREDIT = Phrases(
    "caption",
    (
        r"^(image|media|video|photo|picture)s? (caption|copyright|source|credit)s?\b",
        r"^file photo\s*:",
        r"\((image|photo|picture|credit|source)s?\s*:[^()]*\)\s*$",
        r"^[^\s,|/]+( [^\s,|/]+){0,3}\s*[,/|]\s*(ap|reuters|afp|epa|getty images|bloomberg"
        r"|shutterstock|associated press)\W*$",
        r"\((?:[^()]*(?:/|photo|getty|credit|courtesy|file|\bap\b|reuters|afp|epa|shutterstock)"
        r"[^()]*)\)\s*$",
        r"(photo|image|illustration|graphic)s?:?\s+(by|courtesy|credit)\b",
    ),
)
# A line that sends the reader elsewhere: "Read more: ...", "RELATED: ...", "See also ...".
POINTER = Phrases(
    "pointer",
    (
        rf"^\W*{phrase}\s*[:|»›>]"
        for phrase in (
            r"read (more|next|also|this next|the full story)",
            r"related( \w+){0,2}",
            "see also",
            "also read",
            r"more on this( story)?",
            "more coverage",
            "recommended",
            "watch",
            "listen",
            "click here",
            "tap here",
            "also",
            r"on \S+\.(com|org|net|co\.uk)",
            "see more",
        )
    ),
)
# Who else worked on the story, the way wire services credit it at its end.
STAFF_CREDIT = Phrases(
    "staff-credit",
    (
        r"^\W*(additional )?(reporting|writing|editing|research)( and \w+)? by\b",
        r"\bcontributed (reporting|to this (report|story|article))\b",
    ),
)
STAFF_CREDIT_WORDS = 60
SOCIAL = re.compile(
    r"\b(facebook|twitter|instagram|youtube|tiktok|snapchat|linkedin|whatsapp|pinterest|flipboard"
    r"|telegram|threads|mastodon|bluesky)\b",
    re.I,
)
SOCIAL_PROMPT_WORDS = 30  # a line this short that names two networks asks to be followed
_ABOUT_AUTHOR = re.compile(
    r"^(?:\w+\s+){0,3}?(?P<name>.+?)\s+(?:is|was|writes|covers|reports|has been|contributed)\b"
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
    text = _GLUED_SOURCE.sub(r"\1 ", text)  # "(CNN Business)Apple" -> "(CNN Business) Apple"
    return re.sub(r"(\w) ([.,;:!?])(?=\s|$)", r"\1\2", text)


def clean_title(text: str) -> str:
    """A title as plain text, cut at a word boundary when it is longer than MAX_TITLE_CHARS."""
    text = clean_inline(text).strip(" -|:")
    if len(text) > MAX_TITLE_CHARS:
        text = text[:MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    return text


def clean_byline(text: str | None, *, roles: bool = False) -> str | None:
    """The author name(s) of a byline: no leading "By", no date, time or reading time; no
    trailing role ("Staff writer") unless ``roles``."""
    if not text:
        return None
    text = clean_inline(text)
    text = BYLINE.sub("", text, count=1)
    match = _BYLINE_END.search(text)
    if match:
        text = text[: match.start()]
    text = re.sub(r"^(?:authors?|posted by|words)\s*:\s*", "", text, flags=re.I)
    if not roles:
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


def find_moment(text: str) -> datetime | None:
    """The date of ``text`` at the time of day written beside it ("10:02 AM EST Nov 19, 2019"),
    aware when a zone it names has one offset all year or says which half (EST, CEST, GMT)."""
    day = find_date(text)
    clock = _CLOCK.search(text)
    if day is None or clock is None:
        return None
    hour, minute = int(clock["hour"]), int(clock["minute"])
    if clock["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if clock["half"].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    offset = ZONE_HOURS.get(clock["zone"] or "")
    zone = timezone(timedelta(hours=offset)) if offset is not None else None
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


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
    if words <= PROMPT_WORDS and PROMPT.search(line) and fires("prompt"):
        return True
    hits = STRONG_BOILERPLATE.count(line)
    if hits and (hits >= 2 or words < PROSE_WORDS or not is_prose(line)):
        return True
    if CAPTION_CREDIT.search(line):
        return True
    if words <= STAFF_CREDIT_WORDS and STAFF_CREDIT.search(line):
        return True  # "Reporting by Ann Lee; editing by Bo Chen", "X contributed reporting."
    if words <= SOCIAL_PROMPT_WORDS and len(set(SOCIAL.findall(line.lower()))) >= 2:
        return fires("social-prompt")  # "Follow Newsbeat on Instagram, Facebook and YouTube."
    return words <= 4 and bool(WEAK_BOILERPLATE.search(line)) and fires("weak-furniture")


def names_only(text: str, names: frozenset[str]) -> bool:
    """The line is the authors' names ("Jane Roe", "Jane Roe and Bo Chen", "Jane Roe @jroe")
    and nothing else; ``names`` are lowercased words joined by spaces."""
    if not names:
        return False
    plain = " ".join(WORD.findall(re.sub(r"@\w+", " ", text).lower()))
    rest = plain
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, " ")
    return rest != plain and not re.sub(r"\b(and|by)\b", " ", rest).strip()


def about_author(text: str, names: frozenset[str]) -> bool:
    """A line about the author, not by them: "Meg James is a reporter for the Times."."""
    found = _ABOUT_AUTHOR.match(text)
    if not names or not found or word_count(text) > 60:
        return False
    said = " ".join(WORD.findall(found.group("name").lower()))
    return said in names and fires("author-bio")


def is_dateline(line: str) -> bool:
    """A line holding nothing but a date and/or a time (a ticker's timestamp, a dateline)."""
    rest = TIME.sub(" ", line)
    for pattern, _ in DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\b\d+ (seconds?|minutes?|hours?|days?|weeks?|months?) ago\b", " ", rest)
    rest = re.sub(
        rf"\b{MONTH}\b|\b(updated|published|posted|on|at|edt|est|gmt|utc)\b", " ", rest, flags=re.I
    )
    return word_count(rest) == 0 and rest != line and fires("dateline")


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
