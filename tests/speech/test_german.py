"""German spoken forms (issue 13: "3,2 Millionen" was "drei, zwei", "1. September", "Dr." and
"km/h" were misread)."""

from __future__ import annotations

import pytest

from narrate.speech.normalize import normalize


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # the decimal comma, thousands by dots
        ("3,2 Millionen", "drei Komma zwei Millionen"),
        ("0,75 Liter", "null Komma sieben fünf Liter"),
        ("1.200 Menschen", "tausendzweihundert Menschen"),
        ("1.100.000", "eine Million hunderttausend"),
        ("-5 Grad", "minus fünf Grad"),
        ("1 Million und 1 Euro", "eine Million und ein Euro"),
        # ordinals take the ending of their article
        ("am 1. September", "am ersten September"),
        ("Berlin, 1. September 2024", "Berlin, erster September zweitausendvierundzwanzig"),
        ("der 2. Weltkrieg", "der zweite Weltkrieg"),
        ("im 19. Jahrhundert", "im neunzehnten Jahrhundert"),
        ("die 1. Bundesliga", "die erste Bundesliga"),
        ("am 3.10.2024", "am dritten Zehnten zweitausendvierundzwanzig"),
        ("am 1.9. gewählt", "am ersten Neunten gewählt"),
        ("seit dem 3. Okt.", "seit dem dritten Oktober"),
        ("Sie kamen zu 2.", "Sie kamen zu zwei."),  # a sentence's end, not an ordinal
        # years, decades, ranges
        ("seit 1990", "seit neunzehnhundertneunzig"),
        ("Der Krieg endete 1945.", "Der Krieg endete neunzehnhundertfünfundvierzig."),
        ("rund 1990 Menschen", "rund tausendneunhundertneunzig Menschen"),  # a count
        ("in den 1990er Jahren", "in den neunzehnhundertneunziger Jahren"),
        ("die 80er", "die achtziger"),
        ("von 2020-2024", "von zweitausendzwanzig bis zweitausendvierundzwanzig"),
        ("3-5 Tage", "drei bis fünf Tage"),
        # times
        ("um 14:30 Uhr", "um vierzehn Uhr dreißig"),
        ("um 14.30 Uhr", "um vierzehn Uhr dreißig"),
        ("um 8 Uhr", "um acht Uhr"),
        ("um 1 Uhr", "um ein Uhr"),
        # money
        ("3,50 €", "drei Euro fünfzig"),
        ("€ 3,50", "drei Euro fünfzig"),
        ("0,50 €", "fünfzig Cent"),
        ("1 €", "ein Euro"),
        ("1,2 Mrd. Euro", "eins Komma zwei Milliarden Euro"),
        ("2 Mio. €", "zwei Millionen Euro"),
        ("5 Dollar", "fünf Dollar"),
        # percent and units
        ("5,5 %", "fünf Komma fünf Prozent"),
        ("5 bis 10 %", "fünf bis zehn Prozent"),
        ("120 km/h", "hundertzwanzig Kilometer pro Stunde"),
        ("21 °C", "einundzwanzig Grad Celsius"),
        ("50 m²", "fünfzig Quadratmeter"),
        ("1 t", "eine Tonne"),
        # abbreviations
        ("Dr. Müller", "Doktor Müller"),
        ("Prof. Dr. Schmidt", "Professor Doktor Schmidt"),
        ("z. B. heute", "zum Beispiel heute"),
        ("d. h. morgen", "das heißt morgen"),
        ("u. a. Berlin", "unter anderem Berlin"),
        ("ca. 5 km", "circa fünf Kilometer"),
        ("Nr. 5", "Nummer fünf"),
        ("Hauptstr. 5", "Hauptstraße fünf"),
        ("St. Pauli", "Sankt Pauli"),
        ("tagesschau.de meldet", "tagesschau Punkt de meldet"),
        ("Müller & Söhne", "Müller und Söhne"),
    ],
)
def test_german(written: str, spoken: str) -> None:
    assert normalize(written, language="de") == spoken


def test_a_regional_tag_uses_the_language_rules() -> None:
    assert normalize("3,2 Millionen", language="de-AT") == "drei Komma zwei Millionen"
