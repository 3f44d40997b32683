"""Numbers written the continental way, for the German, French and Spanish rules: a decimal
comma ("3,2"), thousands by dots or spaces ("1.200", "1 200"), and the families every such
language has (money, percentages, units, ranges, the numbers left). Each language module gives
its words as a :class:`Speech` and wraps these functions in rules of its own name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from num2words import num2words

from narrate.speech.trace import Table

# 1.200 / 1 200 / 12 000 000 (thin and no-break spaces too) / 3,25 / 7. A plain space groups
# thousands when there are two groups or the group is 000 ("roughly 400 737 jets" is two
# numbers), and always where the language writes thousands so (French: "1 200").
_GROUP = r"[.\u00a0\u202f\u2009]"
_WHOLE = (
    rf"\d{{1,3}}(?:{_GROUP}\d{{3}})+(?!\d)|\d{{1,3}}(?: \d{{3}}){{2,}}(?!\d)|\d{{1,3}} 000(?!\d)"
)
NUM = rf"(?:{_WHOLE}|\d+)(?:,\d+)?"
SPACED_NUM = rf"(?:{_WHOLE}|\d{{1,3}} \d{{3}}(?![\d,])|\d+)(?:,\d+)?"


def words(text: str) -> tuple[str, ...]:
    """A table written as one string of space-separated words."""
    return tuple(text.split())


@dataclass(frozen=True)
class Speech:
    """One language's words for the shared families."""

    code: str  # for num2words
    decimal_point: str  # "Komma", "virgule", "coma"
    minus: str
    to: str  # between the ends of a range: "bis", "à", "a"
    percent: str
    digits_after_point: bool  # "drei Komma eins vier" (German) or "trois virgule quatorze"
    spaced_thousands: bool  # "1 200" is one number (French)
    units: Table[tuple[str, str]]  # symbol -> (singular, plural)
    currencies: Table[tuple[str, str, str, str]]  # sign or code -> names, and of its subunit
    scales: Table[tuple[str, str]]  # "Mio." -> ("Million", "Millionen")
    # How a number agrees with the noun after it ("eins" + "Euro" -> "ein"); default: as is.
    agree: Callable[[str, str], str] = field(default=lambda words, noun: words)
    # A currency after a scale: "Milliarden Euro", "milliard d'euros", "millones de euros".
    of_currency: Callable[[str], str] = field(default=lambda name: name)
    cents_joint: str = " "  # between the whole amount and its cents: "drei Euro fünfzig"

    def cardinal(self, n: int) -> str:
        return _cardinal(n, self.code)

    def year(self, n: int) -> str:
        return _year(n, self.code)

    @property
    def num(self) -> str:
        """The pattern of a written number in this language."""
        return SPACED_NUM if self.spaced_thousands else NUM

    @property
    def signed(self) -> str:
        return rf"[-−+]?(?:{self.num})"


@lru_cache(maxsize=4096)
def _cardinal(n: int, code: str) -> str:
    if abs(n) >= 10**15:
        return " ".join(_cardinal(int(d), code) for d in str(abs(n)))
    words = str(num2words(n, lang=code))
    if code == "de":  # "hundertzwanzig", "tausendzweihundert": as they are said
        words = re.sub(r"(?:(?<=^)|(?<=\s))ein(?=hundert|tausend)", "", words)
    if code == "es":  # "veintiuno mil" is said "veintiún mil", "treinta y uno mil" "... un mil"
        words = re.sub(r"(?<=veinti)uno(?= mil\b| millones\b)", "ún", words)
        words = re.sub(r"(?<= )uno(?= mil\b| millones\b)", "un", words)
    return words


@lru_cache(maxsize=1024)
def _year(n: int, code: str) -> str:
    return str(num2words(n, lang=code, to="year")) if code == "de" else _cardinal(n, code)


def ordinal(n: int, code: str) -> str:
    return str(num2words(n, lang=code, to="ordinal"))


def value(written: str) -> tuple[int, str]:
    """ "1.200,50" -> (1200, "50"): the whole part and the digits after the comma."""
    whole, _, fraction = re.sub(rf"{_GROUP}| ", "", written).partition(",")
    return int(whole or "0"), fraction


def number(written: str, sp: Speech, noun: str = "") -> str:
    """A written number -> words ("3,2" -> "drei Komma zwei"), agreeing with ``noun``."""
    written = written.replace("\u2212", "-")
    sign = ""
    if written[:1] in "-+":
        sign = sp.minus + " " if written[0] == "-" else "plus "
        written = written[1:]
    whole, fraction = value(written)
    if not fraction:
        return sign + sp.agree(sp.cardinal(whole), noun)
    if sp.digits_after_point or fraction.startswith("0") or len(fraction) > 2:
        after = " ".join(sp.cardinal(int(d)) for d in fraction)
    else:
        after = sp.cardinal(int(fraction))
    return f"{sign}{sp.cardinal(whole)} {sp.decimal_point} {after}"


