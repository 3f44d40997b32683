"""English number words for :mod:`narrate.speech.normalize`, built on num2words.

American news style: no "and" inside numbers ("one hundred five"), years in pairs
("nineteen ninety-nine", "twenty twenty-four", but "two thousand five").
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

from narrate.speech.trace import Table, word_set

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


# Currency sign -> (singular, plural, subunit singular, subunit plural); "" = no subunit.
CURRENCIES: dict[str, tuple[str, str, str, str]] = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "", ""),
    "₩": ("won", "won", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
    "₴": ("hryvnia", "hryvnias", "kopiyka", "kopiyky"),
    "₽": ("ruble", "rubles", "kopek", "kopeks"),
}

# Country prefixes of the dollar sign: "A$5" -> "five Australian dollars".
DOLLAR_PREFIXES = {
    "US": "",
    "A": "Australian ",
    "C": "Canadian ",
    "HK": "Hong Kong ",
    "NZ": "New Zealand ",
}

# Written scale after an amount -> the word ("$1.2bn" -> "one point two billion dollars").
SCALES = {
    "thousand": "thousand",
    "k": "thousand",
    "million": "million",
    "mn": "million",
    "m": "million",
    "billion": "billion",
    "bn": "billion",
    "b": "billion",
    "trillion": "trillion",
    "tn": "trillion",
}

# A price's period after a slash ("$20/mo") -> the word.
PERIODS = {
    "hr": "hour",
    "h": "hour",
    "hour": "hour",
    "d": "day",
    "day": "day",
    "wk": "week",
    "week": "week",
    "mo": "month",
    "month": "month",
    "yr": "year",
    "year": "year",
}

# Unit symbol after a number -> (singular, plural). Case-sensitive.
_UNIT_TABLE = """
km/h kph: kilometer(s) per hour | mph: mile(s) per hour | km² sq_km: square kilometer
m² m2: square meter | km2: square kilometer | sq_mi: square mile | μm: micrometer
nm: nanometer | km: kilometer | cm: centimeter | mm: millimeter | kg Kg KG: kilogram
mg: milligram | lbs lb: pound | ml: milliliter | ha: hectare | kWh: kilowatt hour
MWh: megawatt hour | GWh: gigawatt hour | kW: kilowatt | MW: megawatt | GW: gigawatt
GB: gigabyte | MB: megabyte | TB: terabyte | °C: degree(s) Celsius | °F: degree(s) Fahrenheit
°: degree | kbps Kbps: kilobit(s) per second | Mbps mbps: megabit(s) per second
Gbps gbps: gigabit(s) per second
"""
_UNITS: dict[str, tuple[str, str]] = {
    symbol.replace("_", " "): (
        name.strip().replace("(s)", ""),
        name.strip().replace("(s)", "s") if "(s)" in name else name.strip() + "s",
    )
    for entry in _UNIT_TABLE.replace("\n", " | ").split("|")
    if ":" in entry
    for symbols, name in [entry.split(":")]
    for symbol in symbols.split()
}
_UNITS["ft"] = ("foot", "feet")
_UNITS.update(
    {
        "hp": ("horsepower", "horsepower"),
        "Hz": ("hertz", "hertz"),
        "kHz": ("kilohertz", "kilohertz"),
        "MHz": ("megahertz", "megahertz"),
        "GHz": ("gigahertz", "gigahertz"),
        "km³": ("cubic kilometer", "cubic kilometers"),
        "m³": ("cubic meter", "cubic meters"),
    }
)
UNITS = Table("units", _UNITS)


def keep_final_period(m: re.Match[str], spoken: str) -> str:
    """A replaced abbreviation's dot that also ended the text still ends the sentence."""
    rest = m.string[m.end() : m.end() + 6]  # a bounded look: linear time on any text
    if m.group(0).endswith(".") and len(rest) < 6 and not rest.strip(" \"')”’"):
        return spoken + "."
    return spoken


# --- rules (each str -> str), run in this order by narrate.speech.normalize -----------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+"
_MONEY = re.compile(
    rf"(?<![\w$])(?P<prefix>US|A|C|HK|NZ)?(?P<sign>[{''.join(CURRENCIES)}])\s?(?P<a>{_NUM})"
    rf"(?:\s?(?:-|–|to)\s?(?P=sign)?(?P<b>{_NUM}))?"
    rf"(?:\s?(?P<scale>(?i:{'|'.join(SCALES)}))\b)?"
    rf"(?:\s?/\s?(?P<per>{'|'.join(sorted(PERIODS, key=len, reverse=True))})\b)?"
)


