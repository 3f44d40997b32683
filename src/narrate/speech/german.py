"""German rules for :mod:`narrate.speech.normalize`: "am 1. September 2024", "3,2 Millionen",
"14:30 Uhr", "1,2 Mrd. €", "120 km/h", "Dr.", "z. B.", "im 19. Jahrhundert", "die 1990er".

Numbers by num2words. Ordinals take the ending their article asks for ("am ersten", "der
zweite", a dateline's "erster September"); years are said as years ("neunzehnhundertneunzig").
"""

from __future__ import annotations

import re
from datetime import date

from narrate.speech import continental as eu
from narrate.speech.trace import Table

MONTHS = eu.words(
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
)
_MONTH_NUMBERS = {
    **{name.lower(): n for n, name in enumerate(MONTHS, start=1)},
    **{name.lower()[:3]: n for n, name in enumerate(MONTHS, start=1)},
    "jänner": 1,
    "sept": 9,
    "mrz": 3,
}
_MONTH = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))

_FEMININE = frozenset(
    eu.words(
        "Million Milliarde Billion Stunde Minute Sekunde Woche Tonne Person Frau Stimme Partei "
        "Stadt Meile Seite Nummer Runde Etappe"
    )
)
_FEMININE_PLURAL_LIKE = ("ung", "heit", "keit", "schaft", "tion", "tät")


def _agree(words: str, noun: str) -> str:
    """ "eins" before a noun: "ein Euro", "eine Million" (the noun's gender, where it shows)."""
    if not words.endswith("eins"):
        return words
    if noun in _FEMININE or noun.endswith(_FEMININE_PLURAL_LIKE):
        return words[:-4] + "eine"
    if noun[:1].isupper() or noun in ("Euro", "Dollar", "Cent"):
        return words[:-1]  # "ein", "hunderteins" -> "hundertein Euro"
    return words


# Abbreviations that stand before a name, and never end a sentence ("Dr. Weber").
TITLES = eu.words("Dr Prof Hr Hrn Fr St Nr Dipl Ing")

SPEECH = eu.Speech(
    code="de",
    decimal_point="Komma",
    minus="minus",
    to="bis",
    percent="Prozent",
    spaced_thousands=False,
    digits_after_point=True,
    units=Table(
        "units_de",
        {
            "km/h": ("Kilometer pro Stunde", "Kilometer pro Stunde"),
            "km²": ("Quadratkilometer", "Quadratkilometer"),
            "m²": ("Quadratmeter", "Quadratmeter"),
            "qm": ("Quadratmeter", "Quadratmeter"),
            "m³": ("Kubikmeter", "Kubikmeter"),
            "km": ("Kilometer", "Kilometer"),
            "cm": ("Zentimeter", "Zentimeter"),
            "mm": ("Millimeter", "Millimeter"),
            "m": ("Meter", "Meter"),
            "kg": ("Kilogramm", "Kilogramm"),
            "g": ("Gramm", "Gramm"),
            "t": ("Tonne", "Tonnen"),
            "l": ("Liter", "Liter"),
            "ml": ("Milliliter", "Milliliter"),
            "ha": ("Hektar", "Hektar"),
            "°C": ("Grad Celsius", "Grad Celsius"),
            "°": ("Grad", "Grad"),
            "kWh": ("Kilowattstunde", "Kilowattstunden"),
            "MWh": ("Megawattstunde", "Megawattstunden"),
            "kW": ("Kilowatt", "Kilowatt"),
            "MW": ("Megawatt", "Megawatt"),
            "GW": ("Gigawatt", "Gigawatt"),
            "PS": ("PS", "PS"),
            "Std.": ("Stunde", "Stunden"),
            "h": ("Stunde", "Stunden"),
            "Min.": ("Minute", "Minuten"),
            "min": ("Minute", "Minuten"),
            "Sek.": ("Sekunde", "Sekunden"),
        },
    ),
    currencies=Table(
        "currencies_de",
        {
            "€": ("Euro", "Euro", "Cent", "Cent"),
            "EUR": ("Euro", "Euro", "Cent", "Cent"),
            "Euro": ("Euro", "Euro", "Cent", "Cent"),
            "$": ("Dollar", "Dollar", "Cent", "Cent"),
            "US-Dollar": ("US-Dollar", "US-Dollar", "Cent", "Cent"),
            "Dollar": ("Dollar", "Dollar", "Cent", "Cent"),
            "£": ("Pfund", "Pfund", "Penny", "Pence"),
            "CHF": ("Franken", "Franken", "Rappen", "Rappen"),
            "Fr.": ("Franken", "Franken", "Rappen", "Rappen"),
        },
    ),
    scales=Table(
        "scales_de",
        {
            "Tsd.": ("Tausend", "Tausend"),
            "Mio.": ("Million", "Millionen"),
            "Mio": ("Million", "Millionen"),
            "Millionen": ("Million", "Millionen"),
            "Million": ("Million", "Millionen"),
            "Mrd.": ("Milliarde", "Milliarden"),
            "Mrd": ("Milliarde", "Milliarden"),
            "Milliarden": ("Milliarde", "Milliarden"),
            "Milliarde": ("Milliarde", "Milliarden"),
            "Billionen": ("Billion", "Billionen"),
        },
    ),
    agree=_agree,
)

