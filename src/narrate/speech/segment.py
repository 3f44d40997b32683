"""Segmentation and pacing: Article -> Script of paced Segments.

1. Intro and outro lines (already filled-in templates) and body paragraphs are split into
   sentences with pysbd, on the written text.
2. Each sentence is normalized (:func:`narrate.speech.normalize.normalize`) into what the engine
   says.
3. A sentence whose spoken form is longer than ``Pacing.max_segment_chars`` is cut at clause
   boundaries (; : , dashes, then spaces) into pieces that each fit: the engine crashes on very
   long inputs. Pieces with nothing to say (only punctuation) are dropped.
4. Pauses are set from the pacing: after a piece of a long sentence, a sentence, a paragraph,
   a heading, a part (intro, body); none after the very last segment. Inside a part they follow
   the text: longer after a long sentence and after a question, and a little more or less by
   a hash of the sentence's words (deterministic: a rebuild pauses the same).
"""

from __future__ import annotations

import logging
import re
import textwrap
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pysbd

from narrate.language import primary_subtag
from narrate.models import Article, Pacing, Part, Script, Segment, SegmentKind
from narrate.speech import french, german, spanish
from narrate.speech.normalize import normalize

log = logging.getLogger(__name__)

CLAUSE_PAUSE_MS = 150  # between the pieces of a sentence that was too long to say at once

# Where a long sentence may be cut, best first; the cut keeps the mark on the left piece.
_CUTS = (
    re.compile(r"(?<=;)\s+"),
    re.compile(r"(?<=:)\s+"),
    re.compile(r"(?<=,)\s+(?!\d)"),
    re.compile(r"\s+(?=[—–]|--)|(?<=[—–])\s*|(?<=--)\s*"),
    re.compile(r"\s+"),
)


_BLOCK_KINDS: dict[str, SegmentKind] = {"text": "sentence", "quote": "quote", "item": "item"}


@dataclass(frozen=True)
class _Piece:
    text: str
    spoken: str
    part: Part
    paragraph: int
    kind: SegmentKind
    ends_sentence: bool


def make_script(
    article: Article,
    *,
    intro: Sequence[str] = (),
    outro: Sequence[str] = (),
    pacing: Pacing,
    lexicon: Mapping[str, str] | None = None,
    engine: str | None = None,
) -> Script:
    """Split ``article`` (with its intro and outro lines) into paced, normalized segments.

    The intro and the outro are each one paragraph (index 0) whose sentences are their lines;
    body segments carry the index of their paragraph in ``article.paragraphs``. ``engine`` (a
    voice profile's) is the engine that will say them: letters are written as it says them.
    """
    splitter = _Splitter(article.language or "en", lexicon, pacing.max_segment_chars, engine)
    pieces: list[_Piece] = []
    title = " ".join(article.title.split())
    for line in intro:
        # The intro line that says the headline gets the pause of a heading after it.
        kind: SegmentKind = "title" if title and line.startswith(title) else "intro"
        pieces += splitter.pieces(line, "intro", 0, kind)
    for index, paragraph in enumerate(article.paragraphs):
        kind = "heading" if paragraph.is_heading else _BLOCK_KINDS[paragraph.kind]
        pieces += splitter.pieces(paragraph.text, "body", index, kind)
    for line in outro:
        pieces += splitter.pieces(line, "outro", 0, "outro")

    segments = []
    section: str | None = None
    for i, piece in enumerate(pieces):
        following = pieces[i + 1] if i + 1 < len(pieces) else None
        if piece.kind == "heading" and (i == 0 or pieces[i - 1].kind != "heading"):
            section = piece.text
        elif piece.kind == "heading" and piece.text:
            if pieces[i - 1].paragraph == piece.paragraph:
                section = f"{section} {piece.text}"  # a heading cut in two stays one section
            else:
                section = piece.text  # a heading right under another: a section of its own
        segments.append(
            Segment(
                text=piece.text,
                spoken=piece.spoken,
                pause_after_ms=_pause(piece, following, pacing),
                part=piece.part,
                paragraph=piece.paragraph,
                # (not the rest of a word cut blindly: it has no text to title a chapter)
                is_heading=piece.kind == "heading" and bool(piece.text),
                kind=piece.kind,
                section=section if piece.part == "body" else None,
            )
        )
    return Script(article=article, segments=tuple(segments))


