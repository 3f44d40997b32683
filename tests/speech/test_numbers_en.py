"""English numbers: scales glued to numbers, years or counts (issue 13: "1.5m people" was "one
point five m people", "1990 protesters" a year)."""

from __future__ import annotations

import pytest

from narrate.speech.normalize import normalize


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # a scale glued to a number
        ("1.5m people", "one point five million people"),
        ("3m viewers", "three million viewers"),
        ("2bn", "two billion"),
        ("3.5tn", "three point five trillion"),
        ("10k people", "ten thousand people"),
        ("a 5k run", "a five K run"),
        ("the 100m hurdles", "the one hundred meters hurdles"),  # meters, not millions
        ("5m tall", "five meters tall"),
        # a bare 1000-2099: a year, or a count of people
        ("1990 protesters", "one thousand nine hundred ninety protesters"),
        ("some 1990 protesters", "some one thousand nine hundred ninety protesters"),
        ("about 1500 demonstrators", "about one thousand five hundred demonstrators"),
        ("in 1990 protesters marched", "in nineteen ninety protesters marched"),
        ("the 2024 elections", "the twenty twenty-four elections"),
        ("including 1992 productions", "including nineteen ninety-two productions"),
        ("Ukraine's 2024 budget", "Ukraine's twenty twenty-four budget"),
        # decimal ranges
        ("331.1-3", "three hundred thirty-one point one to three"),
        ("1.5-2.5", "one point five to two point five"),
    ],
)
def test_numbers(written: str, spoken: str) -> None:
    assert normalize(written) == spoken