ABBREVIATIONS = Table(
    "abbreviations_de",
    {
        r"\bz\.\s?B\.": "zum Beispiel",
        r"\bd\.\s?h\.": "das heißt",
        r"\bu\.\s?a\.": "unter anderem",
        r"\bv\.\s?a\.": "vor allem",
        r"\bo\.\s?ä\.": "oder Ähnliches",
        r"\bu\.\s?U\.": "unter Umständen",
        r"\bbzw\.": "beziehungsweise",
        r"\busw\.": "und so weiter",
        r"\betc\.": "et cetera",
        r"\bca\.": "circa",
        r"\bevtl\.": "eventuell",
        r"\bggf\.": "gegebenenfalls",
        r"\binkl\.": "inklusive",
        r"\bexkl\.": "exklusive",
        r"\bvgl\.": "vergleiche",
        r"\bsog\.": "sogenannte",
        r"\bNr\.(?=\s?\d)": "Nummer",
        r"\bS\.(?=\s?\d)": "Seite",
        r"\bAbs\.(?=\s?\d)": "Absatz",
        r"\bTel\.": "Telefon",
        r"\bJh\.": "Jahrhundert",
        r"\bJhs\.": "Jahrhunderts",
        r"\bDr\.(?=\s)": "Doktor",
        r"\bProf\.(?=\s)": "Professor",
        r"\bHr\.(?=\s[A-ZÄÖÜ])": "Herr",
        r"\bHrn\.(?=\s[A-ZÄÖÜ])": "Herrn",
        r"\bFr\.(?=\s[A-ZÄÖÜ][a-zäöüß])": "Frau",
        r"\bSt\.(?=\s[A-ZÄÖÜ])": "Sankt",
        r"(?<=[a-zäöüß])str\.": "straße",
        r"\bStr\.": "Straße",
        r"§\s?(?=\d)": "Paragraf ",
        r"\bMio\.(?!\s?\d)": "Millionen",
        r"\bMrd\.(?!\s?\d)": "Milliarden",
    },
)

# An ordinal: "1." before a word (not at the end of the sentence: "im Jahr 2024."), or a date.
_ORDINAL = re.compile(r"(?<![\w.,])(?P<n>\d{1,3})\.(?=\s+[A-ZÄÖÜ])")
_NUMERIC_DATE = re.compile(
    r"(?<![\w.,])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.(?:\s?(?P<y>\d{4}|\d{2}))?(?![\w]|[.,]\d)"
)
_DAY_MONTH = re.compile(
    rf"(?<![\w.,])(?P<d>\d{{1,2}})\.\s?(?P<month>(?i:{_MONTH}))\.?(?![\wäöü])(?:\s(?P<y>\d{{4}}))?"
)
_DECADE = re.compile(r"(?<![\w.,])(?:(?P<long>1\d\d0|20\d0)|(?P<short>[1-9]0))er(?P<end>\b|n\b)")
# The article before an ordinal says its ending.
_WEAK = re.compile(r"(?i)\b(?:der|die|das)\s$")
_DATIVE = re.compile(r"(?i)\b(?:am|im|vom|zum|zur|beim|den|dem|des|ins|ans|seit dem|bis zum)\s$")
_TIME = re.compile(r"(?<![\w.:])(?P<h>[01]?\d|2[0-3])(?:[:.](?P<min>[0-5]\d))?\s?Uhr\b")
_CLOCK = re.compile(r"(?<![\w.:,])(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)(?![\d:])")
_YEAR = re.compile(r"(?<![\w.,\-–])(?P<y>1[1-9]\d\d|20\d\d)(?![\w%°]|[.,]\d)")
_YEAR_BEFORE = re.compile(
    rf"(?i)\b(?:im jahr(?:e)?|jahr|seit|bis|von|ab|um|vor|nach|anfang|ende|mitte|frühjahr|"
    rf"sommer|herbst|winter|{_MONTH})\s$"
)


