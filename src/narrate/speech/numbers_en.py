"""English number words for :mod:`narrate.speech.normalize`, built on num2words.

American news style: no "and" inside numbers ("one hundred five"), years in pairs
("nineteen ninety-nine", "twenty twenty-four", but "two thousand five").
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

from narrate.speech.trace import word_set

# Beyond this, digits are read one by one (account numbers, not quantities).
_MAX_CARDINAL = 10**15


def words(text: str) -> tuple[str, ...]:
    """A table written as one string of space-separated words."""
    return tuple(text.split())


_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _no_and(words: str) -> str:
    return words.replace(" and ", " ").replace(",", "")


@lru_cache(maxsize=4096)
def cardinal(n: int) -> str:
    """12345 -> "twelve thousand three hundred forty-five"."""
    if abs(n) >= _MAX_CARDINAL:
        sign = "minus " if n < 0 else ""
        return sign + digits(str(abs(n)))
    return _no_and(num2words(n, lang="en"))


@lru_cache(maxsize=1024)
def ordinal(n: int) -> str:
    """22 -> "twenty-second"."""
    return _no_and(num2words(n, lang="en", to="ordinal"))


@lru_cache(maxsize=1024)
def year(n: int) -> str:
    """1999 -> "nineteen ninety-nine", 2005 -> "two thousand five", 2024 -> "twenty twenty-four"."""
    if not 1000 <= n <= 2099 or 2000 <= n <= 2009:
        return cardinal(n)
    return _no_and(num2words(n, lang="en", to="year")).replace("oh-", "oh ")


def decade(n: int) -> str:
    """1990 -> "nineteen nineties", 80 -> "eighties", 2000 -> "two thousands"."""
    words = year(n) if n >= 1000 else cardinal(n)
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + "s"


def digits(text: str) -> str:
    """ "004" -> "zero zero four"."""
    return " ".join(_DIGITS[int(c)] for c in text if c.isdigit())


def number(text: str) -> str:
    """A written number ("10,000", "-3.5", ".5", "007") -> words."""
    text = text.replace(",", "").replace("\u2212", "-")
    sign = ""
    if text.startswith(("-", "+")):
        sign = "minus " if text[0] == "-" else "plus "
        text = text[1:]
    whole, _, fraction = text.partition(".")
    if len(whole) > 1 and whole.startswith("0"):
        spoken = digits(whole)
    elif whole:
        spoken = cardinal(int(whole))
    else:
        spoken = ""
    if fraction:
        spoken = f"{spoken} point {digits(fraction)}".strip()
    return sign + spoken


def number_value(text: str) -> float:
    return float(text.replace(",", "").replace("\u2212", "-"))


def keep_final_period(m: re.Match[str], spoken: str) -> str:
    """A replaced abbreviation's dot that also ended the text still ends the sentence."""
    rest = m.string[m.end() : m.end() + 6]  # a bounded look: linear time on any text
    if m.group(0).endswith(".") and len(rest) < 6 and not rest.strip(" \"')”’"):
        return spoken + "."
    return spoken


# --- rules (each str -> str), run in this order by narrate.speech.normalize -----------------------

NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+"  # 10,000  3.5  .5  7


# A decade: '80s, 1980s, 1980's, or a bare 80s where no word is glued to it ("Su-30s" are jets),
# and maybe a second one after a dash ("1960s-80s"). "mid-80s" is said "mid eighties". A bare
# "80's" stays: "eighty's" sounds the same and may be a possessive.
_A_DECADE = r"(?:'(?P<{0}short>\d0)|(?P<{0}long>1\d\d0|20\d0)'?|(?P<{0}bare>[1-9]0))s"
_DECADE = re.compile(
    r"(?=[-'1-9])(?:(?<![\w.,'$£€¥#-])"
    r"|(?P<prefix>(?i:(?<=\bmid|\bpre)-|(?<=\blate|\bpost)-|(?<=\bearly)-)))"
    rf"{_A_DECADE.format('a')}(?:\s?[-–]\s?{_A_DECADE.format('b')})?\b"
)
_YEAR_LIKE = re.compile(r"1\d{3}|20\d{2}")
_RANGE = re.compile(
    r"(?<![\w.,\-–−])(?P<a>\d{1,4}(?:\.\d+)?)\s?[-–]\s?(?P<b>\d{1,4}(?:\.\d+)?)(?![\w\-–]|[.,]\d)"
)
_STANDALONE_YEAR = re.compile(r"(?<![\w.,\-–])(?P<year>1\d{3}|20\d{2})(?![\w%°]|[.,]\d)")
_ORDINAL = re.compile(r"(?<![\w.])(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b")
_CARDINAL = re.compile(
    r"(?<![\d.,])(?P<sign>[-−+](?=\.?\d))?(?P<num>(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+)"
)


