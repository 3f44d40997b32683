"""Stage 2, normalization: written text -> what a presenter would say.

:func:`normalize` runs a list of small rules in order. Markup, quotes and brackets, dashes and
spacing are language-independent; the English rules (dates, times, money, units, numbers,
abbreviations, symbols, acronyms) run only for ``language="en"``. A lexicon (whole-word,
case-sensitive) is applied last. The output stays plain text with normal punctuation, because
the engine uses punctuation for intonation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from num2words import num2words

from narrate import numbers_en as en

Rule = Callable[[str], str]


def normalize(text: str, *, language: str = "en", lexicon: Mapping[str, str] | None = None) -> str:
    """Return the spoken form of ``text`` (one sentence or a few)."""
    lang = language.lower().split("-")[0].split("_")[0]
    for rule in rules_for(lang):
        text = rule(text)
    if lexicon:
        text = apply_lexicon(text, lexicon)
    return text


def rules_for(language: str) -> Sequence[Rule]:
    """The rules :func:`normalize` runs for ``language``, in order."""
    if language == "en":
        return ENGLISH_RULES
    return COMMON_RULES


# --- language-independent rules ----------------------------------------------------------

_TAG = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|</?[A-Za-z][^<>]*>", re.S | re.I)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*\)")


def strip_markup(text: str) -> str:
    """HTML tags and entities, markdown links and emphasis: never spoken."""
    text = _MD_LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _TAG.sub(" ", html.unescape(text)).replace("\u00a0", " ")
    text = re.sub(r"(?m)^\s{0,3}(?:#{1,6}|>)\s+", "", text)
    return re.sub(r"\*\*|__|~~|`+|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)", "", text)


def quotes_and_brackets(text: str) -> str:
    """Typographic apostrophes become ', quotes go, brackets become comma pauses."""
    text = re.sub(r"(?<=\w)[’ʼ](?=\w)", "'", text)
    text = re.sub(r"[’‘](?=\d0s\b)", "'", text)
    text = re.sub(r"[\"“”„«»‹›‘’]", "", text)
    text = re.sub(r"(?<![\w'])'(?=[A-Za-z])|(?<=[^\Ws])'(?!\w)", "", text)
    text = re.sub(r"\[\d+\]|\[citation needed\]", "", text)
    return re.sub(r"\s*[(\[{]\s*|\s*[)\]}]", ", ", text)


def dashes(text: str) -> str:
    """Em and en dashes used as punctuation (and spaced hyphens) become a comma pause."""
    text = re.sub(r"\s*(?:—|--)\s*|\s+[–-]\s+", ", ", text)
    return text.replace("…", "...")


