"""English money for :mod:`narrate.speech.normalize`: "$5.50", "£1.2bn", "€2-3m", "USD 5m",
"$80/barrel", "50p", "99¢"."""

from __future__ import annotations

import re

from narrate.speech.numbers_en import NUM, cardinal, number
from narrate.speech.trace import Table
from narrate.speech.units_en import UNITS

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
# ISO 4217 codes written before or after an amount ("USD 5m", "500 EUR"): singular, plural.
CODES = Table(
    "currency_codes",
    {
        "USD": ("U.S. dollar", "U.S. dollars"),
        "EUR": ("euro", "euros"),
        "GBP": ("pound", "pounds"),
        "JPY": ("yen", "yen"),
        "CNY": ("yuan", "yuan"),
        "CHF": ("Swiss franc", "Swiss francs"),
        "CAD": ("Canadian dollar", "Canadian dollars"),
        "AUD": ("Australian dollar", "Australian dollars"),
        "INR": ("rupee", "rupees"),
        "RUB": ("ruble", "rubles"),
        "UAH": ("hryvnia", "hryvnias"),
    },
)

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

# A price's period after a slash ("$20/mo") -> the word; any other word is said after "per".
PERIODS = {
    "hr": "hour",
    "h": "hour",
    "d": "day",
    "wk": "week",
    "mo": "month",
    "yr": "year",
}

_SCALE = rf"(?i:{'|'.join(SCALES)})\b"
_MONEY = re.compile(
    rf"(?<![\w$])(?P<prefix>US|A|C|HK|NZ)?(?P<sign>[{''.join(CURRENCIES)}])\s?(?P<a>{NUM})"
    rf"(?:\s?(?P<scale_a>{_SCALE}))?"
    rf"(?:\s?(?:-|–|to)\s?(?P=sign)?(?P<b>{NUM}))?"
    rf"(?:\s?(?P<scale>{_SCALE}))?"
    r"(?:\s?/\s?(?P<per>[A-Za-z]{1,12})\b)?"
)
_CODE = "|".join(CODES)
_CODED = re.compile(
    rf"\b(?P<code>{_CODE})\s?(?P<a>{NUM})(?:\s?(?P<scale>{_SCALE}))?(?!\w)"
    rf"|(?<![\w.,])(?P<a2>{NUM})(?:\s?(?P<scale2>{_SCALE}))?\s(?P<code2>{_CODE})\b"
)
_SMALL_CHANGE = re.compile(r"(?<![\w.,£$€])(?P<n>\d{1,2})(?:p\b(?!\.\d)|\s?¢)")


def money(text: str) -> str:
    """$5.50 -> "five dollars and fifty cents"; $1.2bn -> "one point two billion dollars";
    $80/barrel -> "eighty dollars per barrel"; USD 5m -> "five million U.S. dollars"."""

    def say(m: re.Match[str]) -> str:
        return amount(m) + _per(m.group("per"))

    def amount(m: re.Match[str]) -> str:
        one, many, sub_one, sub_many = CURRENCIES[m.group("sign")]
        if _is_adjective(m):
            many, sub_many = one, sub_one  # an adjective: "a $5 million deal", "a $20 bill"
        if m.group("sign") == "$" and m.group("prefix"):
            one, many = (DOLLAR_PREFIXES[m.group("prefix")] + w for w in (one, many))
        a, b = m.group("a").rstrip(","), m.group("b")
        scale_a, scale = m.group("scale_a"), m.group("scale")
        if b:  # a range: "$50.00-$100.00" is "fifty to one hundred dollars"
            a, b = a.removesuffix(".00"), b.removesuffix(".00")
            if not (scale or scale_a) and sub_one and _CENTS.search(a + " " + b):
                # "$150.25-$250.67": each amount in full, "... cents to ... dollars and ..."
                return " to ".join(_say_amount(x, (one, many, sub_one, sub_many)) for x in (a, b))
        elif scale_a:
            scale = scale_a
        if scale or b:
            first = number(a)
            if scale_a and b and SCALES[scale_a.lower()] != SCALES[(scale or scale_a).lower()]:
                first += f" {SCALES[scale_a.lower()]}"  # "$500m-$1.2bn"
            spoken = first + (f" to {number(b)}" if b else "")
            scale_word = f" {SCALES[scale.lower()]}" if scale else ""
            return f"{spoken}{scale_word} {many}"
        return _say_amount(a, (one, many, sub_one, sub_many))

    def coded(m: re.Match[str]) -> str:
        code = m.group("code") or m.group("code2")
        names = CODES.get(code)
        if names is None:
            return m.group(0)
        a, scale = m.group("a") or m.group("a2"), m.group("scale") or m.group("scale2")
        scale_word = f" {SCALES[scale.lower()]}" if scale else ""
        many = names[0] if (number(a) == "one" and not scale) or _is_adjective(m) else names[1]
        return f"{number(a)}{scale_word} {many}"

    def small_change(m: re.Match[str]) -> str:
        n = int(m.group("n"))
        if m.group(0).endswith("p"):
            return f"{cardinal(n)} {'penny' if n == 1 else 'pence'}"
        return f"{cardinal(n)} {'cent' if n == 1 else 'cents'}"

    text = _MONEY.sub(say, text)
    return _SMALL_CHANGE.sub(small_change, _CODED.sub(coded, text))


def _is_adjective(m: re.Match[str]) -> bool:
    """ "a $5 million deal", "a $20 bill": the amount describes the noun after it."""
    before, after = m.string[max(0, m.start() - 4) : m.start()], m.string[m.end() : m.end() + 2]
    return bool(re.search(r"(?i)\ban?\s+$", before) and re.match(r"\s+[a-z]", after))


def _per(written: str | None) -> str:
    """After a price's slash: "/mo" -> " per month", "/kg" -> " per kilogram", "/barrel"."""
    if not written:
        return ""
    unit = UNITS.get(written)
    word = PERIODS.get(written) or (unit[0] if unit else written)
    return f" per {word}"


_CENTS = re.compile(r"\.\d\d\b")


def _say_amount(written: str, names: tuple[str, str, str, str]) -> str:
    """ "5.50" with the dollar's names -> "five dollars and fifty cents"."""
    one, many, sub_one, sub_many = names
    whole, _, cents = written.replace(",", "").partition(".")
    if len(cents) == 1 and sub_one:
        cents += "0"  # "$0.5" is fifty cents
    if cents and (len(cents) != 2 or not sub_one):
        return f"{number(written)} {many}"
    units, hundredths = int(whole or "0"), int(cents or "0")
    parts = []
    if units or not hundredths:
        parts.append(f"{cardinal(units)} {one if units == 1 else many}")
    if hundredths:
        parts.append(f"{cardinal(hundredths)} {sub_one if hundredths == 1 else sub_many}")
    return " and ".join(parts)