def decades(text: str) -> str:
    """1990s -> "nineteen nineties"; '80s and 80s -> "eighties"; 1960s-80s -> "... to eighties"."""

    def said(m: re.Match[str], side: str) -> str:
        written = m.group(f"{side}short") or m.group(f"{side}long") or m.group(f"{side}bare")
        return decade(int(written)) if written else ""

    def say(m: re.Match[str]) -> str:
        first, second = said(m, "a"), said(m, "b")
        spoken = f"{first} to {second}" if second else first
        return " " + spoken if m.group("prefix") else spoken

    return _DECADE.sub(say, text)


def ranges(text: str) -> str:
    """2010-2014 -> "twenty ten to twenty fourteen"; 2010-14 likewise; 5-10 -> "five to ten"."""

    def say(m: re.Match[str]) -> str:
        a, b = m.group("a"), m.group("b")
        if _YEAR_LIKE.fullmatch(a) and len(b) == 2 and int(b) > int(a[2:]):
            b = a[:2] + b
        if _YEAR_LIKE.fullmatch(a) and _YEAR_LIKE.fullmatch(b):
            return f"{year(int(a))} to {year(int(b))}"
        return f"{number(a)} to {number(b)}"

    return _RANGE.sub(say, text)


# A bare 1000-2099 is a year ("in 1999", "the 2024 election") unless it counts something: after
# a word of quantity ("more than 1500"), before a noun that is counted ("1500 soldiers"), or
# before any plural noun where nothing says "year" ("some 1990 protesters", not "in 1990").
_QUANTITY_BEFORE = word_set(
    "quantity_before", "over than least only just another extra additional total some about"
)
_COUNTED_AFTER = word_set(
    "counted_after",
    "people persons soldiers troops residents workers employees jobs homes houses buildings "
    "students children families patients cases deaths victims votes voters members copies units "
    "vehicles cars tanks drones missiles rockets acres hectares miles feet meters metres "
    "kilometers kilometres tons tonnes pounds dollars euros words pages times other more new "
    "men women",
)
# Words after which a number is a year (English function words and seasons: a closed class).
_YEAR_BEFORE = frozenset(
    words(
        "in since by from until till of the during before after early late mid spring summer "
        "autumn fall winter year season circa c ca to and or through between 's"
    )
)
_WORD_BEFORE = re.compile(r"(?i)(?:\b([a-z]+)|(')s)\.?\s$")
_WORD_AFTER = re.compile(r"\s([a-z]+)\b(?:\s(them|those|the|these|whom)\b)?")
# Nouns for people, by their endings: "protesters", "demonstrators", "participants", "activists",
# "civilians", "refugees" (a count: "1990 protesters"), not "productions" or "elections".
_PEOPLE = re.compile(r"[a-z]{2,}(?:ers|ors|ants|ents|ists|ians|ees|ives|ers')")
_PLURAL = re.compile(r"[a-z]{2,}[^sui]s")  # "protesters", not "census", "crisis", "class"


