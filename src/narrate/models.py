"""The typed values that flow between the pipeline's stages.

``Source text -> Article -> Script (of Segments) -> [RenderedSegment] -> EpisodeAudio ->
EpisodeRecord (catalog) -> feed and pages``. All are frozen; units live in the names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

Part = Literal["intro", "body", "outro"]
BlockKind = Literal["text", "quote", "item"]  # what a body block is, besides a heading
SegmentKind = Literal["intro", "title", "heading", "sentence", "quote", "item", "outro"]


@dataclass(frozen=True)
class Paragraph:
    """One block of the article body, as written (plain text, no markup)."""

    text: str
    is_heading: bool = False
    kind: BlockKind = "text"  # a block quote or a list item is paced apart from prose


@dataclass(frozen=True)
class Article:
    """What extraction keeps of a page: the parts a listener should hear, as written."""

    title: str
    paragraphs: tuple[Paragraph, ...]
    byline: str | None = None  # the author(s), without a leading "By"
    published: date | None = None
    source_url: str | None = None
    publisher: str | None = None  # the site or publication name, when known
    language: str = "en"  # ISO 639-1: the page's declared language, or detected
    source_name: str = "stdin"  # the file name it came from, for messages
    description: str | None = None  # the page's summary (meta description), as written
    image_url: str | None = None  # the page's lead image (og:image), absolute when the page says

    @property
    def body_text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def text_sha256(self) -> str:
        """Hash of the article's text (title + body): traces an episode to its words."""
        digest = hashlib.sha256()
        digest.update(self.title.encode("utf-8"))
        digest.update(b"\n\n")
        digest.update(self.body_text.encode("utf-8"))
        return digest.hexdigest()


@dataclass(frozen=True)
class Pacing:
    """How long the silences are. Comes from the voice profile / narrate.toml."""

    sentence_pause_ms: int = 400  # after a sentence inside a paragraph
    paragraph_pause_ms: int = 900  # after the last sentence of a paragraph
    heading_pause_ms: int = 1000  # after a heading, and after the headline in the intro
    before_heading_ms: int = 1300  # after the paragraph that a heading follows (a new section)
    quote_pause_ms: int = 1100  # before and after a block quote (it is set apart)
    item_pause_ms: int = 600  # between the items of a list
    part_pause_ms: int = 1400  # after the intro and before the outro
    max_segment_chars: int = 500  # longer sentences are split at clause boundaries


@dataclass(frozen=True)
class Segment:
    """One unit of speech: usually a sentence. ``text`` is shown, ``spoken`` is said."""

    text: str  # as written: what the transcript shows
    spoken: str  # normalized, lexicon applied: what the engine receives
    pause_after_ms: int
    part: Part = "body"
    paragraph: int = 0  # index of the paragraph (within its part) the segment belongs to
    is_heading: bool = False  # a heading of the body: it starts a chapter
    kind: SegmentKind = "sentence"
    section: str | None = None  # the body heading it falls under (None before the first)


@dataclass(frozen=True)
class Script:
    """Everything that will be spoken for one article, in order."""

    article: Article
    segments: tuple[Segment, ...]

    def part(self, part: Part) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.part == part)


@dataclass(frozen=True)
class RenderedSegment:
    """A segment's audio, as a WAV file the engine wrote."""

    segment: Segment
    wav_path: Path
    duration_ms: int


@dataclass(frozen=True)
class Cue:
    """A transcript cue: a sentence at its real time in the episode audio."""

    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class Chapter:
    start_ms: int
    end_ms: int
    title: str


@dataclass(frozen=True)
class EpisodeAudio:
    """The mastered, encoded (not yet tagged) episode."""

    mp3_path: Path
    duration_ms: int
    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]
    integrated_lufs: float | None = None
    true_peak_dbtp: float | None = None


@dataclass(frozen=True)
class Show:
    """The podcast (channel) an episode belongs to. Comes from ``[show]`` in narrate.toml."""

    title: str
    description: str
    author: str
    language: str = "en"
    base_url: str = "http://127.0.0.1:8000/"  # public URL of the output folder, ends with "/"
    image: str = "cover.png"  # path of the cover image under the output folder
    category: str = "News"
    subcategory: str | None = "Daily News"
    explicit: bool = False
    link: str | None = None  # the publisher's website; defaults to base_url
    owner_email: str | None = None
    max_episodes: int = 0  # the feed lists this many, newest first (0: all)

    def url(self, relative_path: str) -> str:
        """Absolute URL of a file under the output folder."""
        return self.base_url.rstrip("/") + "/" + relative_path.lstrip("/")


@dataclass(frozen=True)
class EpisodeRecord:
    """One published episode, as the catalog keeps it. Paths are relative to the output folder."""

    guid: str  # never changes once assigned
    key: str  # stable identity of the article (its URL, or its title when it has none)
    slug: str  # safe folder name under episodes/
    title: str
    description: str
    author: str | None
    published: datetime  # timezone-aware; the feed's pubDate
    source_url: str | None
    audio_path: str  # e.g. "episodes/<slug>/<slug>-<hash8>.mp3"
    size_bytes: int
    duration_ms: int
    transcript_path: str  # WebVTT
    chapters_path: str  # JSON chapters (podcast namespace)
    page_path: str  # the episode's page with the player
    embed_path: str  # the bare player, for an iframe on the article's page
    text_sha256: str
    narrate_version: str
    cues: tuple[Cue, ...] = field(default=())
    chapters: tuple[Chapter, ...] = field(default=())
    srt_path: str = ""  # SubRip transcript ("" for episodes built before narrate made one)
    json_transcript_path: str = ""  # Podcasting 2.0 JSON transcript (same)
    aac_path: str = ""  # the AAC copy, when the show makes one
    aac_size_bytes: int = 0
    image_url: str | None = None  # the article's lead image (http(s)), the episode's artwork
