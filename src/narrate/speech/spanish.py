"""Spanish rules for :mod:`narrate.speech.normalize`: "1 de septiembre de 2024", "3,2 millones",
"a las 14:30", "1,2 millones de euros", "3,50 €", "120 km/h", "Sr.", "EE. UU.", "el 1.º".

Numbers by num2words, in the Spanish of Spain: a decimal comma, "uno" as "un" before a noun and
"una" before a feminine one ("veintiuna personas", "doscientas mil personas"); kings and
centuries take ordinals up to ten and numbers after ("Felipe sexto", "siglo veintiuno").
"""

from __future__ import annotations

import re
from datetime import date

from narrate.speech import continental as eu
from narrate.speech.trace import Table

MONTHS = eu.words(
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
_MONTH_NUMBERS = {name: n for n, name in enumerate(MONTHS, start=1)} | {"setiembre": 9}
_MONTH = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))

_FEMININE = frozenset(
    eu.words(
        "persona mujer hora semana tonelada víctima vez casa ciudad elección hectárea "
        "manifestante empresa niña"
    )
)


def _agree(words: str, noun: str) -> str:
    """ "uno" before a noun is "un", "una" before a feminine one; "doscientos" -> "doscientas"."""
    singular = noun.lower().removesuffix("es") if noun.endswith("ones") else noun.lower()
    feminine = singular.rstrip("s") in _FEMININE
    if feminine:
        words = re.sub(r"ientos\b", "ientas", words)  # doscientas personas
        return re.sub(r"(?:uno|ún)$", "una", words)
    if noun and noun[0].isalpha():
        return re.sub(r"uno$", "un", words).replace("veintiun", "veintiún")
    return words


# Abbreviations that stand before a name, and never end a sentence ("Dr. Weber").
TITLES = eu.words("Sr Sra Srta Sres Dr Dra D Dña Ud Uds Prof Lic Ing")

SPEECH = eu.Speech(
    code="es",
    decimal_point="coma",
    minus="menos",
    to="a",
    percent="por ciento",
    spaced_thousands=False,
    digits_after_point=False,
    units=Table(
        "units_es",
        {
            "km/h": ("kilómetro por hora", "kilómetros por hora"),
            "km²": ("kilómetro cuadrado", "kilómetros cuadrados"),
            "m²": ("metro cuadrado", "metros cuadrados"),
            "m³": ("metro cúbico", "metros cúbicos"),
            "km": ("kilómetro", "kilómetros"),
            "cm": ("centímetro", "centímetros"),
            "mm": ("milímetro", "milímetros"),
            "m": ("metro", "metros"),
            "kg": ("kilo", "kilos"),
            "g": ("gramo", "gramos"),
            "t": ("tonelada", "toneladas"),
            "l": ("litro", "litros"),
            "ha": ("hectárea", "hectáreas"),
            "°C": ("grado", "grados"),
            "°": ("grado", "grados"),
            "kWh": ("kilovatio hora", "kilovatios hora"),
            "MW": ("megavatio", "megavatios"),
            "GW": ("gigavatio", "gigavatios"),
            "h": ("hora", "horas"),
            "min": ("minuto", "minutos"),
        },
    ),
    currencies=Table(
        "currencies_es",
        {
            "€": ("euro", "euros", "céntimo", "céntimos"),
            "EUR": ("euro", "euros", "céntimo", "céntimos"),
            "euros": ("euro", "euros", "céntimo", "céntimos"),
            "US$": ("dólar", "dólares", "centavo", "centavos"),
            "$": ("dólar", "dólares", "centavo", "centavos"),
            "dólares": ("dólar", "dólares", "centavo", "centavos"),
            "£": ("libra", "libras", "penique", "peniques"),
        },
    ),
    scales=Table(
        "scales_es",
        {
            "mil": ("mil", "mil"),
            "millones": ("millón", "millones"),
            "millón": ("millón", "millones"),
            "M": ("millón", "millones"),
            "mill.": ("millón", "millones"),
            "mil millones": ("mil millones", "mil millones"),
        },
    ),
    agree=_agree,
    of_currency=lambda name: f"de {name}",
    cents_joint=" con ",
)

ABBREVIATIONS = Table(
    "abbreviations_es",
    {
        r"\bEE\.\s?UU\.": "Estados Unidos",
        r"\bSra\.(?=\s)": "señora",
        r"\bSrta\.(?=\s)": "señorita",
        r"\bSr\.(?=\s)": "señor",
        r"\bDra\.(?=\s)": "doctora",
        r"\bDr\.(?=\s)": "doctor",
        r"\bDña\.(?=\s)": "doña",
        r"\bD\.(?=\s[A-ZÁÉÍÓÚ][a-záéíóúñ])": "don",
        r"\bUds\.": "ustedes",
        r"\bUd\.": "usted",
        r"\bp\.\s?ej\.": "por ejemplo",
        r"\ba\.\s?C\.": "antes de Cristo",
        r"\bd\.\s?C\.": "después de Cristo",
        r"\betc\.": "etcétera",
        r"\baprox\.": "aproximadamente",
        r"\bn\.?º\s?(?=\d)|\bnúm\.\s?(?=\d)": "número ",
        r"\bpág\.\s?(?=\d)": "página ",
        r"\bAvda?\.(?=\s)": "avenida",
        r"\bc/(?=\s?[A-ZÁÉÍÓÚ])": "calle ",
        r"\bs\.(?=\s[IVXL]+\b)": "siglo",
    },
)