def speakable(spoken: str) -> bool:
    """Whether the engine has anything to say: at least one letter or digit."""
    return any(c.isalnum() for c in spoken)


# pysbd's time grows with the square of a block's length (its abbreviation pass rescans the whole
# block for each abbreviation): 40,000 characters took 6 s, 940,000 did not finish in 25 minutes.
# Longer blocks are first cut where a sentence surely ends, and pysbd splits each part.
PYSBD_BLOCK_CHARS = 2000
_SURE_END = re.compile(r"(?<=[a-z]{3}[.!?])\s+(?=[A-Z])")


# A piece that is only a time of day ("At 5 a.m.") ended where pysbd saw "a.m." before a
# capital ("At 5 a.m. Mr. Smith went..."): it is the start of the next sentence, not a sentence.
_TIME_PHRASE = re.compile(
    r"^(?:at|by|before|after|until|till|from|around|about|since)\s+"
    r"\d{1,2}(?:[:.]\d{2})?\s*[ap]\.\s?m\.$",
    re.IGNORECASE,
)


# Titles before a name that pysbd takes for a sentence's end in some languages ("la Dra. Ruiz").
_TITLE_END = {
    code: re.compile(rf"\b(?:{'|'.join(titles)})\.$")
    for code, titles in (("de", german.TITLES), ("fr", french.TITLES), ("es", spanish.TITLES))
}


def split_sentences(text: str, language: str = "en") -> list[str]:
    """The written sentences of a block of text (pysbd, clean=False), whitespace trimmed.

    Line breaks inside a block are spaces: text copied out of a browser breaks sentences where
    the page's layout did ("The council met on", new line, "Tuesday"); no sentence ends there.
    """
    flat = " ".join(text.split())
    segmenter = _segmenter(language)
    pieces = [s.strip() for part in _blocks(flat) for s in segmenter.segment(part) if s.strip()]
    title_end = _TITLE_END.get(primary_subtag(language))
    merged: list[str] = []
    for piece in pieces:
        before_a_name = title_end is not None and merged and title_end.search(merged[-1])
        if merged and (_TIME_PHRASE.match(merged[-1]) or before_a_name):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def _blocks(text: str) -> list[str]:
    """``text`` in parts of about PYSBD_BLOCK_CHARS, cut only after a lowercase word's stop."""
    if len(text) <= PYSBD_BLOCK_CHARS:
        return [text]
    parts, start = [], 0
    for cut in _SURE_END.finditer(text):
        if cut.start() - start >= PYSBD_BLOCK_CHARS:
            parts.append(text[start : cut.start()])
            start = cut.end()
    parts.append(text[start:])
    return parts


@lru_cache(maxsize=8)
def _segmenter(language: str) -> pysbd.Segmenter:
    try:
        return pysbd.Segmenter(language=language, clean=False)
    except ValueError:
        log.warning("no sentence rules for language %r; using English rules", language)
        return pysbd.Segmenter(language="en", clean=False)


