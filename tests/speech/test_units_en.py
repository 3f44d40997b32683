"""English quantities (issue 13: "5.25%-5.5%" was "...percentminus...", "2½" "two a half",
"6'2\"" "six'two", "25 pts", "32 mins", "1,200 sq ft" letters, "10x" "ten ex")."""

from __future__ import annotations

import pytest

from narrate.speech.normalize import normalize


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # percentages and their ranges
        ("5.25%-5.5%", "five point two five percent to five point five percent"),
        ("5%-10%", "five percent to ten percent"),
        (
            "from 39.7% to 41.4%",
            "from thirty-nine point seven percent to forty-one point four percent",
        ),
        ("5-10%", "five to ten percent"),
        ("-0.5%", "minus zero point five percent"),
        # count abbreviations and other units
        ("25 pts", "twenty-five points"),
        ("1 pt", "one point"),
        ("32 mins", "thirty-two minutes"),
        ("1 min", "one minute"),
        ("3 hrs", "three hours"),
        ("90 secs", "ninety seconds"),
        ("5 yrs", "five years"),
        ("1,200 sq ft", "one thousand two hundred square feet"),
        ("40 sq m", "forty square meters"),
        ("300 ft²", "three hundred square feet"),
        ("12 oz", "twelve ounces"),
        ("5 mi", "five miles"),
        ("2 gal", "two gallons"),
        ("100 ppm", "one hundred parts per million"),
        ("3,000 rpm", "three thousand revolutions per minute"),
        ("2m bpd", "two million barrels per day"),
        ("24 m above", "twenty-four meters above"),
        ("a 5m wall", "a five meter wall"),
        ("5km-10km", "five to ten kilometers"),
        # single capitals are units only when glued to the number
        ("a 60W bulb", "a sixty watt bulb"),
        ("12V", "twelve volts"),
        ("at 108 W 55th Street", "at one hundred eight W fifty-fifth Street"),
        # multipliers
        ("10x more", "ten times more"),
        ("a 2.5x rise", "a two point five times rise"),
        ("3×", "three times"),
        ("2x8 m", "two by eight meters"),  # sizes stay sizes
        # feet and inches
        ("he is 6'2\"", "he is six feet two inches"),
        ("6′2″", "six feet two inches"),
        ("a 10′ pole", "a ten feet pole"),
        ("a 12″ pizza", "a twelve inches pizza"),
        # Unicode fractions
        ("2½", "two and a half"),
        ("2½ cups", "two and a half cups"),
        ("2 ½ cups", "two and a half cups"),
        ("½", "one half"),
        ("¾ of voters", "three quarters of voters"),
        ("1¼ miles", "one and a quarter miles"),
        ("⅓", "one third"),
    ],
)
def test_units(written: str, spoken: str) -> None:
    assert normalize(written) == spoken
