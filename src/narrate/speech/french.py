"""French rules for :mod:`narrate.speech.normalize`: "le 1er septembre 2024", "3,2 millions",
"14h30", "1,2 milliard d'euros", "3,50 €", "120 km/h", "M. Dupont", "XXIe siècle".

Numbers by num2words; "un" becomes "une" before a feminine noun ("une heure", "vingt et une
personnes"); the first of a month is "premier", other days are numbers; kings and centuries
have their own numbers ("Louis quatorze", "le vingt et unième siècle").
"""

from __future__ import annotations

import re
from datetime import date

from narrate.speech import continental as eu
from narrate.speech.trace import Table

MONTHS = eu.words(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
)
_MONTH_NUMBERS = {name: n for n, name in enumerate(MONTHS, start=1)} | {
    "fevrier": 2,
    "aout": 8,
    "decembre": 12,
    "janv.": 1,
    "févr.": 2,
    "avr.": 4,
    "juil.": 7,
    "sept.": 9,
    "oct.": 10,
    "nov.": 11,
    "déc.": 12,
}
_MONTH = "|".join(re.escape(m) for m in sorted(_MONTH_NUMBERS, key=len, reverse=True))

# Nouns after which "un" is "une" (their plural too): the feminine nouns news counts most.
_FEMININE = frozenset(
    eu.words(
        "heure minute seconde semaine année fois personne femme tonne voix victime ville voiture "
        "maison étape place élection manifestation entreprise frappe attaque journée nuit "
        "livre"
    )
)


def _agree(words: str, noun: str) -> str:
    """ "un" before a feminine noun: "une heure", "vingt et une personnes"."""
    if noun.lower().rstrip("s") in _FEMININE and re.search(r"\bun$", words):
        return words + "e"
    return words


# Abbreviations that stand before a name, and never end a sentence ("Dr. Weber").
TITLES = eu.words("M MM Dr Pr St Ste Me Mgr")

SPEECH = eu.Speech(
    code="fr",
    decimal_point="virgule",
    minus="moins",
    to="à",
    percent="pour cent",
    spaced_thousands=True,
    digits_after_point=False,
    units=Table(
        "units_fr",
        {
            "km/h": ("kilomètre par heure", "kilomètres par heure"),
            "km²": ("kilomètre carré", "kilomètres carrés"),
            "m²": ("mètre carré", "mètres carrés"),
            "m³": ("mètre cube", "mètres cubes"),
            "km": ("kilomètre", "kilomètres"),
            "cm": ("centimètre", "centimètres"),
            "mm": ("millimètre", "millimètres"),
            "m": ("mètre", "mètres"),
            "kg": ("kilogramme", "kilogrammes"),
            "g": ("gramme", "grammes"),
            "t": ("tonne", "tonnes"),
            "l": ("litre", "litres"),
            "L": ("litre", "litres"),
            "ha": ("hectare", "hectares"),
            "°C": ("degré Celsius", "degrés Celsius"),
            "°": ("degré", "degrés"),
            "kWh": ("kilowattheure", "kilowattheures"),
            "MWh": ("mégawattheure", "mégawattheures"),
            "kW": ("kilowatt", "kilowatts"),
            "MW": ("mégawatt", "mégawatts"),
            "GW": ("gigawatt", "gigawatts"),
            "min": ("minute", "minutes"),
        },
    ),
    currencies=Table(
        "currencies_fr",
        {
            "€": ("euro", "euros", "centime", "centimes"),
            "EUR": ("euro", "euros", "centime", "centimes"),
            "euros": ("euro", "euros", "centime", "centimes"),
            "$": ("dollar", "dollars", "cent", "cents"),
            "dollars": ("dollar", "dollars", "cent", "cents"),
            "£": ("livre", "livres", "penny", "pence"),
            "CHF": ("franc suisse", "francs suisses", "centime", "centimes"),
        },
    ),
    scales=Table(
        "scales_fr",
        {
            "k": ("mille", "mille"),
            "M": ("million", "millions"),
            "Md": ("milliard", "milliards"),
            "Mds": ("milliard", "milliards"),
            "millions": ("million", "millions"),
            "million": ("million", "millions"),
            "milliards": ("milliard", "milliards"),
            "milliard": ("milliard", "milliards"),
        },
    ),
    agree=_agree,
    of_currency=lambda name: ("d'" if name[0] in "aeiouéè" else "de ") + name,
)

ABBREVIATIONS = Table(
    "abbreviations_fr",
    {
        r"\bMM\.(?=\s[A-ZÉ])": "Messieurs",
        r"\bM\.(?=\s[A-ZÉ])": "Monsieur",
        r"\bMmes\b": "Mesdames",
        r"\bMme\b": "Madame",
        r"\bMlle\b": "Mademoiselle",
        r"\bDr\b\.?(?=\s[A-ZÉ])": "docteur",
        r"\bPr\b\.?(?=\s[A-ZÉ])": "professeur",
        r"\bMe\b(?=\s[A-ZÉ])": "maître",
        r"\bSte\b\.?(?=[\s-][A-ZÉ])": "Sainte",
        r"\bSt\b\.?(?=[\s-][A-ZÉ])": "Saint",
        r"\bc\.-à-d\.": "c'est-à-dire",
        r"\bp\.\s?ex\.": "par exemple",
        r"\bav\.\s?J\.-C\.": "avant Jésus-Christ",
        r"\bapr\.\s?J\.-C\.": "après Jésus-Christ",
        r"\benv\.": "environ",
        r"\betc\.": "et cetera",
        r"\bn[°o]\s?(?=\d)": "numéro ",
        r"\bbd\b\.?(?=\s)": "boulevard",
        r"\bav\.(?=\s[A-ZÉ])": "avenue",
        r"\bCie\b": "compagnie",
    },
)

