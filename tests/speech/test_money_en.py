"""English money (issue 13: "$80/barrel" lost its "per")."""

from __future__ import annotations

import pytest

from narrate.speech.normalize import normalize


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("$80/barrel", "eighty dollars per barrel"),
        ("$4.50/gallon", "four dollars and fifty cents per gallon"),
        ("€2/kg", "two euros per kilogram"),
        ("$20/mo", "twenty dollars per month"),
        ("$15/hr", "fifteen dollars per hour"),
        ("$0.5/hr", "fifty cents per hour"),
        ("$20.5", "twenty dollars and fifty cents"),
        # scales on both sides of a range
        ("$2bn-$3bn", "two to three billion dollars"),
        ("$500m-$1.2bn", "five hundred million to one point two billion dollars"),
        ("€2-3m", "two to three million euros"),
        # currency codes before or after the amount
        ("USD 5m", "five million U S dollars"),
        ("500 EUR", "five hundred euros"),
        ("CHF 1", "one Swiss franc"),
        ("GBP 2.5bn", "two point five billion pounds"),
        # small change
        ("a 50p coin", "a fifty pence coin"),
        ("1p", "one penny"),
        ("99¢", "ninety-nine cents"),
    ],
)
def test_money(written: str, spoken: str) -> None:
    assert normalize(written) == spoken
