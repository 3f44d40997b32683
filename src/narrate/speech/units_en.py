"""English quantities for :mod:`narrate.speech.normalize`: percentages, units of measure
("5-10 km", "1,200 sq ft", "25 pts"), sizes ("2x8 m"), multipliers ("10x"), fractions ("2 1/2",
"2½"), and feet and inches ("6'2\"")."""

from __future__ import annotations

import re

from narrate.speech.numbers_en import NUM, cardinal, number, number_value, ordinal
from narrate.speech.trace import Table

# Unit symbol after a number -> its name; "(s)" marks where the plural's s goes, else it ends
# the name. Case-sensitive; "_" stands for a space in a symbol.
_UNIT_TABLE = """
km/h kph: kilometer(s) per hour | mph: mile(s) per hour | km² sq_km: square kilometer
m² m2 sq_m: square meter | km2: square kilometer | sq_mi mi²: square mile | μm: micrometer
sq_ft ft²: square foot | sq_yd: square yard | nm: nanometer | km: kilometer | cm: centimeter
mm: millimeter | m: meter | mi: mile | yd yds: yard | kg Kg KG: kilogram | g: gram
mg: milligram | µg μg mcg: microgram | lbs lb: pound | oz: ounce | fl_oz: fluid ounce
ml: milliliter | L: liter | gal: gallon | ha: hectare | kWh: kilowatt hour
MWh: megawatt hour | GWh: gigawatt hour | TWh: terawatt hour | kW: kilowatt | MW: megawatt
GW: gigawatt | W: watt | kV: kilovolt | V: volt | mAh: milliamp hour | GB: gigabyte
MB: megabyte | TB: terabyte | °C: degree(s) Celsius | °F: degree(s) Fahrenheit | °: degree
kbps Kbps: kilobit(s) per second | Mbps mbps: megabit(s) per second
Gbps gbps: gigabit(s) per second | ms: millisecond | sec secs: second | min mins: minute
hr hrs: hour | wk wks: week | yr yrs: year | pt pts: point | bpd: barrel(s) per day
bbl: barrel | ppm: part(s) per million | ppb: part(s) per billion | dB: decibel
rpm: revolution(s) per minute | fps: frame(s) per second | mpg: mile(s) per gallon
psi: pound(s) per square inch | kcal: kilocalorie
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
_UNITS.update(
    {
        "ft": ("foot", "feet"),
        "sq ft": ("square foot", "square feet"),
        "ft²": ("square foot", "square feet"),
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
# Capital letters that are units only when glued to the number ("60W", "12V", "2L").
_GLUED_ONLY = frozenset(("W", "V", "L"))
UNIT_NAMES = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))

_SIGNED = rf"[-−+]?(?:{NUM})"
_RANGE_DASH = r"\s?(?:-|–|to)\s?"
# 5%, 5-10%, 5.25%-5.5%, 5% to 10%
_PERCENT = re.compile(
    rf"(?<![\w.])(?P<a>{_SIGNED})(?:\s?(?P<pa>%)?{_RANGE_DASH}(?P<b>{_SIGNED}))?\s?%"
)
_MEASURE = re.compile(
    rf"(?=[-−+.\d])(?<![\w.])(?P<a>{_SIGNED})"
    rf"(?:\s?(?P<unit_a>{UNIT_NAMES})?\s?(?:-|–)\s?(?P<b>{NUM}))?"
    r"(?:\s(?P<scale>thousand|million|billion|trillion))?"
    rf"(?P<sep>\s?-?|\s?/\s?)(?P<unit>{UNIT_NAMES})(?:/(?P<per>{UNIT_NAMES}))?(?![\w°²])"
)
# Sizes: "2x8 m" -> "two by eight meters".
_DIMENSIONS = re.compile(
    rf"(?=[\d.])(?<![\w.])(?P<sizes>(?:{NUM})(?:\s?[x×]\s?(?:{NUM})){{1,2}})"
    rf"\s?(?P<unit>{UNIT_NAMES})(?![\w°²/])"
)
# "10x more", "a 2x zoom": a number glued to an x, and no number after it.
_MULTIPLIER = re.compile(rf"(?<![\w.])(?P<n>{NUM})[x×](?![\w.]|\.\d)")


def percent_and_units(text: str) -> str:
    """40% -> "forty percent"; 5-10 km -> "five to ten kilometers"; a 10-km walk -> singular;
    5.25%-5.5% -> "five point two five to five point five percent"; 10x -> "ten times"."""

    def percent(m: re.Match[str]) -> str:
        if not m.group("b"):
            return f"{number(m.group('a'))} percent"
        first = number(m.group("a")) + (" percent" if m.group("pa") else "")  # "5%-10%"
        return f"{first} to {number(m.group('b'))} percent"

    def measure(m: re.Match[str]) -> str:
        unit, unit_a, per = m.group("unit"), m.group("unit_a"), m.group("per")
        if unit not in UNITS or (per and per not in UNITS) or unit_a not in (None, unit):
            return m.group(0)
        if unit in _GLUED_ONLY and m.group("sep"):
            return m.group(0)  # "108 W 55th Street", "a 2.8 V 6"
        one, many = UNITS[unit]
        a, b, scale = m.group("a"), m.group("b"), m.group("scale")
        amount = number(a) + (f" to {number(b)}" if b else "") + (f" {scale}" if scale else "")
        if "/" in m.group("sep"):
            return f"{amount} per {one}"
        per_word = f" per {UNITS[per][0]}" if per else ""  # "12kg/kg"
        before = m.string[max(0, m.start() - 4) : m.start()]
        adjective = re.search(r"(?i)\ban?\s$", before) and re.match(r"\s[a-z]", m.string[m.end() :])
        singular = "-" in m.group("sep") or adjective or (not b and number_value(a) in (1.0, -1.0))
        return f"{amount} {one if singular and '.' not in a and not scale else many}{per_word}"

    def dimensions(m: re.Match[str]) -> str:
        unit = UNITS.get(m.group("unit"))
        if unit is None:
            return m.group(0)
        sizes = re.split(r"\s?[x×]\s?", m.group("sizes"))
        return " by ".join(number(size) for size in sizes) + f" {unit[1]}"

    text = _DIMENSIONS.sub(dimensions, _PERCENT.sub(percent, text))
    text = _MEASURE.sub(measure, text)
    return _MULTIPLIER.sub(lambda m: f"{number(m.group('n'))} times", text)


# 6'2", 6′2″, 5 ft 10 in: before quotes_and_brackets, which would take the marks for quotes.
_FEET_INCHES = re.compile(
    r"(?<![\w.'])(?P<ft>\d{1,2})\s?['′’]\s?(?P<inch>\d{1,2}(?:\.\d)?)\s?(?:[\"″”]|'')"
    r"|(?<![\w.])(?P<ft2>\d{1,3})\s?′(?!\d)|(?<![\w.])(?P<in2>\d{1,3}(?:\.\d)?)\s?″"
)


def feet_and_inches(text: str) -> str:
    """6'2" -> "six feet two inches"; 10′ -> "ten feet"; 12″ -> "twelve inches"."""

    def say(m: re.Match[str]) -> str:
        feet, inches = m.group("ft") or m.group("ft2"), m.group("inch") or m.group("in2")
        parts = []
        if feet:
            parts.append(f"{number(feet)} {'foot' if feet == '1' else 'feet'}")
        if inches:
            parts.append(f"{number(inches)} {'inch' if inches == '1' else 'inches'}")
        return " ".join(parts)

    return _FEET_INCHES.sub(say, text)


