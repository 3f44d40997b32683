"""Which rule or lexicon entry produced each spoken word (``narrate normalize --explain``).

:func:`normalize.steps` gives the text after each rule that changed it. Each text is cut into
tokens (words and marks); consecutive texts are aligned token by token (difflib), so a token
carries where it came from: the span of the written text, and the steps that made it. Words the
rules left alone are "as written".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from narrate.speech.forms import JOINER
from narrate.speech.lexicon import compile_lexicon
from narrate.speech.normalize import LEXICON_STEP, steps

_TOKEN = re.compile(rf"\w+(?:[-'’.{JOINER}]\w+)*|[^\w\s{JOINER}]")


@dataclass(frozen=True)
class Said:
    """Words said, the written text they come from, and what made them (empty: as written)."""

    spoken: str
    written: str
    by: tuple[str, ...]


@dataclass(frozen=True)
class _Token:
    text: str
    span: tuple[int, int] | None  # in the written text; None: nothing written (a comma added)
    by: tuple[str, ...]


def explain(
    text: str,
    *,
    language: str = "en",
    lexicon: Mapping[str, str] | None = None,
    engine: str | None = None,
    origins: Mapping[str, str] | None = None,
) -> list[Said]:
    """The spoken form of one line of ``text``, word group by word group, with its origin.

    ``origins``: the lexicon layer each key comes from (``lexicon.lexicon_origins``).
    """
    done = steps(text, language=language, lexicon=lexicon, engine=engine)
    tokens = [_Token(m.group(0), m.span(), ()) for m in _TOKEN.finditer(text)]
    for name, after in done[1:]:
        tokens = _advance(tokens, [m.group(0) for m in _TOKEN.finditer(after)], name)
    compiled = compile_lexicon(lexicon) if lexicon else None
    said: list[Said] = []
    for token in tokens:
        if not any(c.isalnum() for c in token.text):
            continue  # punctuation: a pause, not a word
        written = text[token.span[0] : token.span[1]] if token.span else ""
        by = token.by
        if LEXICON_STEP in by and compiled is not None:
            key = compiled.key(written.strip())
            origin = (origins or {}).get(key or "", "")
            entry = f'{LEXICON_STEP}: "{key}" from {origin}' if origin else LEXICON_STEP
            by = tuple(entry if step == LEXICON_STEP else step for step in by)
        spoken = token.text.replace(JOINER, " ")
        if said and said[-1].by == by and (said[-1].written == written or not by):
            said[-1] = Said(f"{said[-1].spoken} {spoken}", written, by)
        else:
            said.append(Said(spoken, written, by))
    return said


def _advance(tokens: list[_Token], after: list[str], step: str) -> list[_Token]:
    """The tokens of the text after ``step``, each with the origin it inherits."""
    matcher = difflib.SequenceMatcher(a=[t.text for t in tokens], b=after, autojunk=False)
    out: list[_Token] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out += tokens[a1:a2]
            continue
        spans = [t.span for t in tokens[a1:a2] if t.span is not None]
        span = (min(a for a, _ in spans), max(b for _, b in spans)) if spans else None
        by = tuple(dict.fromkeys([*(s for t in tokens[a1:a2] for s in t.by), step]))
        out += [_Token(text, span, by) for text in after[b1:b2]]
    return out


def format_explained(said: list[Said]) -> list[str]:
    """One line per group of words: what is said, the written text, what made it."""
    lines = []
    for item in said:
        if not item.by:
            lines.append(f"  {item.spoken}\t(as written)")
        else:
            source = f"<- {item.written}\t" if item.written else ""
            lines.append(f"  {item.spoken}\t{source}{', '.join(item.by)}")
    return lines
