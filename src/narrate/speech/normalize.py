"""Stage 2, normalization: written text -> what a presenter would say.

:func:`normalize` runs a list of small rules in order:

1. the lexicon (:mod:`narrate.speech.lexicon`) marks the words it respells, on the written text;
2. markup, spacing, quotes and brackets (every language);
3. the language's rule families: for English addresses, dates and times
   (:mod:`narrate.speech.dates_en`), money, phone numbers, fractions, percentages and units,
   abbreviations, Roman numerals, years, ranges and numbers (:mod:`narrate.speech.numbers_en`),
   symbols and acronyms (:mod:`narrate.speech.words_en`); for German, French and Spanish
   their own modules; other languages only the common rules (the engine reads their numbers);
4. dashes into pauses, tidy punctuation;
5. letters said as letters written for the engine (:mod:`narrate.speech.forms`), then the
   lexicon's respellings go back in.

The output stays plain text with normal punctuation, because the engine uses punctuation for
intonation. Text longer than :data:`MAX_PIECE_CHARS` is normalized in pieces cut at spaces, so
the time it takes grows linearly with its length, whatever the text (a 10 MB line without a
stop). :func:`steps` gives the text after each step (``narrate normalize --explain``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import ModuleType

from narrate.language import primary_subtag
from narrate.speech import (
    dates_en,
    digits_en,
    french,
    german,
    money_en,
    spanish,
    times_en,
    units_en,
    words_en,
)
from narrate.speech import numbers_en as en
from narrate.speech.forms import forms_for, render
from narrate.speech.lexicon import compile_lexicon, protect, restore
from narrate.speech.trace import rule_changed, rule_is_on

Rule = Callable[[str], str]
Step = tuple[str, str]  # (what ran, the text after it)

# Longer texts are cut (at a sentence end, a comma or a space) and each piece normalized alone.
# Sentences are shorter than this, so real text is never cut in the middle of a phrase.
MAX_PIECE_CHARS = 1000
LEXICON_STEP = "lexicon"
FORMS_STEP = "spoken forms"


def normalize(
    text: str,
    *,
    language: str = "en",
    lexicon: Mapping[str, str] | None = None,
    engine: str | None = None,
) -> str:
    """Return the spoken form of ``text`` (one sentence or a few).

    ``lexicon``: respellings matched on the written text (``lexicon.spoken_lexicon(profile)``:
    narrate's starter lexicon under the profile's and the show's entries). ``engine``: the
    engine that will say it (a voice profile's ``engine``), for letters said as letters; None
    gives narrate's own words (``C I A``, ``ten a m``).
    """
    lang = primary_subtag(language)
    if len(text) > MAX_PIECE_CHARS:
        spoken = []
        for piece in _pieces(text):
            words = normalize(piece, language=lang, lexicon=lexicon, engine=engine)
            mark = piece.rstrip()[-1:]
            if words and mark in ",;:" and not words.endswith(mark):
                words += mark  # the pause where the piece was cut
            spoken.append(words)
        return " ".join(s for s in spoken if s)
    return _run(text, lang, lexicon, engine, None)


def steps(
    text: str,
    *,
    language: str = "en",
    lexicon: Mapping[str, str] | None = None,
    engine: str | None = None,
) -> list[Step]:
    """The text after each step of :func:`normalize` (one sentence: no cutting into pieces);
    the last is what ``normalize`` returns."""
    done: list[Step] = [("written", text)]
    _run(text, primary_subtag(language), lexicon, engine, lambda name, t: done.append((name, t)))
    return done


def _run(
    text: str,
    lang: str,
    lexicon: Mapping[str, str] | None,
    engine: str | None,
    record: Callable[[str, str], None] | None,
) -> str:
    text, said = protect(text, compile_lexicon(lexicon)) if lexicon else (text, [])
    if record and said:
        record(LEXICON_STEP, text)
    for rule in rules_for(lang):
        name = rule_name(rule)
        if not rule_is_on(name):
            continue
        changed = rule(text)
        if changed != text:
            rule_changed(name)
            text = changed
            if record:
                record(name, text)
    changed = render(text, forms_for(engine, lang))
    if record and changed != text:
        record(FORMS_STEP + (f" for {engine}" if engine else ""), changed)
    text = restore(changed, said)
    if record and said:
        record(LEXICON_STEP, text)
    return text


def normalize_lines(
    text: str,
    *,
    language: str = "en",
    lexicon: Mapping[str, str] | None = None,
    engine: str | None = None,
) -> list[str]:
    """The spoken form of each line of ``text``: one line out per line in."""
    return [
        normalize(line, language=language, lexicon=lexicon, engine=engine)
        for line in text.splitlines()
    ]


def rule_name(rule: Rule) -> str:
    """ "numbers_en.money": the rule's module (without the package) and function."""
    return f"{rule.__module__.rpartition('.')[2]}.{rule.__name__}"


def has_rules(language: str) -> bool:
    """Whether narrate has spoken-form rules of its own for ``language`` (numbers, dates...)."""
    return primary_subtag(language) in _LANGUAGE_RULES


def rules_for(language: str) -> Sequence[Rule]:
    """The rules :func:`normalize` runs for ``language``, in order."""
    return _LANGUAGE_RULES.get(primary_subtag(language), COMMON_RULES)


# Where a long text is cut, best first: after a sentence, after a clause, between two lowercase
# words (not inside "Dr. Smith" or "Dec. 14"), at any space.
_CUTS = tuple(
    re.compile(pattern)
    for pattern in (
        r"[a-z]{3}[.!?][\"')\]”’]* ",
        r"[,;] ",
        r"(?<=[a-z]{2}) (?=[a-z])",
        r"\s",
    )
)


def _pieces(text: str) -> Iterator[str]:
    """``text`` in pieces of at most MAX_PIECE_CHARS, cut where a phrase surely ends."""
    start = 0
    while len(text) - start > MAX_PIECE_CHARS:
        window = text[start : start + MAX_PIECE_CHARS]
        cut = MAX_PIECE_CHARS  # no space at all: cut blindly
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(window, MAX_PIECE_CHARS // 2)]
            if ends:
                cut = ends[-1]
                break
        yield text[start : start + cut]
        start += cut
    yield text[start:]


# --- language-independent rules ----------------------------------------------------------

_TAG = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|</?[A-Za-z][^<>]*>", re.S | re.I)
_MD_LINK = re.compile(r"!?\[([^\[\]]{0,500})\]\([^()\s]{0,2000}\)")


def strip_markup(text: str) -> str:
    """HTML tags and entities, markdown links and emphasis: never spoken."""
    text = _MD_LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _TAG.sub(" ", html.unescape(text))
    text = re.sub(r"(?m)^[ \t]{0,3}(?:#{1,6}|>)[ \t]+", "", text)
    text = re.sub(r"\s+", " ", text)  # one space: no rule below meets a long run of blanks
    return re.sub(r"\*\*|__|~~|`+|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)", "", text)


def quotes_and_brackets(text: str) -> str:
    """Typographic apostrophes become ', quotes go, brackets become comma pauses."""
    text = re.sub(r"(?<=\w)[’ʼ](?=\w)", "'", text)
    text = re.sub(r"[’‘](?=\d0s\b)", "'", text)
    text = re.sub(r"[\"“”„«»‹›‘’]", "", text)
    text = re.sub(r"(?<![\w'])'(?=[A-Za-z])|(?<=[^\Ws])'(?!\w)", "", text)
    text = re.sub(r"\[\d+\]|\[citation needed\]", "", text)
    return re.sub(r"\s*[(\[{]\s*|\s*[)\]}]", ", ", text)


def dashes(text: str) -> str:
    """Em and en dashes used as punctuation (and spaced hyphens) become a comma pause."""
    text = re.sub(r"\s+", " ", text)  # rules before may have left runs of blanks
    text = re.sub(r" ?(?:—|--) ?| [–-] ", ", ", text)
    return text.replace("…", "...")


def tidy(text: str) -> str:
    """Collapse spaces and the punctuation the other rules left doubled."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"[,;:]+\s*([.!?])", r"\1", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    text = re.sub(r"([,;:])(?=\w)", r"\1 ", text)
    return re.sub(r"^[\s,;:.]+|[\s,;:]+$", "", text)


COMMON_RULES: tuple[Rule, ...] = (strip_markup, quotes_and_brackets, dashes, tidy)

ENGLISH_RULES: tuple[Rule, ...] = (
    digits_en.international_phones,
    en.thousands_separators,
    strip_markup,
    words_en.urls_and_emails,
    units_en.feet_and_inches,
    quotes_and_brackets,
    dates_en.dates,
    dates_en.periods,
    times_en.times,
    money_en.money,
    digits_en.phone_numbers,
    units_en.fractions,
    en.scale_suffixes,
    units_en.percent_and_units,
    words_en.abbreviations,
    words_en.roman_numerals,
    en.decades,
    digits_en.versions,
    digits_en.dashed_groups,
    en.ranges,
    en.years,
    en.ordinals,
    en.cardinals,
    words_en.symbols,
    words_en.greek_letters,
    dashes,
    words_en.acronyms,
    words_en.vowelless_words,
    tidy,
)


def _continental(lang: ModuleType, *middle: Rule, late: tuple[Rule, ...] = ()) -> tuple[Rule, ...]:
    """A German, French or Spanish rule list: the same families, each in the language's words."""
    return (
        strip_markup,
        quotes_and_brackets,
        lang.urls_and_emails,
        lang.dates,
        lang.times,
        lang.money,
        lang.percent_and_units,
        lang.abbreviations,
        *middle,
        lang.ranges,
        *late,
        lang.cardinals,
        lang.symbols,
        dashes,
        tidy,
    )


GERMAN_RULES = _continental(german, german.ordinals, late=(german.years,))
FRENCH_RULES = _continental(french, french.ordinals)
SPANISH_RULES = _continental(spanish, spanish.ordinals)

_LANGUAGE_RULES: dict[str, Sequence[Rule]] = {
    "en": ENGLISH_RULES,
    "de": GERMAN_RULES,
    "fr": FRENCH_RULES,
    "es": SPANISH_RULES,
}