class _Splitter:
    """Written block -> sentences -> pieces that fit the engine, each with its spoken form."""

    def __init__(
        self,
        language: str,
        lexicon: Mapping[str, str] | None,
        max_chars: int,
        engine: str | None,
    ) -> None:
        self.language = primary_subtag(language)
        self.lexicon = lexicon
        self.max_chars = max(max_chars, 1)
        self.engine = engine

    def spoken(self, text: str) -> str:
        return normalize(text, language=self.language, lexicon=self.lexicon, engine=self.engine)

    def pieces(self, block: str, part: Part, paragraph: int, kind: SegmentKind) -> list[_Piece]:
        out: list[_Piece] = []
        for sentence in split_sentences(block, self.language):
            chunks = []
            for text, spoken in self.fit(sentence):
                if speakable(spoken):
                    chunks.append((text, spoken))
                else:  # "* * *": nothing to say; --verbose shows what was left out
                    log.debug("left out of the %s, nothing to say: %r", part, text[:80])
            for n, (text, spoken) in enumerate(chunks):
                last = n == len(chunks) - 1
                out.append(_Piece(text, spoken, part, paragraph, kind, ends_sentence=last))
        return out

    def fit(self, text: str, level: int = 0) -> list[tuple[str, str]]:
        """Cut ``text`` into (written, spoken) chunks whose spoken form fits ``max_chars``."""
        spoken = self.spoken(text)
        if len(spoken) <= self.max_chars:
            return [(text, spoken)]
        if level >= len(_CUTS):  # one "word" longer than the limit: cut it blindly
            return self.cut_blindly(text)
        parts = [p for p in _CUTS[level].split(text) if p.strip()]
        if len(parts) == 1:
            return self.fit(text, level + 1)
        # Pack parts while their spoken lengths, each normalized once, add up to the limit; the
        # pack is normalized whole by the call below, which cuts it finer if it is still too long.
        # (Normalizing every candidate made a 200,000-character sentence take minutes.)
        chunks: list[tuple[str, str]] = []
        current, current_chars = "", 0
        for part in parts:
            part_chars = len(self.spoken(part))
            if current and current_chars + 1 + part_chars > self.max_chars:
                chunks += self.fit(current, level + 1)
                current, current_chars = part, part_chars
            else:
                current = f"{current} {part}" if current else part
                current_chars += (1 if current_chars else 0) + part_chars
        chunks += self.fit(current, level + 1)
        return chunks

    def cut_blindly(self, word: str) -> list[tuple[str, str]]:
        """Chunks of a "word" whose spoken form is longer than the limit (a 600-digit number).

        The written text is cut, and each piece normalized; a piece whose spoken form is still
        too long is cut again (between its words when it has some), its written text going with
        the first of its chunks only, so that the transcript shows each written character once
        and never the spoken form.
        """
        size = self.max_chars
        chunks: list[tuple[str, str]] = []
        for start in range(0, len(word), size):
            written = word[start : start + size]
            spoken = textwrap.wrap(self.spoken(written), size, break_on_hyphens=False)
            chunks += [(written if n == 0 else "", said) for n, said in enumerate(spoken)]
        return chunks


def _pause(piece: _Piece, following: _Piece | None, pacing: Pacing) -> int:
    """The silence after ``piece``: its boundary's, shaped by the text inside a part."""
    pause = _boundary_pause(piece, following, pacing)
    if following is None or following.part != piece.part or not piece.ends_sentence:
        return pause
    return max(0, pause + _following_the_text(piece, pacing))


_ENDING = re.compile(r"([.!?…:;,])[\s\"'”’)\]]*$")


def _following_the_text(piece: _Piece, pacing: Pacing) -> int:
    """What the sentence adds to its boundary's pause: a breath after a long sentence, more after
    a question or an exclamation, and a jitter picked by the words (never random: the same
    sentence always gets the same pause, so rebuilds stay byte for byte the same)."""
    words = len(piece.spoken.split())
    longer = pacing.long_sentence_ms_per_word * max(0, words - pacing.long_sentence_words)
    mark = _ENDING.search(piece.text or piece.spoken)
    asked = pacing.question_pause_ms if mark and mark.group(1) in "?!" else 0
    spread = pacing.pause_jitter_ms
    jitter = zlib.crc32(piece.spoken.encode("utf-8")) % (2 * spread + 1) - spread if spread else 0
    return min(longer, pacing.long_sentence_max_ms) + asked + jitter


def _boundary_pause(piece: _Piece, following: _Piece | None, pacing: Pacing) -> int:
    """The silence a boundary calls for: the longest of those that apply.

    Between parts (intro, body, outro) the part pause; inside a sentence cut for the engine a
    breath; after a heading or the headline the heading pause, and before a heading a longer
    paragraph pause (a new section); around a block quote and between list items their own.
    """
    if following is None:
        return 0
    if following.part != piece.part:
        return pacing.part_pause_ms
    if not piece.ends_sentence:
        return CLAUSE_PAUSE_MS
    if piece.kind == "title":
        return pacing.heading_pause_ms
    if following.paragraph == piece.paragraph:
        return pacing.sentence_pause_ms
    if piece.kind == "heading":
        return pacing.heading_pause_ms
    if following.kind == "heading":
        return pacing.before_heading_ms
    if "quote" in (piece.kind, following.kind) and piece.kind != following.kind:
        return pacing.quote_pause_ms
    if piece.kind == following.kind == "item":
        return pacing.item_pause_ms
    return pacing.paragraph_pause_ms