def money(text: str) -> str:
    """$5.50 -> "five dollars and fifty cents"; $1.2bn -> "one point two billion dollars"."""

    def say(m: re.Match[str]) -> str:
        per = f" per {PERIODS[m.group('per')]}" if m.group("per") else ""
        return amount(m) + per

    def amount(m: re.Match[str]) -> str:
        one, many, sub_one, sub_many = CURRENCIES[m.group("sign")]
        before, after = m.string[max(0, m.start() - 4) : m.start()], m.string[m.end() : m.end() + 2]
        if re.search(r"(?i)\ban?\s+$", before) and re.match(r"\s+[a-z]", after):
            many, sub_many = one, sub_one  # an adjective: "a $5 million deal", "a $20 bill"
        if m.group("sign") == "$" and m.group("prefix"):
            one, many = (DOLLAR_PREFIXES[m.group("prefix")] + w for w in (one, many))
        a, b, scale = m.group("a").rstrip(","), m.group("b"), m.group("scale")
        if b:  # a range: "$50.00-$100.00" is "fifty to one hundred dollars"
            a, b = a.removesuffix(".00"), b.removesuffix(".00")
            if not scale and sub_one and _CENTS.search(a + " " + b):
                # "$150.25-$250.67": each amount in full, "... cents to ... dollars and ..."
                return " to ".join(_say_amount(x, (one, many, sub_one, sub_many)) for x in (a, b))
        if scale or b:
            amount = number(a) + (f" to {number(b)}" if b else "")
            scale_word = f" {SCALES[scale.lower()]}" if scale else ""
            return f"{amount}{scale_word} {many}"
        return _say_amount(a, (one, many, sub_one, sub_many))

    return _MONEY.sub(say, text)


_CENTS = re.compile(r"\.\d\d\b")


def _say_amount(written: str, names: tuple[str, str, str, str]) -> str:
    """ "5.50" with the dollar's names -> "five dollars and fifty cents"."""
    one, many, sub_one, sub_many = names
    whole, _, cents = written.replace(",", "").partition(".")
    if cents and (len(cents) != 2 or not sub_one):
        return f"{number(written)} {many}"
    units, hundredths = int(whole or "0"), int(cents or "0")
    parts = []
    if units or not hundredths:
        parts.append(f"{cardinal(units)} {one if units == 1 else many}")
    if hundredths:
        parts.append(f"{cardinal(hundredths)} {sub_one if hundredths == 1 else sub_many}")
    return " and ".join(parts)


_SIGNED = rf"[-−+]?(?:{_NUM})"
_PERCENT = re.compile(rf"(?<![\w.])(?P<a>{_SIGNED})(?:\s?(?:-|–|to)\s?(?P<b>{_SIGNED}))?\s?%")
UNIT_NAMES = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_MEASURE = re.compile(
    rf"(?=[-−+.\d])(?<![\w.])(?P<a>{_SIGNED})(?:\s?(?:-|–)\s?(?P<b>{_NUM}))?"
    r"(?:\s(?P<scale>thousand|million|billion|trillion))?"
    rf"(?P<sep>\s?-?|\s?/\s?)(?P<unit>{UNIT_NAMES})(?:/(?P<per>{UNIT_NAMES}))?(?![\w°²])"
)
# Sizes: "2x8 m" -> "two by eight meters" (a lone "m" is meters only here: "5m" is millions).
_DIMENSIONS = re.compile(
    rf"(?=[\d.])(?<![\w.])(?P<sizes>(?:{_NUM})(?:\s?[x×]\s?(?:{_NUM})){{1,2}})"
    rf"\s?(?P<unit>{UNIT_NAMES}|m)(?![\w°²/])"
)


def percent_and_units(text: str) -> str:
    """40% -> "forty percent"; 5-10 km -> "five to ten kilometers"; a 10-km walk -> singular."""

    def percent(m: re.Match[str]) -> str:
        b = f" to {number(m.group('b'))}" if m.group("b") else ""
        return f"{number(m.group('a'))}{b} percent"

    def measure(m: re.Match[str]) -> str:
        if m.group("unit") not in UNITS or (m.group("per") and m.group("per") not in UNITS):
            return m.group(0)
        one, many = UNITS[m.group("unit")]
        a, b, scale = m.group("a"), m.group("b"), m.group("scale")
        amount = number(a) + (f" to {number(b)}" if b else "") + (f" {scale}" if scale else "")
        if "/" in m.group("sep"):
            return f"{amount} per {one}"
        per = f" per {UNITS[m.group('per')][0]}" if m.group("per") else ""  # "12kg/kg"
        singular = "-" in m.group("sep") or (not b and number_value(a) in (1.0, -1.0))
        return f"{amount} {one if singular and '.' not in a and not scale else many}{per}"

    def dimensions(m: re.Match[str]) -> str:
        sizes = re.split(r"\s?[x×]\s?", m.group("sizes"))
        unit = UNITS.get(m.group("unit"), ("meter", "meters"))[1]
        return " by ".join(number(size) for size in sizes) + f" {unit}"

    text = _DIMENSIONS.sub(dimensions, _PERCENT.sub(percent, text))
    return _MEASURE.sub(measure, text)


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
_RANGE = re.compile(r"(?<![\w.,\-–−])(?P<a>\d{1,4})\s?[-–]\s?(?P<b>\d{1,4})(?![\w\-–]|[.,]\d)")
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


