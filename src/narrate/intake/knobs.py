"""The named rules of intake (*knobs*), so that a benchmark can tell which pages use each one.

Every rule that drops, keeps or moves a line asks :func:`fires` before it acts; the long lists of
phrases (the headings of boxes, furniture phrases, captions) are :class:`Phrases`, each phrase a
knob of its own. Outside :func:`tracing` nothing is recorded and every knob is on.

Inside, the knobs that fired are recorded and those in ``off`` act as if they were not written.
``benchmarks/extraction.py`` cross-validates with it: the knobs that only a held-out fold's pages
use cannot have been learned from the other pages, so they are off while that fold is scored.
(The speech stage has the same idea for its tables, :mod:`narrate.speech.trace`; stages do not
import each other, so each keeps its own.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass
class Usage:
    """What fired while it was active; ``off``: the knobs that act as if absent."""

    off: frozenset[str] = frozenset()
    fired: set[str] = field(default_factory=set)


_USAGE: ContextVar[Usage | None] = ContextVar("narrate_intake_knobs", default=None)


@contextmanager
def tracing(off: Iterable[str] = ()) -> Iterator[Usage]:
    """Record the knobs that fire inside the block; those in ``off`` are switched off."""
    usage = Usage(off=frozenset(off))
    token = _USAGE.set(usage)
    try:
        yield usage
    finally:
        _USAGE.reset(token)


def fires(name: str) -> bool:
    """Whether the rule ``name``, whose condition holds, may act (and note that it would)."""
    usage = _USAGE.get()
    if usage is None:
        return True
    usage.fired.add(name)
    return name not in usage.off


class Phrases:
    """A regular expression made of named alternatives, each a knob ``family:phrase``."""

    def __init__(self, family: str, phrases: Iterable[str], flags: int = re.I) -> None:
        self.family = family
        self.phrases = tuple(phrases)
        self._flags = flags
        self._all = self._compiled(frozenset())

    def _compiled(self, off: frozenset[int]) -> re.Pattern[str]:
        return _alternation(self.phrases, off, self._flags)

    def _pattern(self) -> tuple[re.Pattern[str], Usage | None]:
        usage = _USAGE.get()
        if usage is None or not usage.off:
            return self._all, usage
        off = frozenset(i for i, p in enumerate(self.phrases) if self._knob(i) in usage.off)
        return (self._compiled(off) if off else self._all), usage

    def _knob(self, index: int) -> str:
        return f"{self.family}:{self.phrases[index]}"

    def _note(self, match: re.Match[str] | None, usage: Usage | None) -> re.Match[str] | None:
        if match is not None and usage is not None and match.lastgroup:
            usage.fired.add(self._knob(int(match.lastgroup[1:])))
        return match

    def search(self, text: str) -> re.Match[str] | None:
        pattern, usage = self._pattern()
        return self._note(pattern.search(text), usage)

    def match(self, text: str) -> re.Match[str] | None:
        pattern, usage = self._pattern()
        return self._note(pattern.match(text), usage)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        pattern, usage = self._pattern()
        return self._note(pattern.fullmatch(text), usage)

    def count(self, text: str) -> int:
        """How many times the phrases occur in ``text`` (without overlaps)."""
        pattern, usage = self._pattern()
        return sum(1 for match in pattern.finditer(text) if self._note(match, usage))


@lru_cache(maxsize=256)
def _alternation(phrases: tuple[str, ...], off: frozenset[int], flags: int) -> re.Pattern[str]:
    kept = [f"(?P<p{i}>{phrase})" for i, phrase in enumerate(phrases) if i not in off]
    return re.compile("|".join(kept) or r"(?!)", flags)