def _ending(before: str, month: bool = False) -> str:
    """The ending an ordinal's article asks for: "am ersten", "der erste", "erster September"."""
    if _DATIVE.search(before):
        return "n"
    if _WEAK.search(before) or not month:
        return ""
    return "r"  # a dateline: "Berlin, 1. September" -> "erster September"


def _ordinal(n: int, before: str, month: bool = False) -> str:
    return eu.ordinal(n, "de") + _ending(before, month)  # "erste" + its ending


def dates(text: str) -> str:
    """1. September 2024 -> "erster September zweitausendvierundzwanzig"; am 1.9. -> "am ersten
    Neunten"; 3. Okt. -> "dritter Oktober"."""

    def day_month(m: re.Match[str]) -> str:
        day, month = int(m.group("d")), _MONTH_NUMBERS.get(m.group("month").lower())
        if month is None or not 1 <= day <= 31:
            return m.group(0)
        before = m.string[max(0, m.start() - 12) : m.start()]
        year = f" {SPEECH.year(int(m.group('y')))}" if m.group("y") else ""
        return f"{_ordinal(day, before, month=True)} {MONTHS[month - 1]}{year}"

    def numeric(m: re.Match[str]) -> str:
        day, month = int(m.group("d")), int(m.group("m"))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return m.group(0)
        before = m.string[max(0, m.start() - 12) : m.start()]
        ending = _ending(before, month=True)  # the month, as a noun, takes the day's ending
        month_word = (eu.ordinal(month, "de") + ending).capitalize()
        said = f"{eu.ordinal(day, 'de')}{ending} {month_word}"
        written_year = m.group("y")
        if written_year:
            full = int(written_year) if len(written_year) == 4 else 2000 + int(written_year)
            said += f" {SPEECH.year(full)}"
        return said

    def decade(m: re.Match[str]) -> str:
        written = m.group("long") or m.group("short")
        words = SPEECH.year(int(written)) if m.group("long") else SPEECH.cardinal(int(written))
        return f"{words}er{m.group('end')}"

    text = _NUMERIC_DATE.sub(numeric, text)
    text = _DAY_MONTH.sub(day_month, text)
    return _DECADE.sub(decade, text)


def ordinals(text: str) -> str:
    """der 2. Weltkrieg -> "der zweite Weltkrieg"; im 19. Jahrhundert -> "im neunzehnten"."""

    def say(m: re.Match[str]) -> str:
        before = m.string[max(0, m.start() - 12) : m.start()]
        return _ordinal(int(m.group("n")), before)

    return _ORDINAL.sub(say, text)


def times(text: str) -> str:
    """14:30 Uhr and 14.30 Uhr -> "vierzehn Uhr dreißig"; 8 Uhr -> "acht Uhr"."""

    def say(m: re.Match[str]) -> str:
        hour, minutes = int(m.group("h")), int(m.group("min") or 0)
        spoken = f"{_agree(SPEECH.cardinal(hour), 'Uhr')} Uhr"
        return spoken + (f" {SPEECH.cardinal(minutes)}" if minutes else "")

    return _CLOCK.sub(say, _TIME.sub(say, text))


def years(text: str) -> str:
    """A bare 1100-2099 is a year ("seit 1990"), unless a noun it counts follows ("1990 Menschen"
    in a sentence that says no year: news writes counts as "1.990")."""

    def say(m: re.Match[str]) -> str:
        before = m.string[max(0, m.start() - 14) : m.start()]
        noun = re.match(r"\s[A-ZÄÖÜ][a-zäöüß]+", m.string[m.end() : m.end() + 24])
        if noun and not _YEAR_BEFORE.search(before):
            return m.group(0)  # a count: the number rule says it
        return SPEECH.year(int(m.group("y")))

    return _YEAR.sub(say, text)


_SHARED = eu.shared_rules(SPEECH, ABBREVIATIONS, __name__, dot="Punkt", at="at")
money = _SHARED.money
percent_and_units = _SHARED.percent_and_units
abbreviations = _SHARED.abbreviations
ranges = _SHARED.ranges
cardinals = _SHARED.cardinals
urls_and_emails = _SHARED.urls_and_emails


def symbols(text: str) -> str:
    """& -> "und"; % and ° left over; hashtags and stray marks go."""
    text = re.sub(r"\s*%", " Prozent", text)
    return eu.symbols(text, "und")


def written_date(day: date) -> str:
    """How a German page writes a date: "3. März 2026"."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"
