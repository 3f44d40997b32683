"""Spanish spoken forms: numbers with the decimal comma and their gender, dates, money, units."""

from __future__ import annotations

import pytest

from narrate.speech.normalize import normalize


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("3,2 millones", "tres coma dos millones"),
        ("1.200 personas", "mil doscientas personas"),
        ("200.000 personas", "doscientas mil personas"),
        ("21 personas y 1 hora", "veintiuna personas y una hora"),
        ("1 año", "un año"),
        ("21 millones", "veintiún millones"),
        ("21.000", "veintiún mil"),
        ("1 millón de personas", "un millón de personas"),
        ("-3 °C", "menos tres grados"),
        # dates
        ("el 1 de septiembre de 2024", "el uno de septiembre de dos mil veinticuatro"),
        ("el 1.º de mayo", "el primero de mayo"),
        ("el 01/09/2024", "el uno de septiembre de dos mil veinticuatro"),
        ("en 2024", "en dos mil veinticuatro"),
        # ordinals, centuries, kings
        ("la 2.ª vez", "la segunda vez"),
        ("el 3er puesto", "el tercer puesto"),
        ("en el siglo XXI", "en el siglo veintiuno"),
        ("el s. XIX", "el siglo diecinueve"),
        ("Felipe VI", "Felipe sexto"),
        ("Alfonso XIII", "Alfonso trece"),
        # times
        ("a las 14:30", "a las catorce y treinta"),
        ("a las 10:00", "a las diez horas"),
        ("a las 10 h", "a las diez horas"),
        ("a la 1 h", "a la una hora"),
        # money, percent, units
        ("3,50 €", "tres euros con cincuenta"),
        ("0,50 €", "cincuenta céntimos"),
        ("1,2 millones de euros", "uno coma dos millones de euros"),
        ("2.000.000 €", "dos millones de euros"),
        ("$5", "cinco dólares"),
        ("5,5 %", "cinco coma cinco por ciento"),
        ("a 120 km/h", "a ciento veinte kilómetros por hora"),
        ("de 3 a 5 grados", "de tres a cinco grados"),
        # abbreviations
        ("el Sr. García y la Dra. López", "el señor García y la doctora López"),
        ("EE. UU. y EE.UU.", "Estados Unidos y Estados Unidos."),  # its dot ended the text
        ("31.000", "treinta y un mil"),
        ("n.º 5", "número cinco"),
        ("p. ej. hoy", "por ejemplo hoy"),
        ("elpais.com informa", "elpais punto com informa"),
    ],
)
def test_spanish(written: str, spoken: str) -> None:
    assert normalize(written, language="es") == spoken
