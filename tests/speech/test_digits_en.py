"""Numbers read digit by digit (issue 13: UK phone numbers were grouped as numbers, "ext. 204"
was "ext. two hundred four")."""

from __future__ import annotations

import pytest

from narrate.speech.normalize import normalize


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # British and international phone numbers
        ("+44 20 7946 0958", "plus four four, two zero, seven nine four six, zero nine five eight"),
        (
            "+44 (0)20 7946 0958",
            "plus four four, two zero, seven nine four six, zero nine five eight",
        ),
        ("020 7946 0958", "zero two zero, seven nine four six, zero nine five eight"),
        ("0161 496 0000", "zero one six one, four nine six, zero zero zero zero"),
        ("07700 900123", "zero seven seven zero zero, nine zero zero one two three"),
        ("+1 212 555 0100", "plus one, two one two, five five five, zero one zero zero"),
        ("+33 1 23 45 67 89", "plus three three, one, two three, four five, six seven, eight nine"),
        # American ones
        ("(212) 555-1234", "two one two, five five five, one two three four"),
        ("212-555-1234", "two one two, five five five, one two three four"),
        ("212.555.1234", "two one two, five five five, one two three four"),
        # extensions
        ("call ext. 204", "call extension two zero four"),
        ("ext 12", "extension one two"),
        # IP addresses, versions
        ("at 192.168.0.1", "at one nine two dot one six eight dot zero dot one"),
        ("version 1.1.3", "version one point one point three"),
        ("999.1.1.1", "nine hundred ninety-nine point one point one point one"),  # no address
        # not phone numbers
        ("about 10 000 troops", "about ten thousand troops"),
        (
            "in 2024 7946 people",
            "in twenty twenty-four seven thousand nine hundred forty-six people",
        ),
    ],
)
def test_digits(written: str, spoken: str) -> None:
    assert normalize(written) == spoken
