"""English dates for :mod:`narrate.speech.normalize`: "Dec. 14, 2024", "14 December 2024",
"2024-12-14", "3-5 June 2024", "June 3-5", "Jan-15-2020", "Q3 2024", "FY24"."""

from __future__ import annotations

import re

from narrate.months import MONTH_NAMES, month_name, month_number
from narrate.speech.numbers_en import cardinal, keep_final_period, ordinal, year

_MONTH = rf"(?P<month>(?i:{MONTH_NAMES}))"
_YEAR = r"(?P<year>1\d{3}|20\d{2})(?!\d)"
_WEEKDAYS = {
    "Mon": "Monday",
    "Tue": "Tuesday",
    "Tues": "Tuesday",
    "Wed": "Wednesday",
    "Thu": "Thursday",
    "Thur": "Thursday",
    "Thurs": "Thursday",
    "Fri": "Friday",
    "Sat": "Saturday",
    "Sun": "Sunday",
}
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s?,?\s+{_YEAR})?(?!:\d)"
)
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b\.?(?:\s?,?\s+{_YEAR})?"
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\b\.?\s?,?\s+{_YEAR}")
_ISO_DATE = re.compile(r"\b(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})\b")
# 14-04-2014 (day first when the first number can't be a month), else 12/14/2024 (US order).
_NUMERIC_DATE = re.compile(
    r"(?<![\w.,/-])(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)"
    r"(?:(?P<year>\d{4})|(?<=/)(?P<yy>\d{2}))(?![\w/-]|[.,]\d)"
)
_WEEKDAY = re.compile(rf"\b({'|'.join(_WEEKDAYS)})\.(?=,?\s+(?:{_MONTH}|\d))")
_DAY = r"(?P<{0}>\d{{1,2}})(?:st|nd|rd|th)?"
# 3-5 June 2024, 3 to 5 June; June 3-5, 2024; and the day glued to a month by dashes
_DAYS_MONTH = re.compile(
    rf"\b{_DAY.format('d1')}\s?(?P<sep>[-–]|to|and)\s?{_DAY.format('d2')}\s+(?:of\s+)?{_MONTH}\b\.?"
    rf"(?:\s?,?\s+{_YEAR})?"
)
_MONTH_DAYS = re.compile(
    rf"\b{_MONTH}\.?\s+{_DAY.format('d1')}\s?[-–]\s?{_DAY.format('d2')}\b(?:,?\s+{_YEAR})?(?!:\d)"
)
_DASHED = re.compile(
    rf"(?<!\d )\b{_MONTH}-(?P<day>\d{{1,2}})(?:-{_YEAR})?\b"
    rf"|\b(?P<day2>\d{{1,2}})-(?P<month2>(?i:{MONTH_NAMES}))-(?P<year2>1\d{{3}}|20\d{{2}})\b"
)
_ANY_MONTH = re.compile(rf"\b(?i:{MONTH_NAMES})\b")
_MONTH_WORDS = "|".join(month_name(n) for n in range(1, 13))
# "May thirtieth-June second", "the thirtieth of May-the second of June": the dash says "to".
_DATE_DASH = re.compile(
    rf"(?P<w>\w(?:first|second|third|th)|\b(?:{_MONTH_WORDS}))\s?[-–]\s?"
    rf"(?=(?:{_MONTH_WORDS})\b|the\b)"
)


def _month(m: re.Match[str]) -> str:
    return month_name(month_number(m.group("month")) or 1)


def _is_month(m: re.Match[str]) -> bool:
    """Lowercase "may" and "mar" are verbs, not months, unless a day and a year stand around."""
    written = m.group("month") not in ("may", "mar", "march")
    return written or bool(m.groupdict().get("day") and m.groupdict().get("year"))


def _say_year(m: re.Match[str]) -> str:
    return year(int(m.group("year"))) if m.group("year") else ""