def tidy(text: str) -> str:
    """Collapse spaces and the punctuation the other rules left doubled."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"[,;:]+\s*([.!?])", r"\1", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    text = re.sub(r"([,;:])(?=\w)", r"\1 ", text)
    return re.sub(r"^[\s,;:.]+|[\s,;:]+$", "", text)


@lru_cache(maxsize=32)
def _lexicon_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


def apply_lexicon(text: str, lexicon: Mapping[str, str]) -> str:
    """Whole-word, case-sensitive replacements; keys may contain spaces; longest key wins."""
    keys = tuple(k for k in lexicon if k.strip())
    if not keys:
        return text
    return _lexicon_pattern(keys).sub(lambda m: lexicon[m.group(0)], text)


COMMON_RULES: tuple[Rule, ...] = (strip_markup, quotes_and_brackets, dashes, tidy)

# --- English ------------------------------------------------------------------------------

_TLD = r"(?:com|org|net|gov|edu|int|io|co|uk|ua|eu|us|ca|de|fr|ru|info|news|tv|ly)"
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = re.compile(
    rf"\b(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]|\b[A-Za-z][\w-]*(?:\.[\w-]+)*\.{_TLD}\b"
    r"(?:/[^\s<>\"]*[^\s<>\".,;:!?)\]])?"
)


def _say_host(host: str) -> str:
    labels = [re.sub(r"(?<=[a-z])(?=[A-Z])", " ", label) for label in host.split(".") if label]
    return " dot ".join(labels)


def _say_url(m: re.Match[str]) -> str:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0), flags=re.I)
    return _say_host(re.split(r"[/?#:]", host)[0])


def urls_and_emails(text: str) -> str:
    """An address is said as its site ("kyivindependent dot com"); paths are dropped."""
    text = _EMAIL.sub(
        lambda m: " at ".join(_say_host(p) for p in m.group(0).split("@", 1)),
        text,
    )
    return _URL.sub(_say_url, text)


# Titles before a name ("Gov. Hochul"): expanded only when a capitalized word follows.
_TITLES = {
    "Mr": "Mister",
    "Mrs": "Missus",
    "Ms": "Miz",
    "Dr": "Doctor",
    "Prof": "Professor",
    "Gov": "Governor",
    "Sen": "Senator",
    "Rep": "Representative",
    "Gen": "General",
    "Lt": "Lieutenant",
    "Col": "Colonel",
    "Sgt": "Sergeant",
    "Capt": "Captain",
    "Cpl": "Corporal",
    "Pvt": "Private",
    "Maj": "Major",
    "Adm": "Admiral",
    "Cmdr": "Commander",
    "Rev": "Reverend",
    "Hon": "Honorable",
    "Pres": "President",
    "Supt": "Superintendent",
    "Det": "Detective",
    "Insp": "Inspector",
    "Fr": "Father",
    "St": "Saint",
    "Mt": "Mount",
    "Ft": "Fort",
}
_TITLE = re.compile(rf"\b(?P<t>{'|'.join(_TITLES)})(?:\.|(?<=[MD][rs])|(?<=Mrs))\s+(?=[A-Z])")
# Abbreviations expanded wherever they stand (the pattern includes its dot).
_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"\be\.\s?g\.(?:,)?", "for example,"),
    (r"\bi\.\s?e\.(?:,)?", "that is,"),
    (r"\ba\.k\.a\.", "also known as"),
    (r"\betc\.", "et cetera."),
    (r"\bvs?\.(?=\s)|\bvs\b", "versus"),
    (r"\bapprox\.", "approximately"),
    (r"\b[Nn]o\.(?=\s?\d)|#(?=\d)", "number "),
    (r"\bNos\.(?=\s?\d)", "numbers"),
    (r"\bpp\.(?=\s?\d)", "pages"),
    (r"\bp\.(?=\s?\d)", "page"),
    (r"\bFig\.", "figure"),
    (r"\b[Vv]ol\.|\b[Vv]ol\b(?=\s?\d)", "volume"),
    (r"\b[Jj]r\b\.?", "Junior"),
    (r"\b[Ss]r\b\.?", "Senior"),
    (r"\b(?P<name>[A-Z][a-z]*) St\.|(?<=[a-z0-9] )St\.(?!\s+[A-Z])", r"\g<name> Street"),
    (r"\bAve\.", "Avenue"),
    (r"\bBlvd\.", "Boulevard"),
    (r"\bCorp\.", "Corporation"),
    (r"\bInc\.", "Incorporated"),
    (r"\b[Ll]td\b\.?", "Limited"),
    (r"\bCo\.", "Company"),
    (r"\b[Dd]ept\b\.?", "Department"),
    (r"\bUniv\.", "University"),
    (r"\bca\.(?=\s?\d)", "circa"),
    (r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.", "<month>"),
)
_ABBREVIATION = [(re.compile(pattern), spoken) for pattern, spoken in _ABBREVIATIONS]
_INITIALISM = re.compile(r"\b(?:[A-Za-z]\.){2,}|\b[A-Z]\.[A-Z]\b")


def abbreviations(text: str) -> str:
    """Mr. -> "Mister", e.g. -> "for example", No. 1 -> "number 1", U.S. -> "U S"."""

    def expand(spoken: str) -> Callable[[re.Match[str]], str]:
        def replace(m: re.Match[str]) -> str:
            word = m.expand(spoken).strip() if "\\g<" in spoken else spoken
            if word == "<month>":
                word = en.MONTHS[en.MONTH_NUMBERS[m.group(0)[:-1].lower()] - 1]
            if word.endswith(".") or not m.group(0).endswith("."):
                return word
            return en.keep_final_period(m, word)

        return replace

    for pattern, spoken in _ABBREVIATION:
        text = pattern.sub(expand(spoken), text)
    text = _TITLE.sub(lambda m: _TITLES[m.group("t")] + " ", text)
    return _INITIALISM.sub(
        lambda m: en.keep_final_period(m, " ".join(re.findall(r"[A-Za-z]", m.group(0)))), text
    )


def symbols(text: str) -> str:
    """& -> "and", + -> "plus", leftover % and °; hashtags, slashes and stray marks go."""
    text = re.sub(r"\s*&\s*", " and ", text)
    text = re.sub(r"\s*\+\s*", " plus ", text)
    text = re.sub(r"\s*%", " percent", text)
    text = re.sub(r"\s*°", " degrees", text)
    text = re.sub(r"(?<!\w)[#@](?=\w)", "", text)
    text = re.sub(r"(?<=\w)/(?=\w)", " ", text)
    return re.sub(r"[*_|~^\\<>=/#]", " ", text)


_ROMAN = re.compile(r"\b(?P<before>[A-Z]\w*) (?P<numeral>[IVX]+)\b(?!')")
_VALID_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
# After these a numeral is a number ("World War two"); after other names a regnal ordinal.
_ROMAN_CARDINAL_AFTER = frozenset(
    en.words("War Part Phase Stage Type Class Chapter Act Title Volume Book Apollo Bowl Vatican")
)


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def roman_numerals(text: str) -> str:
    """World War II -> "World War two"; Charles III -> "Charles the third"."""

    def say(m: re.Match[str]) -> str:
        numeral, before = m.group("numeral"), m.group("before")
        if not _VALID_ROMAN.fullmatch(numeral):
            return m.group(0)
        if numeral == "I" and before not in _ROMAN_CARDINAL_AFTER:
            return m.group(0)  # the pronoun: "Then I left"
        value = _roman_value(numeral)
        if before in _ROMAN_CARDINAL_AFTER:
            return f"{before} {en.cardinal(value)}"
        return f"{before} the {en.ordinal(value)}"

    return _ROMAN.sub(say, text)


# Acronyms said as words; every other all-capital word of up to four letters (or without
# vowels) is spelled letter by letter ("FBI" -> "F B I").
_WORD_ACRONYMS = frozenset(
    en.words(
        "NATO NASA OPEC UNESCO UNICEF FIFA UEFA ISIS COVID AIDS SWAT LASER RADAR IKEA ASEAN "
        "HAMAS SCOTUS POTUS HIMARS ATACMS OK FEMA OSHA NAFTA SWIFT CERN DARPA NASCAR AUKUS "
        "BRICS MERS SARS UNRWA AIPAC NASDAQ TASS ISIL NEOM FIDE"
    )
)
_SPELLED_ACRONYMS = frozenset(en.words("NAACP USAID UNHCR"))
_ACRONYM = re.compile(r"\b(?P<letters>[A-Z]{2,6})(?P<plural>s|'s)?\b")


def acronyms(text: str) -> str:
    """FBI -> "F B I"; PM (not after a time) -> "prime minister"; NATO stays a word."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return text  # a heading in capitals, not acronyms

    def say(m: re.Match[str]) -> str:
        word, plural = m.group("letters"), m.group("plural") or ""
        if word == "PM":
            return "prime minister" + ("s" if plural else "")
        spell = word in _SPELLED_ACRONYMS or len(word) <= 4 or not re.search("[AEIOUY]", word)
        if word in _WORD_ACRONYMS or not spell:
            return m.group(0)
        return " ".join(word) + ("'s" if plural else "")

    return _ACRONYM.sub(say, text)