def _unit_names(table: Mapping[str, object]) -> str:
    return "|".join(re.escape(u) for u in sorted(table, key=len, reverse=True))


def money(text: str, sp: Speech) -> str:
    """3,50 € / € 3,50 / 1,2 Mrd. € / 5 Mio. Euro -> the amount and its currency's name."""
    signs = _unit_names(sp.currencies)
    scales = _unit_names(sp.scales)
    before = _compiled(
        rf"(?<![\w.,])(?P<cur>{signs})\s?(?P<a>{sp.num})(?:\s?(?P<scale>{scales})(?!\w))?"
    )
    after = _compiled(
        rf"(?<![\w.,])(?P<a>{sp.num})(?:\s?(?P<scale>{scales}))?\s?(?P<cur>{signs})(?![\w])"
    )

    def say(m: re.Match[str]) -> str:
        names = sp.currencies.get(m.group("cur"))
        if names is None:
            return m.group(0)
        one, many, sub_one, sub_many = names
        scale = m.group("scale")
        if scale:
            scale_names = sp.scales.get(scale)
            if scale_names is None:
                return m.group(0)
            whole, fraction = value(m.group("a"))
            scale_word = scale_names[0] if whole == 1 and not fraction else scale_names[1]
            amount = number(m.group("a"), sp, scale_word)
            return f"{amount} {scale_word} {sp.of_currency(many)}"
        whole, cents = value(m.group("a"))
        if len(cents) == 1:
            cents += "0"
        if cents and (len(cents) != 2 or not sub_one):
            return f"{number(m.group('a'), sp)} {many}"
        said = sp.cardinal(whole)
        if not cents and said.endswith(
            tuple(w for pair in sp.scales.entries().values() for w in pair)
        ):
            return f"{said} {sp.of_currency(many)}"  # "douze millions d'euros"
        parts = []
        if whole or not cents:
            name = one if whole == 1 else many
            parts.append(f"{sp.agree(sp.cardinal(whole), name)} {name}")
        if cents and int(cents):
            sub = sub_one if int(cents) == 1 else sub_many
            parts.append(sp.agree(sp.cardinal(int(cents)), sub) + (f" {sub}" if not whole else ""))
        return sp.cents_joint.join(parts)

    return after.sub(say, before.sub(say, text))


def percent(text: str, sp: Speech) -> str:
    """5,5 % -> "fünf Komma fünf Prozent"; 5-10 % and 5 bis 10 % -> "fünf bis zehn Prozent"."""
    pattern = _compiled(
        rf"(?<![\w.,])(?P<a>{sp.signed})(?:\s?%?\s?(?:-|–|{sp.to})\s?(?P<b>{sp.signed}))?\s?%"
    )

    def say(m: re.Match[str]) -> str:
        b = f" {sp.to} {number(m.group('b'), sp)}" if m.group("b") else ""
        return f"{number(m.group('a'), sp)}{b} {sp.percent}"

    return pattern.sub(say, text)


def units(text: str, sp: Speech) -> str:
    """120 km/h -> "hundertzwanzig Kilometer pro Stunde"; 5-10 km -> "fünf bis zehn ..."."""
    names = _unit_names(sp.units)
    words = _unit_names(
        {k: v for k, v in sp.scales.entries().items() if len(k) > 2}
    )  # "2,7 km": no "k"
    pattern = _compiled(
        rf"(?<![\w.,])(?P<a>{sp.signed})(?:\s?(?:-|–|{sp.to})\s?(?P<b>{sp.num}))?"
        rf"(?:\s(?P<scale>{words}))?\s?(?P<unit>{names})(?![\w°²³/])"
    )

    def say(m: re.Match[str]) -> str:
        unit = sp.units.get(m.group("unit"))
        if unit is None:
            return m.group(0)
        one, many = unit
        a, b, scale = m.group("a"), m.group("b"), m.group("scale")
        whole, fraction = value(a.lstrip("-+−"))
        name = one if whole == 1 and not fraction and not b and not scale else many
        amount = number(a, sp, name) + (f" {sp.to} {number(b, sp, name)}" if b else "")
        if scale:
            scale_names = sp.scales.get(scale)
            amount += f" {scale_names[1] if scale_names else scale}"
        return f"{amount} {name}"

    return pattern.sub(say, text)


_RANGE = re.compile(
    r"(?<![\w.,\-–−])(?P<a>\d{1,4}(?:,\d+)?)\s?[-–]\s?(?P<b>\d{1,4}(?:,\d+)?)(?![\w\-–]|[.,]\d)"
)
_YEAR = re.compile(r"1\d{3}|20\d{2}")


def ranges(text: str, sp: Speech) -> str:
    """3-5 -> "drei bis fünf"; 2020-2024 -> years, "zweitausendzwanzig bis ..."."""

    def say(m: re.Match[str]) -> str:
        a, b = m.group("a"), m.group("b")
        if _YEAR.fullmatch(a) and _YEAR.fullmatch(b):
            return f"{sp.year(int(a))} {sp.to} {sp.year(int(b))}"
        return f"{number(a, sp)} {sp.to} {number(b, sp)}"

    return _RANGE.sub(say, text)