def dates(text: str) -> str:
    """Dec. 14, 2024 / 14 December 2024 / 2024-12-14 / December 2024 -> words."""

    def month_day(m: re.Match[str]) -> str:
        day = int(m.group("day"))
        if not (1 <= day <= 31 and _is_month(m)):
            return m.group(0)
        year = f", {_say_year(m)}" if m.group("year") else ""
        return f"{_month(m)} {ordinal(day)}{year}"

    def day_month(m: re.Match[str]) -> str:
        day = int(m.group("day"))
        if not (1 <= day <= 31 and _is_month(m)):
            return m.group(0)
        year = f" {_say_year(m)}" if m.group("year") else ""
        article = "" if m.string[max(0, m.start() - 4) : m.start()].lower() == "the " else "the "
        return keep_final_period(m, f"{article}{ordinal(day)} of {_month(m)}{year}")

    def iso(m: re.Match[str]) -> str:
        month, day = int(m.group("month")), int(m.group("day"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m.group(0)
        return f"{month_name(month)} {ordinal(day)}, {year(int(m.group('year')))}"

    text = _WEEKDAY.sub(lambda m: _WEEKDAYS[m.group(1)], text)

    def numeric(m: re.Match[str]) -> str:
        """Day first when the first number can't be a month, or written with - or . (the
        European way; said day first too), else month first (12/14/2024, the US way)."""
        a, b = int(m.group("a")), int(m.group("b"))
        day_first = a > 12 or (m.group("sep") != "/" and b <= 12)
        day, month = (a, b) if day_first else (b, a)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m.group(0)
        if m.group("yy"):
            yy = int(m.group("yy"))
            said_year = f"oh {cardinal(yy)}" if yy < 10 else cardinal(yy)
        else:
            said_year = year(int(m.group("year")))
        if day_first:
            return keep_final_period(m, f"the {ordinal(day)} of {month_name(month)} {said_year}")
        return f"{month_name(month)} {ordinal(day)}, {said_year}"

    def days_month(m: re.Match[str]) -> str:
        first, last = int(m.group("d1")), int(m.group("d2"))
        if not (1 <= first < last <= 31 and _is_month(m)):
            return m.group(0)
        year = f" {_say_year(m)}" if m.group("year") else ""
        article = "" if m.string[max(0, m.start() - 4) : m.start()].lower() == "the " else "the "
        joint = "and" if m.group("sep") == "and" else "to"
        days = f"{article}{ordinal(first)} {joint} the {ordinal(last)}"
        return keep_final_period(m, f"{days} of {_month(m)}{year}")

    def month_days(m: re.Match[str]) -> str:
        first, last = int(m.group("d1")), int(m.group("d2"))
        if not (1 <= first < last <= 31 and _is_month(m)):
            return m.group(0)
        year = f", {_say_year(m)}" if m.group("year") else ""
        return f"{_month(m)} {ordinal(first)} to {ordinal(last)}{year}"

    def dashed(m: re.Match[str]) -> str:
        day = int(m.group("day") or m.group("day2"))
        month = month_number(m.group("month") or m.group("month2"))
        written_year = m.group("year") or m.group("year2")
        if month is None or not 1 <= day <= 31:
            return m.group(0)
        if m.group("day2"):  # written day first: said day first, as "14 December 2024" is
            return f"the {ordinal(day)} of {month_name(month)} {year(int(written_year))}"
        said = f"{month_name(month)} {ordinal(day)}"
        return f"{said}, {year(int(written_year))}" if written_year else said

    text = _ISO_DATE.sub(iso, text)
    text = _NUMERIC_DATE.sub(numeric, text)
    if not _ANY_MONTH.search(text):
        return text  # most sentences: the month patterns below would each scan it for nothing
    if "-" in text or "–" in text:
        text = _DASHED.sub(dashed, text)
    text = _DAYS_MONTH.sub(days_month, _MONTH_DAYS.sub(month_days, text))
    text = _MONTH_DAY.sub(month_day, text)
    text = _DAY_MONTH.sub(day_month, text)
    text = _MONTH_YEAR.sub(
        lambda m: f"{_month(m)} {_say_year(m)}" if _is_month(m) else m.group(0), text
    )
    return _DATE_DASH.sub(r"\g<w> to ", text)


# Q3 2024, 2Q22, Q3'24, H1 2025, "in Q1": a quarter or a half of a year. Without a year, only
# after a word that says a time ("in Q1", "the Q3 results"), not in a name ("Audi Q3").
_PERIOD = re.compile(
    r"\b(?:(?P<kind>[QH])(?P<n>[1-4])|(?P<n2>[1-4])(?P<kind2>[QH]))"
    r"(?:(?P<yy>\d{2})\b|\s?(?P<year>(?:19|20)\d{2})\b|\s?'(?P<short>\d{2})\b|\b)"
)
_FISCAL = re.compile(r"\bFY\s?'?(?P<year>(?:19|20)?\d{2})\b")
_TIME_WORD = re.compile(r"(?i)\b(?:in|the|of|during|for|by|since|last|next|this|each|every)\s$")


def periods(text: str) -> str:
    """Q3 2024 -> "the third quarter of twenty twenty-four"; H1 -> "the first half"; FY24 ->
    "fiscal year twenty twenty-four"."""

    def say(m: re.Match[str]) -> str:
        kind, n = m.group("kind") or m.group("kind2"), int(m.group("n") or m.group("n2"))
        short = m.group("yy") or m.group("short")
        written = m.group("year") or (f"20{short}" if short else None)
        before = m.string[max(0, m.start() - 8) : m.start()]
        if (kind == "H" and n > 2) or not (written or _TIME_WORD.search(before)):
            return m.group(0)
        part = "quarter" if kind == "Q" else "half"
        article = "" if before.lower().endswith("the ") else "the "
        of_year = f" of {year(int(written))}" if written else ""
        return f"{article}{ordinal(n)} {part}{of_year}"

    def fiscal(m: re.Match[str]) -> str:
        written = m.group("year")
        return f"fiscal year {year(int(written if len(written) == 4 else '20' + written))}"

    return _FISCAL.sub(fiscal, _PERIOD.sub(say, text))