_DIGIT_GROUPS = re.compile(r"(?<![\w.,\-–])\d+(?:[-–]\d+){2,}(?![\w\-–])")


def ranges(text: str) -> str:
    """2010-2014 -> "twenty ten to twenty fourteen"; 2010-14 likewise; 5-10 -> "five to ten"."""

    def say(m: re.Match[str]) -> str:
        a, b = m.group("a"), m.group("b")
        if _YEAR_LIKE.fullmatch(a) and len(b) == 2 and int(b) > int(a[2:]):
            b = a[:2] + b
        if _YEAR_LIKE.fullmatch(a) and _YEAR_LIKE.fullmatch(b):
            return f"{year(int(a))} to {year(int(b))}"
        return f"{number(a)} to {number(b)}"

    text = _DIGIT_GROUPS.sub(lambda m: ", ".join(digits(g) for g in re.split("[-–]", m[0])), text)
    return _RANGE.sub(say, text)


# A bare 1000-2099 is a year ("in 1999", "the 2024 election") unless it counts something: after
# a word of quantity ("more than 1500") or before a noun that is counted ("1500 soldiers").
_QUANTITY_BEFORE = word_set(
    "quantity_before", "over than least only just another extra additional total"
)
_COUNTED_AFTER = word_set(
    "counted_after",
    "people persons soldiers troops residents workers employees jobs homes houses buildings "
    "students children families patients cases deaths victims votes voters members copies units "
    "vehicles cars tanks drones missiles rockets acres hectares miles feet meters metres "
    "kilometers kilometres tons tonnes pounds dollars euros words pages times other more new",
)
_WORD_BEFORE = re.compile(r"(?i)\b([a-z]+)\s$")
_WORD_AFTER = re.compile(r"\s([a-z]+)\b(?:\s(them|those|the|these|whom)\b)?")


def years(text: str) -> str:
    """A four-digit number from 1000 to 2099 without a thousands comma: a year, unless it counts.

    News style writes counts of a thousand or more with a comma ("1,500 soldiers"); a bare one
    that counts is recognized by its neighbours ("over 1500", "1500 soldiers").
    """

    def say(m: re.Match[str]) -> str:
        before = m.string[max(0, m.start() - 15) : m.start()]
        after = m.string[m.end() : m.end() + 22]
        word_after = _WORD_AFTER.match(after)
        word_before = _WORD_BEFORE.search(before)
        is_count = (
            word_after
            and (
                word_after.group(1) in _COUNTED_AFTER
                or (word_after.group(1) == "of" and word_after.group(2))
            )
        ) or (
            word_before
            and word_before.group(1).lower() in _QUANTITY_BEFORE
            and not re.match(r"\s?(?:[,.;:!?]|$)", after)
        )
        n = int(m.group("year"))
        return cardinal(n) if is_count else year(n)

    return _STANDALONE_YEAR.sub(say, text)


# Thousands separated by spaces: thin and no-break spaces always ("10\u202f000"); plain spaces
# when there are two groups ("1 000 000") or the group is 000 ("10 000"), because "roughly 400 737
# Max jets" is two numbers.
_SPACED_THOUSANDS = re.compile(
    r"(?<![\d,.])\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d,])"
    r"|(?<![\d,.] )(?<![\d,.])\d{1,3}(?:(?: \d{3}){2,}| 000)(?![\d,])"
)


def digit_groups(text: str) -> str:
    """1 000 000 -> 1,000,000: the thousands separator other rules read."""
    return _SPACED_THOUSANDS.sub(lambda m: re.sub(r"\s", ",", m.group(0)), text)


def ordinals(text: str) -> str:
    """1st -> "first", 22nd -> "twenty-second"."""
    return _ORDINAL.sub(lambda m: ordinal(int(m.group("n").replace(",", ""))), text)


_VERSION = re.compile(r"(?<![\w.,])\d+(?:\.\d+){2,}(?![\w.]|,\d)")


def versions(text: str) -> str:
    """1.1.3 -> "one point one point three" (versions, addresses: not a decimal)."""
    return _VERSION.sub(
        lambda m: " point ".join(cardinal(int(g)) for g in m.group(0).split(".")), text
    )


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
