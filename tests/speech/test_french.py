"""French spoken forms: numbers with the decimal comma, ordinals, dates, money, units."""

from __future__ import annotations

import pytest

from narrate.speech.normalize import normalize


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("3,2 millions", "trois virgule deux millions"),
        ("3,14", "trois virgule quatorze"),
        ("3,05", "trois virgule zéro cinq"),
        ("1 200 personnes", "mille deux cents personnes"),
        ("12 000 000 euros", "douze millions d'euros"),
        ("-3 °C", "moins trois degrés Celsius"),
        ("21 personnes et 1 heure", "vingt et une personnes et une heure"),
        # dates: the first is "premier", other days are numbers
        ("le 1er septembre 2024", "le premier septembre deux mille vingt-quatre"),
        ("le 14 juillet 1789", "le quatorze juillet mille sept cent quatre-vingt-neuf"),
        ("le 01/09/2024", "le premier septembre deux mille vingt-quatre"),
        ("en 2024", "en deux mille vingt-quatre"),
        # ordinals, centuries, kings
        ("la 2e place", "la deuxième place"),
        ("la 1re fois", "la première fois"),
        ("le 3ème jour", "le troisième jour"),
        ("au XXIe siècle", "au vingt et unième siècle"),
        ("la Ve République", "la cinquième République"),
        ("Louis XIV", "Louis quatorze"),
        ("François Ier", "François premier"),
        ("Le prix", "Le prix"),
        # times
        ("à 14h30", "à quatorze heures trente"),
        ("à 14 h 30", "à quatorze heures trente"),
        ("à 14:30", "à quatorze heures trente"),
        ("à 8 h", "à huit heures"),
        ("à 1h", "à une heure"),
        ("3 hommes", "trois hommes"),
        # money, percent, units
        ("3,50 €", "trois euros cinquante"),
        ("0,50 €", "cinquante centimes"),
        ("1,2 milliard d'euros", "un virgule deux milliard d'euros"),
        ("2 M€", "deux millions d'euros"),
        ("5,5 %", "cinq virgule cinq pour cent"),
        ("à 120 km/h", "à cent vingt kilomètres par heure"),
        ("de 3 à 5 degrés", "de trois à cinq degrés"),
        ("3-5 ans", "trois à cinq ans"),
        # abbreviations
        ("M. Dupont et Mme Martin", "Monsieur Dupont et Madame Martin"),
        ("Mlle Leroy", "Mademoiselle Leroy"),
        ("Dr Martin", "docteur Martin"),
        ("n° 5", "numéro cinq"),
        ("c.-à-d. ceci", "c'est-à-dire ceci"),
        ("lemonde.fr rapporte", "lemonde point fr rapporte"),
        ("Dupont & fils", "Dupont et fils"),
    ],
)
def test_french(written: str, spoken: str) -> None:
    assert normalize(written, language="fr") == spoken
