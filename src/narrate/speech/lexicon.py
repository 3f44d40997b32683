"""Pronunciation lexicons: written word -> how the engine should say it.

A lexicon is a TOML table, ``"Written" = "respelling"``. Entries match the written text, before
normalization, as whole words (a key may hold spaces or dots: ``"Kryvyi Rih"``, ``"U.N."``).
Matching is case-aware: a key with a capital letter matches only that spelling, so ``"Nice"``
(the city) leaves "nice" and "NICE" alone; a key in lowercase matches the word in any case.
A respelling is plain text that any engine reads: lowercase syllables joined by hyphens
(``"zeh-len-skee"``; capitals such as ``"LEN"`` are spelled out as letters by some engines).
Rules never rewrite a respelling: what the lexicon says is what the engine gets.

Lexicons are layered, each overriding the ones before it key by key (a later key also replaces
an earlier key that differs only in case): narrate's starter lexicon for the language
(``defaults/lexicon-<language>.toml``), then the show's, then the voice profile's.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from narrate.errors import ConfigError
from narrate.language import primary_subtag
from narrate.models import VoiceProfile

# A respelling stands in the text as a placeholder word until the rules have run: a letter of
# the written word (capitals stay capitals, for the rules that look at case), "lexq", the entry's
# number in letters a-j, and "q". No rule changes a word like that.
_PLACEHOLDER = re.compile(r"[A-Za-z]?(?i:lexq)([a-jA-J]+)[qQ]")
_DIGIT_LETTERS = str.maketrans("0123456789", "abcdefghij")


def check_entries(data: Any, origin: str) -> dict[str, str]:
    """A lexicon table read from TOML, checked: every key a non-empty string, every value text."""
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip()
        for k, v in data.items()
    ):
        raise ConfigError(
            f"invalid lexicon in {origin}",
            'write one entry a line: "Written" = "how to say it" (neither may be empty)',
        )
    return {k.strip(): v.strip() for k, v in data.items()}


def load_lexicon(path: Path) -> dict[str, str]:
    """A lexicon file: entries at its top level, or under a ``[lexicon]`` table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"lexicon not found: {path}", "check the lexicon's path") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read lexicon {path}: {exc}", "fix its TOML syntax") from exc
    if set(data) == {"lexicon"}:
        data = data["lexicon"]
    return check_entries(data, str(path))


@lru_cache(maxsize=8)
def starter_lexicon(language: str) -> Mapping[str, str]:
    """narrate's packaged lexicon for ``language`` (names in the news); empty if none ships."""
    path = Path(str(resources.files("narrate") / "defaults" / f"lexicon-{language}.toml"))
    return load_lexicon(path) if path.is_file() else {}


def layered(layers: Iterable[Mapping[str, str] | None]) -> dict[str, str]:
    """Lexicons merged in order: a later key replaces an earlier key equal to it but for case."""
    merged: dict[str, str] = {}
    for layer in layers:
        for key, value in (layer or {}).items():
            for old in [k for k in merged if k.casefold() == key.casefold()]:
                del merged[old]
            merged[key] = value
    return merged


def spoken_lexicon(profile: VoiceProfile) -> dict[str, str]:
    """What normalization applies for ``profile``: narrate's starter lexicon for its language,
    under the show's lexicon, under the profile's own entries (each key by key)."""
    language = primary_subtag(str(profile.language))
    return layered([starter_lexicon(language), profile.show_lexicon, profile.lexicon])


@dataclass(frozen=True)
class CompiledLexicon:
    pattern: re.Pattern[str] | None
    by_fold: Mapping[str, tuple[tuple[str, str], ...]]  # casefolded key -> (key, respelling)

    def lookup(self, written: str) -> str | None:
        """The respelling for a matched word, or None when the case of no key fits it."""
        entries = self.by_fold.get(written.casefold(), ())
        for key, spoken in entries:
            if key == written:
                return spoken
        return next((spoken for key, spoken in entries if key == key.lower()), None)


@lru_cache(maxsize=32)
def _compile(items: tuple[tuple[str, str], ...]) -> CompiledLexicon:
    by_fold: dict[str, list[tuple[str, str]]] = {}
    for key, spoken in items:
        by_fold.setdefault(key.casefold(), []).append((key, spoken))
    if not by_fold:
        return CompiledLexicon(None, {})
    keys = sorted({key for key, _ in items}, key=len, reverse=True)
    alternation = "|".join(re.escape(k) for k in keys)
    # Most words start with none of the keys' first letters: rejected before the alternation.
    firsts = "".join(sorted({c for k in keys for c in (k[0].lower(), k[0].upper())}))
    pattern = re.compile(
        rf"(?<![\w.])(?=[{re.escape(firsts)}])(?:{alternation})(?![\w]|\.\w)", re.IGNORECASE
    )
    return CompiledLexicon(pattern, {k: tuple(v) for k, v in by_fold.items()})


def compile_lexicon(lexicon: Mapping[str, str]) -> CompiledLexicon:
    return _compile(tuple((k.strip(), v) for k, v in lexicon.items() if k.strip()))


def protect(text: str, lexicon: CompiledLexicon) -> tuple[str, list[str]]:
    """Replace each lexicon word by a placeholder; returns the text and the respellings."""
    if lexicon.pattern is None or "lexq" in text.lower():
        return text, []
    said: list[str] = []

    def replace(m: re.Match[str]) -> str:
        written = m.group(0)
        spoken = lexicon.lookup(written)
        if spoken is None:
            return written
        said.append(spoken)
        first = written[0] if written[0].isascii() and written[0].isalpha() else "X"
        mark = f"{first}lexq{str(len(said) - 1).translate(_DIGIT_LETTERS)}q"
        mark = mark.upper() if written.isupper() and len(written) > 1 else mark
        # A dot that ended the key may also have ended the sentence: keep one.
        if written.endswith(".") and not m.string[m.end() : m.end() + 3].strip(" \"')”’"):
            mark += "."
        return mark

    return lexicon.pattern.sub(replace, text), said


def restore(text: str, said: list[str]) -> str:
    """Put the respellings back in place of their placeholders."""
    if not said:
        return text

    def replace(m: re.Match[str]) -> str:
        index = int(m.group(1).lower().translate(str.maketrans("abcdefghij", "0123456789")))
        return said[index] if index < len(said) else m.group(0)

    return _PLACEHOLDER.sub(replace, text)
