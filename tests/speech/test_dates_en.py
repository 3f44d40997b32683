"""English dates: ranges of days, dashed dates, quarters and fiscal years (issue 13: "3-5 June
2024" was "three-the fifth of June")."""

from __future__ import annotations

import pytest

from narrate.speech.normalize import normalize


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # a range of days before or after the month
        ("3-5 June 2024", "the third to the fifth of June twenty twenty-four"),
        ("on 3–5 June", "on the third to the fifth of June"),
        ("from 3 to 5 June", "from the third to the fifth of June"),
        ("the 3rd-5th of June", "the third to the fifth of June"),
        ("between 3 and 5 June", "between the third and the fifth of June"),
        ("June 3-5", "June third to fifth"),
        ("June 3-5, 2024", "June third to fifth, twenty twenty-four"),
        ("Sept. 28-30", "September twenty-eighth to thirtieth"),
        # across months: the dash between two dates says "to"
        ("30 May-2 June 2024", "the thirtieth of May to the second of June twenty twenty-four"),
        ("May 30-June 2", "May thirtieth to June second"),
        ("the May-June period", "the May to June period"),
        ("in the mid-June heat", "in the mid-June heat"),  # a prefix, not a range
        # not a range of days
        ("5-3 June", "five-the third of June"),
        # dashed dates, and ISO dates with one-digit months
        ("Jan-15-2020", "January fifteenth, twenty twenty"),
        ("15-Jan-2020", "the fifteenth of January twenty twenty"),
        ("on 2007-6-18", "on June eighteenth, two thousand seven"),
        # quarters, halves, fiscal years
        ("Q3 2024", "the third quarter of twenty twenty-four"),
        ("in Q1", "in the first quarter"),
        ("the Q3 results", "the third quarter results"),
        ("2Q22", "the second quarter of twenty twenty-two"),
        ("Q4'23", "the fourth quarter of twenty twenty-three"),
        ("H1 2025", "the first half of twenty twenty-five"),
        ("FY24", "fiscal year twenty twenty-four"),
        ("FY 2025", "fiscal year twenty twenty-five"),
        ("the Audi Q3", "the Audi Q three"),  # a name, not a quarter
    ],
)
def test_dates(written: str, spoken: str) -> None:
    assert normalize(written) == spoken
