"""Bylines as people: names said after "By", roles and outlets kept apart."""

import pytest

from narrate.intake.bylines import people
from narrate.models import Person


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the "Name, Outlet" form (trafilatura gives the comma as ";"): one person, not two
        ("Jill Disis; CNN Business", [Person("Jill Disis", outlet="CNN Business")]),
        ("By Jill Disis and CNN Business", [Person("Jill Disis", outlet="CNN Business")]),
        (
            "By ROBERT BURNS, AP National Security Writer",
            [Person("Robert Burns", role="National Security Writer", outlet="AP")],
        ),
        ("Paul Takahashi; Staff writer", [Person("Paul Takahashi", role="Staff writer")]),
        ("Phil Helsel is a reporter", [Person("Phil Helsel", role="reporter")]),
        ("Tom Gillespie News reporter", [Person("Tom Gillespie", role="News reporter")]),
        (
            "By Kevin Johnson and Kevin McCoy, USA TODAY",
            [Person("Kevin Johnson"), Person("Kevin McCoy", outlet="USA TODAY")],
        ),
        (
            "LISA MASCARO; ERIC TUCKER Associated Press",
            [Person("Lisa Mascaro"), Person("Eric Tucker", outlet="Associated Press")],
        ),
        (
            "Ann Lee, Bo Chen and Cy Diaz",
            [Person("Ann Lee"), Person("Bo Chen"), Person("Cy Diaz")],
        ),
        ("Abigail Van Buren", [Person("Abigail Van Buren")]),
        (
            "Mike Wuerthele; Malcolm Owen Monday; November",
            [Person("Mike Wuerthele"), Person("Malcolm Owen")],
        ),
        ("Reuters", [Person("Reuters")]),  # no person: who wrote it is still said
        ("Admin", []),
        ("", []),
    ],
)
def test_a_byline_is_read_as_people(raw: str, expected: list[Person]) -> None:
    assert list(people(raw)) == expected


def test_the_sites_own_name_is_an_outlet() -> None:
    found = people("Victor Tangermann; Futurism", publisher="Futurism")
    assert found == (Person("Victor Tangermann", outlet="Futurism"),)
    assert people("Victor Tangermann; Futurism") == (
        Person("Victor Tangermann"),
        Person("Futurism"),
    )


def test_names_in_any_alphabet_are_names() -> None:
    assert people("Élodie Martin; Łukasz Nowak and Conor O’Neill") == (
        Person("Élodie Martin"),
        Person("Łukasz Nowak"),
        Person("Conor O’Neill"),
    )
