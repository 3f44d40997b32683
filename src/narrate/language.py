"""The language an article is written in: a page's declared tag, else a guess from its text.

Most articles are English, and loading py3langid's model takes about a second, so text whose
words are for a good part English-only function words ("the", "and", "of") is English without
the model. Otherwise the guess uses py3langid (offline: its model ships in the package) when it
is installed, and is skipped when it is not; callers then fall back to English.
"""

from __future__ import annotations

import functools
import importlib
import logging
import re
import typing

logger = logging.getLogger(__name__)

MIN_DETECT_CHARS = 200  # shorter text gives unreliable guesses
MAX_DETECT_CHARS = 5_000  # enough to be sure; keeps detection fast on long articles
MIN_CONFIDENCE = 0.9
ENGLISH_SHARE = 0.12  # English prose: 20-25 % of its words are these; other languages: ~0 %
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "is",
        "that",
        "was",
        "with",
        "for",
        "this",
        "have",
        "from",
        "which",
        "were",
        "are",
        "his",
        "her",
        "they",
        "said",
    ]
)
_WORDS = re.compile(r"[^\W\d_]+")
_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


def primary_subtag(language: str) -> str:
    """ "en-GB" -> "en", "pt_BR" -> "pt": lower case, whatever the string (never None)."""
    return language.lower().split("-")[0].split("_")[0]


def language_tag(value: str) -> str | None:
    """The primary language subtag, lower case: "en-US" -> "en", "pt_BR" -> "pt"."""
    match = _TAG.fullmatch(value.strip())
    if not match or match.group(1).lower() in ("und", "mul", "zxx", "xx"):
        return None
    return match.group(1).lower()


@functools.cache
def iso639_2(language: str) -> str:
    """The three-letter ISO 639-2 code of a language tag ("de-AT" -> "deu", "uk" -> "ukr"), as
    ID3's TLAN frame wants it; "und" (undetermined) for a tag langcodes does not know."""
    import langcodes  # 70 ms to import: only when a tag is written

    try:
        return str(langcodes.Language.get(language.strip()).to_alpha3())
    except (LookupError, ValueError):
        return "und"


@functools.cache
def _identifier() -> typing.Any:
    try:
        langid = importlib.import_module("py3langid.langid")
    except ImportError:
        logger.debug("py3langid is not installed: no language detection")
        return None
    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """A confident guess at the language of ``text`` (ISO 639-1), or None."""
    if len(text) < MIN_DETECT_CHARS:
        return None
    sample = text[:MAX_DETECT_CHARS]
    words = _WORDS.findall(sample.lower())
    if words and sum(word in _ENGLISH for word in words) >= ENGLISH_SHARE * len(words):
        return "en"
    identifier = _identifier()
    if identifier is None:
        return None
    language, probability = identifier.classify(sample)
    logger.debug("detected language %s (p=%.2f)", language, probability)
    return str(language) if probability >= MIN_CONFIDENCE else None
