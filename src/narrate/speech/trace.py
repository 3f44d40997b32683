"""What decided a spoken form: the rules that changed the text and the table entries they used.

The rules' hand-made word lists (acronyms said as words, nouns that make a number a count,
titles, units...) are :class:`Table`s. Outside :func:`tracing` a table is a plain mapping. Inside,
every entry a rule uses and every rule that changes the text is recorded as a *knob*
(``("rule", name)`` or ``(table, key)``), and knobs can be switched off.

That is what the benchmark's cross-validation needs: what only the held-out sentences use
cannot have been learned from the others, so it is switched off while they are scored (a
sentence-shaped patch never raises the cross-validated figure). Closed classes of the language
(digits, months, weekdays, currency signs, Greek letters) are facts, not tuning, and stay dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

V = TypeVar("V")
Knob = tuple[str, str]  # (table name or "rule", key)


@dataclass
class Trace:
    """The knobs used while it was active; ``off``: the knobs that act as if absent."""

    off: frozenset[Knob] = frozenset()
    used: set[Knob] = field(default_factory=set)


_ACTIVE: ContextVar[Trace | None] = ContextVar("narrate_speech_trace", default=None)


@contextmanager
def tracing(off: Iterable[Knob] = ()) -> Iterator[Trace]:
    """Record the knobs used inside the block; those in ``off`` are switched off."""
    trace = Trace(off=frozenset(off))
    token = _ACTIVE.set(trace)
    try:
        yield trace
    finally:
        _ACTIVE.reset(token)


def rule_is_on(name: str) -> bool:
    trace = _ACTIVE.get()
    return trace is None or ("rule", name) not in trace.off


def rule_changed(name: str) -> None:
    trace = _ACTIVE.get()
    if trace is not None:
        trace.used.add(("rule", name))


class Table(Mapping[str, V]):
    """A rule family's word table: a mapping whose lookups are traced (see the module)."""

    def __init__(self, name: str, entries: Mapping[str, V] | Iterable[tuple[str, V]]) -> None:
        self.name = name
        self._entries = dict(entries)

    def __getitem__(self, key: str) -> V:
        value = self._entries[key]  # KeyError when absent; Mapping's get and `in` rely on it
        trace = _ACTIVE.get()
        if trace is not None:
            if (self.name, key) in trace.off:
                raise KeyError(key)
            trace.used.add((self.name, key))
        return value

    def entries(self) -> Mapping[str, V]:
        """Every entry, untraced: for building a rule's patterns from the table."""
        return self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def word_set(name: str, words: str) -> Table[bool]:
    """A table of words (membership only), written as one string of space-separated words."""
    return Table(name, ((word, True) for word in words.split()))
