"""Spoken forms per engine: letters said as letters, written the way each engine says them.

A rule that spells letters ("CIA" -> "C I A", "a.m." -> "a m") writes them with :func:`spell`,
which joins them with U+2063 INVISIBLE SEPARATOR: no rule reads that as a word character or as
a space, so the run stays one unit to the end. The last step, :func:`render`, writes each run
for the engine that will say it (``defaults/spoken-forms.toml``): with no engine, narrate's own
words ("C I A", what the tests and the benchmark compare); for ``"pyttsx3"`` (espeak-ng) the
letter A as "eh", which espeak-ng never reads as the article; for other engines (a neural voice)
"a.m." and "p.m." as written. What a string becomes may depend on the engine; the words do not.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

JOINER = "\u2063"
_RUN = re.compile(rf"[^\W\d_](?:{JOINER}[^\W\d_])+")
DEFAULT_ENGINE = "default"  # the table for engines that have none of their own


def spell(letters: str) -> str:
    """The letters of ``letters`` (other characters dropped), marked to be said one by one."""
    return JOINER.join(c for c in letters if c.isalpha())


def unmarked(text: str) -> str:
    """``text`` with its spelled runs in narrate's own words (letters separated by spaces)."""
    return text.replace(JOINER, " ")


@dataclass(frozen=True)
class Forms:
    """How one engine is given spelled letters in one language."""

    letters: Mapping[str, str]
    runs: Mapping[str, str]
    join: str

    def write(self, run: str) -> str:
        letters = run.split(JOINER)
        whole = "".join(letters)
        if whole in self.runs:
            return self.runs[whole]
        return self.join.join(self.letters.get(letter, letter) for letter in letters)


WORDS = Forms(letters={}, runs={}, join=" ")  # narrate's own words: no engine's spelling


@cache
def _table() -> dict[str, Any]:
    path = Path(str(resources.files("narrate") / "defaults" / "spoken-forms.toml"))
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def forms_for(engine: str | None, language: str) -> Forms:
    """The forms for ``engine`` (a voice profile's ``engine``; None: narrate's own words)."""
    if engine is None:
        return WORDS
    table = _table()
    entry = table.get(engine, {}).get(language)
    if entry is None:
        entry = table.get(DEFAULT_ENGINE, {}).get(language, {})
    letters, runs = entry.get("letters", {}), entry.get("runs", {})
    assert isinstance(letters, dict) and isinstance(runs, dict)  # the packaged file's shape
    return Forms(letters=letters, runs=runs, join=str(entry.get("join", " ")))


def render(text: str, forms: Forms) -> str:
    """Every spelled run in ``text`` written for the engine."""
    if JOINER not in text:
        return text
    return _RUN.sub(lambda m: forms.write(m.group(0)), text).replace(JOINER, " ")