def cardinals(text: str, sp: Speech) -> str:
    """Every number left: "3,2 Millionen" -> "drei Komma zwei Millionen"; -4 -> "minus vier"."""
    pattern = _compiled(rf"(?<![\w.,])(?P<sign>[-−+](?=\d))?(?P<n>{sp.num})(?P<after>\s\w+)?")

    def say(m: re.Match[str]) -> str:
        sign, after = m.group("sign") or "", m.group("after") or ""
        if sign and m.start() > 0 and m.string[m.start() - 1].isalnum():
            return m.group(0)  # "F-16": a hyphen
        return number(sign + m.group("n"), sp, after.strip()) + after

    text = pattern.sub(say, text)
    return re.sub(r"(?<=[^\W\d])(\d)", r" \1", text)  # "G7": the letter, then the number


def symbols(text: str, and_word: str, plus_word: str = "plus") -> str:
    """& -> "und"/"et"/"y", + -> "plus"; hashtags, slashes and stray marks go."""
    text = re.sub(r"\s*&\s*", f" {and_word} ", text)
    text = re.sub(r"\s*\+\s*", f" {plus_word} ", text)
    text = re.sub(r"(?<!\w)[#@](?=\w)", "", text)
    text = re.sub(r"(?<=\w)/(?=\w)", " ", text)
    return re.sub(r"[*_|~^\\<>=/#]", " ", text)


def abbreviations(text: str, table: Table[str]) -> str:
    """Each written abbreviation (a pattern with its dot) -> its words; a final dot stays."""
    for pattern in table:
        compiled = _compiled(pattern)

        def replace(m: re.Match[str], pattern: str = pattern) -> str:
            spoken = table.get(pattern)
            if spoken is None:
                return m.group(0)
            rest = m.string[m.end() : m.end() + 3]
            final = m.group(0).endswith(".") and not rest.strip(" \"')”’»")
            return spoken + ("." if final and not spoken.endswith(".") else "")

        text = compiled.sub(replace, text)
    return text


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_value(numeral: str) -> int | None:
    """ "XIV" -> 14 (up to 89); None when it is not a well-formed numeral."""
    if not re.fullmatch(r"(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})", numeral) or not numeral:
        return None
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@dataclass(frozen=True)
class SharedRules:
    """The families every continental language has, as rules named after its module."""

    money: Callable[[str], str]
    percent_and_units: Callable[[str], str]
    abbreviations: Callable[[str], str]
    ranges: Callable[[str], str]
    cardinals: Callable[[str], str]
    urls_and_emails: Callable[[str], str]


def shared_rules(
    sp: Speech, abbreviation_table: Table[str], module: str, dot: str, at: str
) -> SharedRules:
    """The shared families with ``sp``'s words, each a rule of ``module`` (how --explain and the
    benchmark name it: "german.money")."""

    def rule(name: str, apply: Callable[[str], str], doc: str) -> Callable[[str], str]:
        def run(text: str) -> str:
            return apply(text)

        run.__name__ = run.__qualname__ = name
        run.__module__, run.__doc__ = module, doc
        return run

    return SharedRules(
        money=rule("money", lambda t: money(t, sp), "3,50 € and 1,2 Mrd. € -> words"),
        percent_and_units=rule(
            "percent_and_units", lambda t: units(percent(t, sp), sp), "5,5 % and 120 km/h"
        ),
        abbreviations=rule(
            "abbreviations", lambda t: abbreviations(t, abbreviation_table), "Dr., z. B., Nr."
        ),
        ranges=rule("ranges", lambda t: ranges(t, sp), "3-5 and 2020-2024"),
        cardinals=rule("cardinals", lambda t: cardinals(t, sp), "every number left"),
        urls_and_emails=rule(
            "urls_and_emails", lambda t: urls_and_emails(t, dot, at), "an address: its site"
        ),
    )


def say_host(host: str, dot: str) -> str:
    return f" {dot} ".join(label for label in host.split(".") if label)


_URL = re.compile(
    r"(?<![\w.-])(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]"
    r"|(?<![\w.-])[A-Za-z][\w-]{0,62}(?:\.[\w-]{1,63}){0,8}"
    r"\.(?:com|org|net|de|at|ch|fr|be|es|eu|info|io|gov|int)\b(?:/[^\s<>\"]*[^\s<>\".,;:!?)\]])?"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")


def urls_and_emails(text: str, dot: str, at: str) -> str:
    """An address is said as its site ("tagesschau Punkt de"); paths are dropped."""
    text = _EMAIL.sub(lambda m: f" {at} ".join(say_host(p, dot) for p in m[0].split("@", 1)), text)

    def site(m: re.Match[str]) -> str:
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0), flags=re.I)
        return say_host(re.split(r"[/?#:]", host)[0], dot)

    return _URL.sub(site, text)
