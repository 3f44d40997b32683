"""English words: Roman numerals, abbreviations, acronyms (issue 13: "WWII" was letters, "Henry
VIII's" "V I I I's", "c. 1950" "see nineteen fifty")."""

from __future__ import annotations

import pytest

from narrate.speech.normalize import normalize


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # World Wars and Roman numerals
        ("after WWII", "after World War two"),
        ("WWI veterans", "World War one veterans"),
        ("WW2", "World War two"),
        ("Henry VIII's wives", "Henry the eighth's wives"),
        ("Louis XIV", "Louis the fourteenth"),
        ("Pope Leo XIV said", "Pope Leo the fourteenth said"),
        ("Queen Elizabeth I of England", "Queen Elizabeth the first of England"),
        ("Peter I of Russia", "Peter the first of Russia"),
        ("Super Bowl LVIII", "Super Bowl fifty-eight"),
        ("Type II diabetes", "Type two diabetes"),
        ("Stage IV cancer", "Stage four cancer"),
        ("Size XL", "Size X L"),
        ("Then I left", "Then I left"),
        # abbreviations before a year, and others
        ("built c. 1950", "built circa nineteen fifty"),
        ("ca. 1800", "circa eighteen hundred"),
        ("(b. 1950)", "born nineteen fifty"),
        ("(d. 2001)", "died two thousand one"),
        ("est. 1887", "established eighteen eighty-seven"),
        ("Warner Bros. said", "Warner Brothers said"),
        ("in mt Eden", "in Mount Eden"),
        ("pp. 5, vol 3", "pages five, volume three"),
        # four capitals: a word when they start with a consonant and can be read
        ("TIME magazine", "TIME magazine"),
        ("the CERN lab", "the CERN lab"),
        ("the NYPD said", "the N Y P D said"),
        ("the ACLU and USDA", "the A C L U and U S D A"),
        ("the IAEA", "the I A E A"),
        ("the NCAA", "the N C A A"),
    ],
)
def test_words(written: str, spoken: str) -> None:
    assert normalize(written) == spoken