# 1/2, 2 1/2 (a mixed number), 1/4th, each maybe before a unit ("4 1/2 lbs").
_FRACTION = re.compile(
    r"(?<![\w/.,])(?:(?P<whole>\d{1,3}) )?(?P<a>\d{1,2})/(?P<b>\d{1,2})(?i:st|nd|rd|th)?(?![\w/])"
    rf"(?: ?(?P<unit>{UNIT_NAMES})(?![\w°²/]))?"
)
# Unicode's fractions: "2½" is written "2 1/2" for the rule above.
_VULGAR = {
    "½": "1/2",
    "⅓": "1/3",
    "⅔": "2/3",
    "¼": "1/4",
    "¾": "3/4",
    "⅕": "1/5",
    "⅖": "2/5",
    "⅗": "3/5",
    "⅘": "4/5",
    "⅙": "1/6",
    "⅚": "5/6",
    "⅐": "1/7",
    "⅛": "1/8",
    "⅜": "3/8",
    "⅝": "5/8",
    "⅞": "7/8",
    "⅑": "1/9",
    "⅒": "1/10",
}
_VULGAR_FRACTION = re.compile(rf"(?P<whole>\d{{1,3}})?\s?(?P<f>[{''.join(_VULGAR)}])")


def _fraction(a: int, b: int) -> str:
    """(3, 4) -> "three quarters"; (1, 8) -> "one eighth"."""
    if b == 2:
        word = "half" if a == 1 else "halves"
    elif b == 4:
        word = "quarter" if a == 1 else "quarters"
    else:
        word = ordinal(b) + ("" if a == 1 else "s")
    return f"{cardinal(a)} {word}"


def _a(word: str) -> str:
    """ "half" -> "a half", "eighth" -> "an eighth"."""
    return ("an " if word[0] in "aeiou" else "a ") + word


def fractions(text: str) -> str:
    """1/2 -> "one half", 3/4 -> "three quarters", 2 1/2 and 2½ -> "two and a half", 24/7 as
    said; 1/2 kg -> "half a kilogram", 4 1/2 lbs -> "four and a half pounds"."""

    def say(m: re.Match[str]) -> str:
        whole, a, b, unit = m.group("whole"), int(m.group("a")), int(m.group("b")), m.group("unit")
        if (a, b) == (24, 7) and not whole:
            return "twenty-four seven" + (f" {unit}" if unit else "")
        if not 0 < a < b <= (16 if whole else 10) or (unit and unit not in UNITS):
            return m.group(0)
        spoken = _fraction(a, b)
        one, many = UNITS[unit] if unit else ("", "")
        if whole:  # "two and a half", "one and three quarters"
            part = _a(spoken.removeprefix("one ")) if a == 1 else spoken
            spoken = f"{cardinal(int(whole))} and {part}"
            return f"{spoken} {many}" if unit else spoken
        if not unit:
            return spoken
        if a == 1 and b == 2:
            return f"half {_a(one)}"  # "half a kilogram"
        return f"{spoken} of {_a(one)}"  # "three quarters of a mile"

    text = _VULGAR_FRACTION.sub(
        lambda m: f"{m.group('whole') + ' ' if m.group('whole') else ''}{_VULGAR[m.group('f')]}",
        text,
    )
    return _FRACTION.sub(say, text)
