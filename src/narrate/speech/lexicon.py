"""Pronunciation lexicons: written word -> how the engine should say it.

A lexicon is a TOML table, ``"Written" = "respelling"``. Entries match the written text, before
normalization, as whole words (a key may hold spaces or dots: ``"Kryvyi Rih"``, ``"U.N."``).
A respelling is plain text that any engine reads: lowercase syllables joined by hyphens
(``"zeh-len-skee"``; capitals such as ``"LEN"`` are spelled out as letters by some engines).
Rules never rewrite a respelling: what the lexicon says is what the engine gets.

An entry may apply to some engines only: ``"Zelensky" = { pyttsx3 = "Zeh-lensky" }`` (a
respelling that helps espeak-ng may hurt a neural voice); a plain string applies to every engine.

Matching is case-aware. A key in lowercase matches the word in any case. A key with a capital
matches that spelling, and the word written all in capitals (a headline's ``KURSK`` is Kursk),
so ``"Nice"`` (the city) leaves "nice" alone. The closest key wins: the exact spelling, then a
lowercase key, then the capitals.

Lexicons are layered, each overriding the ones before it key by key and engine by engine (a
later key also replaces an earlier key that differs only in case): narrate's starter lexicon for
the language (``defaults/lexicon-<language>.toml``), then the voice profile's (its sounds for its
engine), then the show's, which has the last word.
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
from narrate.models import LexiconEntries, VoiceProfile

# A respelling stands in the text as a placeholder word until the rules have run: a letter of
# the written word (capitals stay capitals, for the rules that look at case), "lexq", the entry's
# number in letters a-j, and "q". No rule changes a word like that.
_PLACEHOLDER = re.compile(r"[A-Za-z]?(?i:lexq)([a-jA-J]+)[qQ]")
_DIGIT_LETTERS = str.maketrans("0123456789", "abcdefghij")
STARTER, PROFILE, SHOW = "narrate's starter lexicon", "the voice profile", "the show's lexicon"


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check_entries(data: Any, origin: str) -> dict[str, str | dict[str, str]]:
    """A lexicon table read from TOML, checked: every key a non-empty string, every value a
    respelling or a table of respellings by engine name."""
    if not isinstance(data, dict) or not all(
        _text(k)
        and (_text(v) or (isinstance(v, dict) and v and all(map(_text, [*v, *v.values()]))))
        for k, v in data.items()
    ):
        raise ConfigError(
            f"invalid lexicon in {origin}",
            'write one entry a line: "Written" = "how to say it", or = { pyttsx3 = "..." } for '
            "one engine (neither may be empty)",
        )
    return {
        k.strip(): v.strip() if isinstance(v, str) else {e.strip(): s.strip() for e, s in v.items()}
        for k, v in data.items()
    }


def load_lexicon(path: Path) -> dict[str, str | dict[str, str]]:
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
def starter_lexicon(language: str) -> LexiconEntries:
    """narrate's packaged lexicon for ``language`` (names in the news); empty if none ships."""
    path = Path(str(resources.files("narrate") / "defaults" / f"lexicon-{language}.toml"))
    return load_lexicon(path) if path.is_file() else {}


def resolved(
    layers: Iterable[tuple[str, LexiconEntries | None]], engine: str | None = None
) -> dict[str, tuple[str, str]]:
    """Lexicons merged in order, for ``engine``: key -> (respelling, the layer it came from).

    A later layer's key replaces an earlier key equal to it but for case, when it has a
    respelling for the engine; an entry for other engines only leaves the earlier one in place.
    """
    merged: dict[str, tuple[str, str]] = {}
    for origin, layer in layers:
        for key, value in (layer or {}).items():
            spoken = value if isinstance(value, str) else value.get(engine or "")
            if spoken is None:
                continue
            for old in [k for k in merged if k.casefold() == key.casefold()]:
                del merged[old]
            merged[key] = (spoken, origin)
    return merged


def layered(layers: Iterable[LexiconEntries | None], engine: str | None = None) -> dict[str, str]:
    """Lexicons merged in order (see :func:`resolved`): key -> respelling."""
    return {k: v for k, (v, _) in resolved((("", layer) for layer in layers), engine).items()}


def lexicon_layers(profile: VoiceProfile) -> list[tuple[str, LexiconEntries]]:
    """What normalization applies for ``profile``, lowest first, each with its name: narrate's
    starter lexicon for its language, the profile's own entries, the show's lexicon."""
    language = primary_subtag(str(profile.language))
    return [
        (f"{STARTER} (lexicon-{language}.toml)", starter_lexicon(language)),
        (f"{PROFILE} {profile.name!r}", profile.lexicon),
        (SHOW, profile.show_lexicon),
    ]


def spoken_lexicon(profile: VoiceProfile) -> dict[str, str]:
    """The respellings normalization applies for ``profile`` (its engine's): the starter's under
    the profile's under the show's, key by key."""
    return {k: v for k, (v, _) in resolved(lexicon_layers(profile), profile.engine).items()}


def lexicon_origins(profile: VoiceProfile) -> dict[str, str]:
    """Which layer each key of :func:`spoken_lexicon` comes from (for ``--explain``)."""
    return {k: o for k, (_, o) in resolved(lexicon_layers(profile), profile.engine).items()}


@dataclass(frozen=True)
class CompiledLexicon:
    pattern: re.Pattern[str] | None
    by_fold: Mapping[str, tuple[tuple[str, str], ...]]  # casefolded key -> (key, respelling)

    def key(self, written: str) -> str | None:
        """The key that matches a word, or None when the case of none fits it: the exact
        spelling, else a lowercase key, else a key with capitals for the word in capitals."""
        keys = [key for key, _ in self.by_fold.get(written.casefold(), ())]
        if written in keys:
            return written
        lower = next((key for key in keys if key == key.lower()), None)
        if lower is not None or not (written.isupper() and len(written) > 1):
            return lower
        return next((key for key in keys if key.upper() == written), None)

    def lookup(self, written: str) -> str | None:
        """The respelling for a matched word, or None when the case of no key fits it."""
        key = self.key(written)
        if key is None:
            return None
        return next(spoken for k, spoken in self.by_fold[written.casefold()] if k == key)


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
