"""Letters said as letters on every engine (issue 13: espeak-ng said "a.m." as "uh em", "CIA" as
"see eye uh"): narrate's words, then what each engine is given."""

from __future__ import annotations

import ctypes
import re
import sys
from functools import cache

import pytest

from narrate.speech.forms import JOINER, forms_for, render, spell
from narrate.speech.normalize import normalize

# The phrases of the issue, and narrate's words for them (what a presenter says).
LETTER_PHRASES = [
    ("at 10 a.m. Monday", "at ten a m Monday"),
    ("at 9 AM", "at nine a m"),
    ("the CIA said", "the C I A said"),
    ("an NBA game", "an N B A game"),
    ("the AP reported", "the A P reported"),
    ("the USA and", "the U S A and"),
    ("the NCAA ruled", "the N C A A ruled"),
    ("in the U.S. today", "in the U S today"),
    ("at 5 p.m. EST", "at five p m E S T"),
]


@pytest.mark.parametrize(("written", "words"), LETTER_PHRASES)
def test_without_an_engine_letters_are_narrates_words(written: str, words: str) -> None:
    assert normalize(written) == words


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("at 10 a.m. Monday", "at ten eh m Monday"),
        ("the CIA said", "the C I eh said"),
        ("the NCAA ruled", "the N C eh eh ruled"),
        ("the AP reported", "the eh P reported"),
        ("at 5 p.m. EST", "at five p m E S T"),
    ],
)
def test_pyttsx3_gets_the_letter_a_as_espeak_ng_says_it(written: str, spoken: str) -> None:
    assert normalize(written, engine="pyttsx3") == spoken


@pytest.mark.parametrize("engine", ["piper", "tone", "some-future-engine"])
def test_other_engines_get_the_written_designators(engine: str) -> None:
    assert normalize("at 10 a.m. and 5 PM", engine=engine) == "at ten a.m. and five p.m."
    assert normalize("the NCAA", engine=engine) == "the N C A A"


def test_other_languages_have_no_english_spellings() -> None:
    # "eh" is the letter A for espeak-ng's English voices only.
    assert forms_for("pyttsx3", "de").write(spell("USA")) == "U S A"


def test_a_spelled_run_is_one_unit_until_it_is_rendered() -> None:
    assert spell("C.I.A.") == f"C{JOINER}I{JOINER}A"
    assert render(f"the {spell('AP')}'s", forms_for("pyttsx3", "en")) == "the eh P's"
    assert JOINER not in normalize("the FBI, the CIA and the NSA", engine="pyttsx3")


def test_a_lone_letter_a_in_prose_is_left_alone() -> None:
    assert normalize("a man and a plan", engine="pyttsx3") == "a man and a plan"


# --- what espeak-ng really says -------------------------------------------------------------


@cache
def _espeak() -> ctypes.CDLL | None:
    """espeak-ng's library (the copy espeakng-loader ships), ready to turn text into phonemes."""
    try:
        import espeakng_loader
    except ImportError:
        return None
    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_TextToPhonemes.argtypes = [
        ctypes.POINTER(ctypes.c_char_p),
        ctypes.c_int,
        ctypes.c_int,
    ]
    # AUDIO_OUTPUT_SYNCHRONOUS, no buffer, the package's data
    if lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0) <= 0:
        return None
    return lib


def phonemes(text: str, voice: str = "gmw/en-us") -> str:
    """espeak-ng's phonemes for ``text`` (its ``-x`` output), clause by clause."""
    lib = _espeak()
    assert lib is not None
    assert lib.espeak_SetVoiceByName(voice.encode()) == 0
    buffer = ctypes.create_string_buffer(text.encode("utf-8"))
    pointer = ctypes.c_char_p(ctypes.addressof(buffer))
    clauses = []
    while pointer.value:
        said = lib.espeak_TextToPhonemes(ctypes.byref(pointer), 1, 0)  # UTF-8 in, ASCII out
        clauses.append((said or b"").decode())
    return " | ".join(clauses)


needs_espeak = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="espeakng-loader ships espeak-ng for Linux"
)


@pytest.mark.engine
@needs_espeak
def test_espeak_ng_reads_narrates_words_for_a_as_the_article() -> None:
    # The bug, as espeak-ng has it: a lone A before another word is "a#", the article.
    assert "a# 'Em" in phonemes("at ten a m Monday")
    assert "s'i:; a# a# r'u:ld" in phonemes("the N C A A ruled")


@pytest.mark.engine
@needs_espeak
@pytest.mark.parametrize(("written", "words"), LETTER_PHRASES)
def test_espeak_ng_says_every_letter_a_as_a_letter(written: str, words: str) -> None:
    said = phonemes(normalize(written, engine="pyttsx3"))
    letters_a = words.split().count("A") + words.split().count("a")
    assert said.count("'eI") >= letters_a, said
    assert not re.search(r"(?<!\S)a#(?!\S)", said), said  # never the article alone
