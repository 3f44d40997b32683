"""English numbers read digit by digit, for :mod:`narrate.speech.normalize`: phone numbers
(American, British, international), extensions, codes in dashed groups (ISBNs), IP addresses
and versions."""

from __future__ import annotations

import re

from narrate.speech.numbers_en import cardinal, digits


def _groups(written: str) -> str:
    """ "+44 (0)20 7946-0958" -> "plus four four, two zero, seven nine four six, ..." """
    spoken = [digits(group) for group in re.findall(r"\d+", written.replace("(0)", ""))]
    return ("plus " if written.lstrip().startswith("+") else "") + ", ".join(spoken)


# +44 20 7946 0958, +44 (0)20 7946 0958, +1-212-555-0100, +33 1 23 45 67 89: a country code,
# then groups; 020 7946 0958, 0161 496 0000, 07700 900123, (020) 7946 0958: a British trunk 0.
_INTERNATIONAL = re.compile(
    r"(?<![\w+])\+\d{1,3}(?:\s?\(0\)\s?\d{1,5})?(?:[\s.-]\(?\d{1,5}\)?){1,5}(?![\w-]|[.,]\d)"
)
_TRUNK = re.compile(r"(?<![\w.,-])\(?0\d{2,4}\)?[\s-]\d{3,4}[\s-]?\d{3,4}(?![\w-]|[.,]\d)")
# (212) 555-1234, (123)-123-5678: the American area code in brackets.
_AREA_CODE = re.compile(r"(?<![\w-])\(\d{3}\)[\s-]?\d{3}-\d{4}(?![\w-])")


def international_phones(text: str) -> str:
    """+44 20 7946 0958 and 020 7946 0958: digit by digit, a pause between groups (before
    the thousands rule, which would read "7946 0958" as numbers)."""

    def say(m: re.Match[str]) -> str:
        count = sum(c.isdigit() for c in m.group(0))
        return _groups(m.group(0)) if 8 <= count <= 15 else m.group(0)

    text = _AREA_CODE.sub(lambda m: _groups(m.group(0)), text)
    return _TRUNK.sub(say, _INTERNATIONAL.sub(say, text))


# After quotes_and_brackets: "(212) 555-1234" arrives as ", 212, 555-1234"; 212.555.1234 too.
_PHONE = re.compile(
    r"(?<![\w-])(?:\d{3},?\s+|\d{3}-)?\d{3}-\d{4}(?![\w-])|(?<![\w.])\d{3}\.\d{3}\.\d{4}(?![\w.])"
)
_EXTENSION = re.compile(r"\b(?i:ext)\.?\s?(?P<n>\d{1,6})\b")


def phone_numbers(text: str) -> str:
    """555-1234 and (212) 555-1234 digit by digit, in their groups; ext. 204 -> "extension two
    zero four"."""
    text = _PHONE.sub(lambda m: _groups(m.group(0)), text)
    return _EXTENSION.sub(lambda m: f"extension {digits(m.group('n'))}", text)


_DASHED_GROUPS = re.compile(r"(?<![\w.,\-–])\d+(?:[-–]\d+){2,}(?![\w\-–])")


def dashed_groups(text: str) -> str:
    """978-0-313 (an ISBN, a case number) -> "nine seven eight, zero, three one three"."""
    return _DASHED_GROUPS.sub(lambda m: ", ".join(digits(g) for g in re.split("[-–]", m[0])), text)


# 192.168.0.1: four numbers up to 255, read as an address is read.
_IP_ADDRESS = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.]|\.\d)")
_VERSION = re.compile(r"(?<![\w.,])\d+(?:\.\d+){2,}(?![\w.]|,\d)")


def versions(text: str) -> str:
    """1.1.3 -> "one point one point three" (versions, not a decimal); 192.168.0.1 -> "one nine
    two dot one six eight dot zero dot one"."""

    def address(m: re.Match[str]) -> str:
        groups = m.group(0).split(".")
        if any(int(g) > 255 for g in groups):
            return m.group(0)
        return " dot ".join(digits(g) for g in groups)

    text = _IP_ADDRESS.sub(address, text)
    return _VERSION.sub(
        lambda m: " point ".join(cardinal(int(g)) for g in m.group(0).split(".")), text
    )
