"""Bylines as people: "Jill Disis, CNN Business" is Jill Disis of CNN Business, not two authors.

A byline (or a page's author field, which trafilatura gives as "A; B") is cut into parts at
semicolons, commas and "and". A part is the *affiliation* of the person before it when it names
a role ("National Security Writer", "Staff writer") or an outlet (it holds an acronym such as
CNN or AP, a word that names an organisation such as News, Press, Media, or the site's own
name). Other parts are people when they look like names: one to four capitalised words (with
particles such as "de" or "van" and initials), not a weekday, a month or a generic account
("Admin"). A name written in capitals is said as a name ("ROBERT BURNS" is "Robert Burns").
A byline with no person in it (an agency, "Telegraph Sport") keeps its first part as the name,
so the listener still hears who wrote it.
"""

from __future__ import annotations

import re

from narrate.intake.knobs import fires
from narrate.intake.rules import clean_byline
from narrate.models import Person
from narrate.months import MONTH_NAMES

MAX_NAME_WORDS = 4  # past this, a name runs on into its outlet
_SPLIT = re.compile(r"\s*(?:;|,|\s&\s|\band\b)\s*", re.I)
_ROLE_NOUN = re.compile(
    r"\b(writer|reporter|editor|correspondent|contributor|columnist|producer|journalist"
    r"|critic|analyst|photographer|intern|chief|staff|freelancer)s?\b",
    re.I,
)
_OUTLET_WORD = re.compile(
    r"\b(news|press|media|times|post|journal|herald|tribune|gazette|magazine|network|business"
    r"|sports?|international|wire|services|bureau|reports|associated|agency|daily|weekly"
    r"|online|com|tv|radio|group|digital|desk|newsroom)\b",
    re.I,
)
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
_PARTICLES = frozenset(
    ("de", "da", "di", "del", "della", "der", "den", "du", "la", "le", "van", "von", "bin")
    + ("al", "el", "ibn", "st")
)
_NOT_NAMES = re.compile(
    rf"(?i)^(admin|administrator|editor|editors|editorial|staff|guest|user|team|the"
    rf"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|{MONTH_NAMES})$"
)
_ELISION = re.compile(r"^[^\W\d_]{1,3}['’](?=[^\W\d_])")  # "d'Alembert", "O’Neill"
_INTRO = re.compile(r"^(?:the|a|an|is|are|was)\b", re.I)
_AFTER_NAME = re.compile(r"(?i)on|at|in|for|from|with|via|updated|published|posted")
_INITIAL = re.compile(r"[A-Z]\.?")
_RUN_ON_ACRONYM = re.compile(r"[A-Z]{3,}[a-z][\w'’-]*")


def people(raw: str | None, publisher: str | None = None) -> tuple[Person, ...]:
    """The people of a byline or author field, each with the role and outlet found beside it."""
    if not raw:
        return ()
    found: list[Person] = []
    first: str | None = None
    written_in_capitals = False  # the byline writes its names in capitals ("ROBERT BURNS")
    for piece in raw.split(";"):
        cleaned = clean_byline(piece, roles=True)
        for part in _SPLIT.split(cleaned or ""):
            part = part.strip(" .")
            if not part:
                continue
            first = first or part
            person = _person(part, publisher)
            # in capitals after names that are not: "Kevin McCoy, USA TODAY"
            shouted = part.isupper() and not written_in_capitals
            beside = (  # "CNN Business", "AP Auto Writer", the site's name
                person is None
                or shouted
                or _ROLE_NOUN.search(part)
                or (publisher and part.lower() == publisher.lower())
            )
            affiliation = shouted or _is_affiliation(part, publisher)
            if found and beside and affiliation and fires("affiliation"):
                found[-1] = _with_affiliation(found[-1], part)
                continue
            if person is not None and person.name not in {p.name for p in found}:
                written_in_capitals = written_in_capitals or part.isupper()
                found.append(person)
    if not found and first and not _NOT_NAMES.match(first):
        return (Person(first),)
    return tuple(found)