_DATE = re.compile(
    rf"(?<![\w.,])(?P<d>\d{{1,2}})(?:\.?º)?\s+de\s+(?P<month>(?i:{_MONTH}))\b"
    r"(?:\s+(?:de|del)\s+(?P<y>\d{4}))?"
)
_NUMERIC_DATE = re.compile(r"(?<![\w.,/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![\w/])")
# 1.º, 1º, 1.ª, 2.ª, 3er, 1er: ordinals
_ORDINAL = re.compile(r"(?<![\w.,])(?P<n>\d{1,3})(?:\.?(?P<mark>[ºª°])|(?P<er>er)\b)")
_REGNAL = re.compile(r"\b(?P<name>[A-ZÁÉÍÓÚ][a-záéíóúñ]+) (?P<r>[IVXL]{1,6})\b")
_CLOCK = re.compile(r"(?<![\w.:,])(?P<h>[01]?\d|2[0-3])[:.](?P<min>[0-5]\d)(?:\s?h\b)?(?![\d:])")
_HOURS = re.compile(r"(?<![\w.:,])(?P<h>[01]?\d|2[0-3])\s?h\b")


def dates(text: str) -> str:
    """1 de septiembre de 2024 -> "uno de septiembre de dos mil veinticuatro"; 14/07/1789 ->
    "catorce de julio de mil setecientos ochenta y nueve"."""

    def say(day: int, month: int, year: str | None, first: bool = False) -> str:
        said_day = "primero" if first else SPEECH.cardinal(day)
        spoken = f"{said_day} de {MONTHS[month - 1]}"
        return spoken + (f" de {SPEECH.cardinal(int(year))}" if year else "")

    def written(m: re.Match[str]) -> str:
        day, month = int(m.group("d")), _MONTH_NUMBERS.get(m.group("month").lower())
        if month is None or not 1 <= day <= 31:
            return m.group(0)
        return say(day, month, m.group("y"), first="º" in m.group(0))

    def numeric(m: re.Match[str]) -> str:
        day, month = int(m.group("d")), int(m.group("m"))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return m.group(0)
        return say(day, month, m.group("y"))

    return _DATE.sub(written, _NUMERIC_DATE.sub(numeric, text))


def ordinals(text: str) -> str:
    """1.º -> "primero", 2.ª -> "segunda", 3er -> "tercer"; Felipe VI -> "Felipe sexto", Alfonso
    XIII -> "Alfonso trece"; siglo XXI -> "siglo veintiuno"."""

    def arabic(m: re.Match[str]) -> str:
        n = int(m.group("n"))
        word = eu.ordinal(n, "es")
        if m.group("mark") == "ª":
            return re.sub(r"o\b", "a", word)
        if m.group("er"):
            return re.sub(r"ero$", "er", word)  # "primer", "tercer"
        return word

    def regnal(m: re.Match[str]) -> str:
        n = eu.roman_value(m.group("r"))
        if n is None or m.group("r") == "I" and m.group("name") != "siglo":
            return m.group(0)
        if m.group("name").lower() != "siglo" and n <= 10:
            return f"{m.group('name')} {eu.ordinal(n, 'es')}"
        return f"{m.group('name')} {SPEECH.cardinal(n)}"

    text = _ORDINAL.sub(arabic, text)
    text = re.sub(r"\bsiglo (?=[IVXL]+\b)", "Siglo ", text)  # the regnal rule reads centuries too
    return _REGNAL.sub(regnal, text).replace("Siglo ", "siglo ")


def times(text: str) -> str:
    """a las 14:30 -> "a las catorce y treinta"; a las 10 h -> "a las diez horas"."""

    def clock(m: re.Match[str]) -> str:
        hour, minutes = int(m.group("h")), int(m.group("min"))
        spoken = _agree(SPEECH.cardinal(hour), "hora")
        return f"{spoken} y {SPEECH.cardinal(minutes)}" if minutes else f"{spoken} horas"

    def hours(m: re.Match[str]) -> str:
        hour = int(m.group("h"))
        return f"{_agree(SPEECH.cardinal(hour), 'hora')} {'hora' if hour == 1 else 'horas'}"

    return _HOURS.sub(hours, _CLOCK.sub(clock, text))


_SHARED = eu.shared_rules(SPEECH, ABBREVIATIONS, __name__, dot="punto", at="arroba")
money = _SHARED.money
percent_and_units = _SHARED.percent_and_units
abbreviations = _SHARED.abbreviations
ranges = _SHARED.ranges
cardinals = _SHARED.cardinals
urls_and_emails = _SHARED.urls_and_emails


def symbols(text: str) -> str:
    """& -> "y"; % left over; hashtags and stray marks go."""
    text = re.sub(r"\s*%", " por ciento", text)
    return eu.symbols(text, "y", "más")


def written_date(day: date) -> str:
    """How a Spanish page writes a date: "3 de marzo de 2026"."""
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"