def years(text: str) -> str:
    """A four-digit number from 1000 to 2099 without a thousands comma: a year, unless it counts.

    News style writes counts of a thousand or more with a comma ("1,500 soldiers"); a bare one
    that counts is recognized by its neighbours ("over 1500", "1500 soldiers", "1990 protesters"
    but "in 1990 protesters marched").
    """

    def say(m: re.Match[str]) -> str:
        before = m.string[max(0, m.start() - 15) : m.start()]
        after = m.string[m.end() : m.end() + 22]
        word_after = _WORD_AFTER.match(after)
        word_before = _WORD_BEFORE.search(before)
        said_before = (word_before.group(1) or "'s").lower() if word_before else ""
        noun = word_after.group(1) if word_after else ""
        is_count = (
            noun in _COUNTED_AFTER
            or (noun == "of" and word_after and word_after.group(2))
            or (said_before in _QUANTITY_BEFORE and not re.match(r"\s?(?:[,.;:!?]|$)", after))
            or (bool(_PEOPLE.fullmatch(noun)) and said_before not in _YEAR_BEFORE)
        )
        n = int(m.group("year"))
        return cardinal(n) if is_count else year(n)

    return _STANDALONE_YEAR.sub(say, text)


# A scale glued to a number: "2bn", "3.5tn", "10k"; "m" and "b" only before a plural noun (a
# count: "1.5m people"), else "m" is meters ("a 5m wall", "the 100m hurdles").
_SCALE_SUFFIX = re.compile(
    rf"(?<![\w.,$£€¥₹])(?P<n>{NUM})(?P<s>bn|tn|mn|[kmb])\b(?![.,]\d)(?P<after>\s[a-z]+\b)?"
)
_SCALE_WORDS = {"bn": "billion", "tn": "trillion", "mn": "million", "k": "thousand"}
_COUNTED_UNITS = frozenset(words("bpd bbl tonnes tons barrels"))  # "2m bpd": million barrels
_NOT_A_THOUSAND = frozenset(words("run race runs races runner runners"))  # "a 5k run": "five K"


def scale_suffixes(text: str) -> str:
    """1.5m people -> "one point five million people"; 2bn -> "two billion"; 10k -> "ten
    thousand" (but "a 5k run" -> "a five K run")."""

    def say(m: re.Match[str]) -> str:
        # The number stays in digits: the unit rules read "2 million bpd" after this.
        suffix, after, written = m.group("s"), m.group("after") or "", m.group("n")
        noun = after.strip()
        if suffix == "k" and noun in _NOT_A_THOUSAND:
            return f"{written} K{after}"
        if suffix in _SCALE_WORDS:
            return f"{written} {_SCALE_WORDS[suffix]}{after}"
        before = m.string[max(0, m.start() - 4) : m.start()].lower()
        counted = _PLURAL.fullmatch(noun) or noun in _COUNTED_AFTER or noun in _COUNTED_UNITS
        if counted and not before.endswith("the "):
            return f"{written} {'million' if suffix == 'm' else 'billion'}{after}"
        return m.group(0)

    return _SCALE_SUFFIX.sub(say, text)


# Thousands separated by spaces: thin and no-break spaces always ("10\u202f000"); plain spaces
# when there are two groups ("1 000 000") or the group is 000 ("10 000"), because "roughly 400 737
# Max jets" is two numbers.
_SPACED_THOUSANDS = re.compile(
    r"(?<![\d,.])\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d,])"
    r"|(?<![\d,.] )(?<![\d,.])\d{1,3}(?:(?: \d{3}){2,}| 000)(?![\d,])"
)


def thousands_separators(text: str) -> str:
    """1 000 000 -> 1,000,000: the thousands separator other rules read."""
    return _SPACED_THOUSANDS.sub(lambda m: re.sub(r"\s", ",", m.group(0)), text)


def ordinals(text: str) -> str:
    """1st -> "first", 22nd -> "twenty-second"."""
    return _ORDINAL.sub(lambda m: ordinal(int(m.group("n").replace(",", ""))), text)


def cardinals(text: str) -> str:
    """10,000 -> "ten thousand"; 3.5 -> "three point five"; -4 -> "minus four"; G7 -> "G seven"."""

    def say(m: re.Match[str]) -> str:
        sign = m.group("sign") or ""
        start = m.start()
        if sign and start > 0 and m.string[start - 1].isalnum():  # "F-16": a hyphen, not minus
            start += 1
            prefix, sign = sign, ""
        else:
            prefix = ""
        spoken = number(sign + m.group("num"))
        if start > 0 and m.string[start - 1].isalpha() and not prefix:
            spoken = " " + spoken
        if m.end() < len(m.string) and m.string[m.end()].isalpha():
            spoken += " "
        return prefix + spoken

    return _CARDINAL.sub(say, text)
