"""English month names, one table for every stage: what intake parses and speech says.

(Other languages' month names come with their spoken-form rules.)
"""

from __future__ import annotations

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Each month by its name, its three-letter abbreviation and "sept", in lower case.
MONTH_NUMBERS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(MONTHS, start=1)},
    **{name.lower()[:3]: number for number, name in enumerate(MONTHS, start=1)},
    "sept": 9,
}
# The names above as a regular expression's alternation, longest first (``March`` before
# ``Mar``); use it case-blind: ``(?i:...)``.
MONTH_NAMES = "|".join(sorted(MONTH_NUMBERS, key=lambda name: (-len(name), name)))


def month_number(name: str) -> int | None:
    """1 to 12 for a month's name or abbreviation (a trailing dot allowed), else None."""
    return MONTH_NUMBERS.get(name.lower().rstrip("."))


def month_name(number: int) -> str:
    """The month's English name: 3 -> "March" (never the C library's locale)."""
    return MONTHS[number - 1]