_FRACTION = re.compile(r"(?<![\w/.])(\d{1,2})/(\d{1,2})(?![\w/])")
# After quotes_and_brackets: "(212) 555-1234" arrives as ", 212, 555-1234".
_PHONE = re.compile(r"(?<![\w-])(?:\d{3},?\s+|\d{3}-)?\d{3}-\d{4}(?![\w-])")
_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def fractions(text: str) -> str:
    """1/2 -> "one half", 3/4 -> "three quarters", 2/3 -> "two thirds", 24/7 as said."""

    def say(m: re.Match[str]) -> str:
        a, b = int(m.group(1)), int(m.group(2))
        if (a, b) == (24, 7):
            return "twenty-four seven"
        if not 0 < a < b <= 10:
            return m.group(0)
        if b == 2:
            word = "half" if a == 1 else "halves"
        elif b == 4:
            word = "quarter" if a == 1 else "quarters"
        else:
            word = str(num2words(b, to="ordinal")) + ("" if a == 1 else "s")
        return f"{num2words(a)} {word}"

    return _FRACTION.sub(say, text)


def phone_numbers(text: str) -> str:
    """555-1234 and (212) 555-1234 are read digit by digit, in their groups."""

    def say(m: re.Match[str]) -> str:
        groups = re.findall(r"\d+", m.group(0))
        return ", ".join(" ".join(_DIGITS[int(d)] for d in group) for group in groups)

    return _PHONE.sub(say, text)


ENGLISH_RULES: tuple[Rule, ...] = (
    strip_markup,
    urls_and_emails,
    quotes_and_brackets,
    en.dates,
    en.times,
    en.money,
    phone_numbers,
    fractions,
    en.percent_and_units,
    abbreviations,
    roman_numerals,
    en.decades,
    en.ranges,
    en.years,
    en.ordinals,
    en.cardinals,
    symbols,
    dashes,
    acronyms,
    tidy,
)