def _is_affiliation(part: str, publisher: str | None) -> bool:
    if publisher and part.lower() == publisher.lower():
        return True
    if _ROLE_NOUN.search(part) or _OUTLET_WORD.search(part):
        return True
    words = part.split()
    return any(_is_acronym(words, i) for i in range(len(words)))


def _with_affiliation(person: Person, part: str) -> Person:
    if not _ROLE_NOUN.search(part):
        return Person(person.name, person.role, person.outlet or part)
    words = part.split()
    lead = [w for i, w in enumerate(words[: len(words) - 1]) if _is_acronym(words, i)]
    outlet = " ".join(lead) or None
    role = " ".join(words[len(lead) :])
    return Person(person.name, person.role or role, person.outlet or outlet)


def _first_and_last(name: list[str]) -> list[str]:
    """A first name, its initials and one more name: where a name run on into an outlet ends."""
    end = 1
    while end < len(name) and _INITIAL.fullmatch(name[end]):
        end += 1
    return name[: end + 1]


def _is_name_word(word: str) -> bool:
    """Capitalised, in any alphabet ("Łukasz", "Élodie", "ROBERT"), letters and ' . - only."""
    bare = _ELISION.sub("", word)
    return bool(bare) and bare[0].isupper() and all(c.isalpha() or c in "'’.-" for c in bare)


def _is_acronym(words: list[str], index: int) -> bool:
    """Capitals standing alone ("CNN", "AP"), not a name in capitals ("ROBERT BURNS")."""
    if _RUN_ON_ACRONYM.fullmatch(words[index]):  # "FOXBusiness"
        return True
    if not _ACRONYM.fullmatch(words[index]):
        return False
    neighbours = words[max(0, index - 1) : index] + words[index + 1 : index + 2]
    return not any(w.isupper() and len(w) > 1 for w in neighbours)


def _person(part: str, publisher: str | None) -> Person | None:
    """A name, maybe followed by a role or an outlet ("Tom Gillespie News reporter")."""
    words = part.split()
    name: list[str] = []
    for index, word in enumerate(words):
        if _NOT_NAMES.match(word):
            if not name:
                return None
            break
        if any(p.fullmatch(word) for p in (_ROLE_NOUN, _OUTLET_WORD, _INTRO, _AFTER_NAME)):
            break
        if _is_acronym(words, index):  # "CNN Business": an outlet
            if not name:
                return None
            break
        if word.lower() in _PARTICLES and name:
            name.append(word.lower() if word.islower() else word)
            continue
        if not _is_name_word(word):
            return None
        name.append(word)
    run_on = len([w for w in name if w.lower() not in _PARTICLES]) > MAX_NAME_WORDS
    if run_on:
        name = _first_and_last(name)  # "Trevor J. Mitchell Sioux Falls Argus Leader"
    if not name:
        return None
    if len(name) == 1 and _NOT_NAMES.match(name[0]):
        return None
    rest = " ".join(words[len(name) :])
    if len(name) == 1 and rest and _OUTLET_WORD.match(rest):
        return None  # "Detroit News wire services": an outlet, not a person
    text = " ".join(name)
    if text.isupper() and len(text) > 3:
        text = " ".join(w if len(w) <= 2 else w.capitalize() for w in name)
    person = Person(text)
    if rest and run_on:
        person = Person(text, outlet=rest)
    elif rest and not _INTRO.match(rest) and _is_affiliation(rest, publisher):
        person = _with_affiliation(person, rest)
    elif rest and _INTRO.match(rest) and _ROLE_NOUN.search(rest):
        person = Person(text, role=re.sub(r"^(?:is|was) an? ", "", rest))
    return person


def is_byline(line: str) -> bool:
    """A line of nothing but two or more people's names (and their outlet), without "By":
    "Lisa Kaczke and Trevor J. Mitchell Sioux Falls Argus Leader". Never a headline."""
    words = re.findall(r"[^\s,;&|]+", line)
    if not 3 <= len(words) <= 20 or line.rstrip().endswith((".", "!", "?", ":")):
        return False
    if not all(w[0].isupper() or w.lower() in _PARTICLES or w.lower() == "and" for w in words):
        return False
    found = people(line)
    return len(found) >= 2 and all(len(p.name.split()) >= 2 for p in found)