# 1er, 1re, 1ère, 2e, 2ème, 2nd, 21e: ordinals (and "XXIe siècle" in Roman numerals)
_ORDINAL = re.compile(r"(?<![\w.,])(?P<n>\d{1,4})(?P<suffix>er|re|ère|e|ème|nde?)\b")
_ROMAN_ORDINAL = re.compile(r"\b(?P<r>[IVXL]{1,6})(?P<suffix>er|re|e|ème)\b")
_REGNAL = re.compile(r"\b(?P<name>[A-ZÉ][a-zéèêëàâîïôûüç]+) (?P<r>[IVX]{1,5})\b")
_DATE = re.compile(
    rf"(?<![\w.,])(?P<d>\d{{1,2}})(?P<er>er)?\s(?P<month>(?i:{_MONTH}))(?![\w])(?:\s(?P<y>\d{{4}}))?"
)
_NUMERIC_DATE = re.compile(r"(?<![\w.,/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![\w/])")
_TIME = re.compile(r"(?<![\w.:,])(?P<h>[01]?\d|2[0-3])\s?(?:h|:)\s?(?P<min>[0-5]\d)?(?![\w:])")


def _ordinal_word(n: int, feminine: bool) -> str:
    if n == 1:
        return "première" if feminine else "premier"
    return eu.ordinal(n, "fr")


def dates(text: str) -> str:
    """1er septembre 2024 -> "premier septembre deux mille vingt-quatre"; 14/07/1789 -> "quatorze
    juillet mille sept cent quatre-vingt-neuf"."""

    def say(day: int, month: int, year: str | None) -> str:
        spoken = f"{'premier' if day == 1 else SPEECH.cardinal(day)} {MONTHS[month - 1]}"
        return spoken + (f" {SPEECH.cardinal(int(year))}" if year else "")

    def written(m: re.Match[str]) -> str:
        day, month = int(m.group("d")), _MONTH_NUMBERS.get(m.group("month").lower())
        if month is None or not 1 <= day <= 31:
            return m.group(0)
        return say(day, month, m.group("y"))

    def numeric(m: re.Match[str]) -> str:
        day, month = int(m.group("d")), int(m.group("m"))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return m.group(0)
        return say(day, month, m.group("y"))

    return _DATE.sub(written, _NUMERIC_DATE.sub(numeric, text))


def ordinals(text: str) -> str:
    """2e -> "deuxième", 1re -> "première", XXIe siècle -> "vingt et unième siècle"; Louis XIV ->
    "Louis quatorze", François Ier -> "François premier"."""

    def arabic(m: re.Match[str]) -> str:
        return _ordinal_word(int(m.group("n")), m.group("suffix") in ("re", "ère", "nde"))

    def roman(m: re.Match[str]) -> str:
        if m.group(0) == "Le":
            return m.group(0)  # the article, not the fiftieth
        n = eu.roman_value(m.group("r"))
        return m.group(0) if n is None else _ordinal_word(n, m.group("suffix") == "re")

    def regnal(m: re.Match[str]) -> str:
        n = eu.roman_value(m.group("r"))
        if n is None or (n == 1 and m.group("r") == "I"):
            return m.group(0)  # "I" alone: a letter more often than a king
        return f"{m.group('name')} {SPEECH.cardinal(n)}"

    text = _ROMAN_ORDINAL.sub(roman, _ORDINAL.sub(arabic, text))
    return _REGNAL.sub(regnal, text)


def times(text: str) -> str:
    """14h30 and 14:30 -> "quatorze heures trente"; 8h -> "huit heures"; 1h -> "une heure"."""

    def say(m: re.Match[str]) -> str:
        hour, minutes = int(m.group("h")), int(m.group("min") or 0)
        if ":" in m.group(0) and m.group("min") is None:
            return m.group(0)
        hours = "heure" if hour == 1 else "heures"
        spoken = f"{_agree(SPEECH.cardinal(hour), 'heure')} {hours}"
        return spoken + (f" {SPEECH.cardinal(minutes)}" if minutes else "")

    return _TIME.sub(say, text)


_SHARED = eu.shared_rules(SPEECH, ABBREVIATIONS, __name__, dot="point", at="arobase")
money = _SHARED.money
percent_and_units = _SHARED.percent_and_units
abbreviations = _SHARED.abbreviations
ranges = _SHARED.ranges
cardinals = _SHARED.cardinals
urls_and_emails = _SHARED.urls_and_emails


def symbols(text: str) -> str:
    """& -> "et"; % left over; hashtags and stray marks go."""
    text = re.sub(r"\s*%", " pour cent", text)
    return eu.symbols(text, "et")


def written_date(day: date) -> str:
    """How a French page writes a date: "1er mars 2026", "3 mars 2026"."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
