"""The typed values that flow between the pipeline's stages, and the options they take.

``source -> Article -> Script (of Segments) -> [RenderedSegment] -> EpisodeAudio -> BuiltEpisode
-> EpisodeRecord (catalog) -> feed and pages``. All are frozen; units live in the names.

The options (``Settings`` and what it holds) have no defaults here: every default lives once, in
the packaged ``defaults/narrate.toml`` and ``voices/default.toml``, and ``narrate.config`` reads
them (``load_settings``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from narrate import layout
from narrate.language import language_tag

Part = Literal["intro", "body", "outro"]
BlockKind = Literal["text", "quote", "item"]  # what a body block is, besides a heading
SegmentKind = Literal["intro", "title", "heading", "sentence", "quote", "item", "outro"]
SourceKind = Literal["html", "text", "markdown"]
EpisodeType = Literal["full", "trailer", "bonus"]  # Apple's itunes:episodeType
EPISODE_TYPES: tuple[EpisodeType, ...] = ("full", "trailer", "bonus")

# Progress of a build: (what is happening, done, total); total 0 when unknown.
Progress = Callable[[str, int, int], None]


# --- what is read -------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleText:
    """An article given as text rather than as a file or URL (for programs)."""

    text: str
    kind: SourceKind | None = None  # None: told from the content (HTML, Markdown or text)
    name: str = "text"  # how messages name it
    url: str | None = None  # the article's own URL, if it has one


@dataclass(frozen=True)
class Paragraph:
    """One block of the article body, as written (plain text, no markup)."""

    text: str
    is_heading: bool = False
    kind: BlockKind = "text"  # a block quote or a list item is paced apart from prose


@dataclass(frozen=True)
class Person:
    """An author of an article: the name said after "By", and what the byline said beside it."""

    name: str
    role: str | None = None  # "National Security Writer", as written
    outlet: str | None = None  # "CNN Business", "AP", as written


def names_of(authors: tuple[Person, ...]) -> str | None:
    """ "Ann Lee, Bo Chen and Cy Diaz": the names, as the intro says them after "By"."""
    names = [p.name for p in authors]
    if len(names) > 2:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return " and ".join(names) or None


@dataclass(frozen=True)
class Release:
    """How an episode goes out: its schedule and numbers (front matter, or build's flags)."""

    publish_at: datetime | None = None  # not in the feed before this (timezone-aware)
    season: int | None = None  # itunes:season (None: as before, or none)
    episode_type: EpisodeType | None = None  # None: as before, or "full"
    image: str | None = None  # the episode's art (a file or URL), over the page's own image


@dataclass(frozen=True)
class Article:
    """What extraction keeps of a page: the parts a listener should hear, as written.

    ``authors`` and ``byline`` say the same: give either. Given the authors, the byline is their
    names ("Ann Lee and Bo Chen"); given only a byline, it is one author of that name.
    """

    title: str
    paragraphs: tuple[Paragraph, ...]
    byline: str | None = None  # the authors' names, without a leading "By"
    published: date | None = None
    published_at: datetime | None = None  # when the page says, with its time zone
    source_url: str | None = None
    publisher: str | None = None  # the site or publication name, when known
    language: str = "en"  # ISO 639-1: the page's declared language, or detected
    source_name: str = "stdin"  # the file name it came from, for messages
    description: str | None = None  # the page's summary (meta description), as written
    image_url: str | None = None  # the page's lead image (og:image), absolute when the page says
    authors: tuple[Person, ...] = ()
    deck: str | None = None  # the standfirst under the headline, as written (not in the body)
    release: Release = Release()  # the front matter's schedule and numbers

    def __post_init__(self) -> None:
        if self.authors and self.byline is None:
            object.__setattr__(self, "byline", names_of(self.authors))
        elif self.byline and not self.authors:
            object.__setattr__(self, "authors", (Person(self.byline),))

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


# --- what is said -------------------------------------------------------------------------


@dataclass(frozen=True)
class Pacing:
    """How long the silences are, in milliseconds (a voice profile's ``[pacing]``)."""

    sentence_pause_ms: int  # after a sentence inside a paragraph
    paragraph_pause_ms: int  # after the last sentence of a paragraph
    heading_pause_ms: int  # after a heading, and after the headline in the intro
    before_heading_ms: int  # after the paragraph that a heading follows (a new section)
    quote_pause_ms: int  # before and after a block quote (it is set apart)
    item_pause_ms: int  # between the items of a list
    part_pause_ms: int  # after the intro and before the outro
    max_segment_chars: int  # longer sentences are split at clause boundaries
    # Pauses follow the text (deterministically): longer after a long sentence, after a question
    long_sentence_words: int  # a sentence of more words than this gets a longer pause ...
    long_sentence_ms_per_word: int  # ... by this much for each word beyond it ...
    long_sentence_max_ms: int  # ... up to this
    question_pause_ms: int  # more after a question or an exclamation
    pause_jitter_ms: int  # up to this much more or less, from a hash of the sentence's words


@dataclass(frozen=True)
class Finish:
    """How the joined speech is finished (a voice profile's ``[finish]``)."""

    lead_in_ms: int  # silence before the first sound
    tail_ms: int  # silence after the last sound
    fade_in_ms: int  # each segment fades in over this (after the engine's silence is trimmed)
    fade_out_ms: int  # and out over this, so that sentences end as speech does
    room_tone: bool  # a quiet noise floor under everything instead of digital silence
    room_tone_dbfs: float  # its level before mastering (RMS)


# A pronunciation lexicon: "Written" = "respelling" for every engine, or a table of respellings
# by engine ({ pyttsx3 = "Zeh-lensky" }) that applies to those engines only.
LexiconEntries = Mapping[str, str | Mapping[str, str]]


@dataclass(frozen=True)
class VoiceProfile:
    """Which engine and voice speaks, how fast, with what pauses and pronunciations."""

    name: str
    engine: str
    voice_id: str
    model: str  # a voice file (Piper: a packaged voice's name, or a path to its .onnx)
    language: str
    rate_wpm: int
    pitch: int
    volume: float
    word_gap: int  # espeak-ng's pause between words, in its units (0: none); others ignore it
    pacing: Pacing
    finish: Finish
    lexicon: LexiconEntries = field(default_factory=dict)  # the profile's own [lexicon]
    show_lexicon: LexiconEntries = field(default_factory=dict)  # the show's, over it


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


# --- what is heard ------------------------------------------------------------------------


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine has, as ``narrate voices`` lists it."""

    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None


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
class AudioSettings:
    """``[audio]``: the episode's format, loudness, music and spoken intro and outro."""

    bitrate_kbps: int
    sample_rate_hz: int
    target_lufs: float
    true_peak_dbtp: float
    aac: bool  # also an AAC (.m4a) copy, at the same bitrate
    cache_mb: int  # segment audio kept for rebuilds (least recently used goes); 0: none
    intro_file: Path | None
    outro_file: Path | None
    intro: tuple[str, ...]  # for the show's language, and languages without their own
    outro: tuple[str, ...]
    intro_by_language: Mapping[str, tuple[str, ...]]  # primary language subtag -> lines
    outro_by_language: Mapping[str, tuple[str, ...]]

    def intro_for(self, language: str) -> tuple[str, ...]:
        """The spoken intro's templates for an article in ``language``."""
        return self.intro_by_language.get(language_tag(language) or "", self.intro)

    def outro_for(self, language: str) -> tuple[str, ...]:
        return self.outro_by_language.get(language_tag(language) or "", self.outro)


# --- what is published --------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    """Cover art, as bytes: the show's, or the copy an MP3 carries."""

    data: bytes
    mime: str  # image/png or image/jpeg
    side_px: int = 0  # the square's side (0: not known)

    @property
    def suffix(self) -> str:
        return ".png" if self.mime == "image/png" else ".jpg"


@dataclass(frozen=True)
class PlayerLook:
    """``[player]``: how the embedded player looks and what it offers, per show."""

    accent: str | None  # "#rrggbb": buttons, links, the highlighted sentence
    background: str | None  # None: the reader's light or dark mode
    text: str | None
    disclosure: str  # a line under the player ("Read by an AI voice."); "": none
    next_episode: bool  # a link to the episode after it in the feed (the next older)


@dataclass(frozen=True)
class Show:
    """The podcast (channel) an episode belongs to: ``[show]`` in narrate.toml."""

    title: str
    description: str
    author: str
    language: str
    base_url: str  # public URL of the output folder, ends with "/"
    image: str  # path of the cover image under the output folder
    category: str
    subcategory: str | None
    explicit: bool
    link: str | None  # the publisher's website; None: base_url
    owner_email: str | None
    max_episodes: int  # the feed lists this many, newest first (0: all)
    player: PlayerLook  # [player]: the embed's colours, disclosure line and next link

    def url(self, relative_path: str) -> str:
        """Absolute URL of a file under the output folder."""
        return self.base_url.rstrip("/") + "/" + relative_path.lstrip("/")


@dataclass(frozen=True)
class Settings:
    """Everything a build and a publish need, layered: packaged defaults < the show's
    narrate.toml < flags (see ``narrate.config.load_settings``)."""

    show: Show
    voice: VoiceProfile
    audio: AudioSettings
    output_dir: Path  # the show's folder: only publishing writes there
    cover_image: Path | None  # the show's cover art; None: one drawn from the show's title
    config_path: Path | None = None
    voices_by_language: Mapping[str, VoiceProfile] = field(default_factory=dict)
    cache_dir: Path | None = None  # spoken segments kept between builds; None: no cache

    def voice_for(self, language: str) -> VoiceProfile:
        """The profile for an article in ``language``: [voice] by_language's, else the show's."""
        return self.voices_by_language.get(language_tag(language) or "", self.voice)


@dataclass(frozen=True)
class QueueSettings:
    """Where narrate's jobs run (``[queue]`` in narrate.toml): the Redis that holds the queue,
    the shared folder built episodes travel through, and the limits of a job."""

    redis_url: str  # redis://host:port/db
    name: str  # the RQ queue, and the prefix of narrate's own keys: one per show
    spool: str | None  # built episodes on their way: a folder or an s3:// URL; None: the show's
    job_timeout_s: int  # a job running longer is killed (and retried)
    retries: int  # attempts after the first, for a job whose worker or work horse died
    retry_backoff_s: tuple[int, ...]  # the wait before each retry (the last one repeats)
    heartbeat_s: int  # a dead worker's job is retried after about three of these
    lock_s: int  # the publisher's lock lives this long unless its holder renews it


@dataclass(frozen=True)
class BuiltEpisode:
    """An episode's files, made and checked, in ``work_dir`` (see ``narrate.layout``): what
    ``build_episode`` returns and ``publish`` takes into the show."""

    article: Article
    script: Script
    audio: EpisodeAudio
    work_dir: Path
    duration_ms: int  # of the MP3, as players see it
    size_bytes: int
    description: str
    build_seconds: float
    cached_segments: int = 0  # segments whose audio came from the cache, not the engine

    @property
    def mp3_path(self) -> Path:
        return self.work_dir / layout.AUDIO_NAME

    @property
    def aac_path(self) -> Path | None:
        path = self.work_dir / layout.AAC_NAME
        return path if path.is_file() else None

    @property
    def transcript_path(self) -> Path:
        return self.work_dir / layout.TRANSCRIPT_NAME

    @property
    def srt_path(self) -> Path:
        return self.work_dir / layout.SRT_NAME

    @property
    def json_transcript_path(self) -> Path:
        return self.work_dir / layout.JSON_TRANSCRIPT_NAME

    @property
    def chapters_path(self) -> Path:
        return self.work_dir / layout.CHAPTERS_NAME

    @property
    def art_path(self) -> Path | None:
        """The episode's own cover (None: the article had no usable image)."""
        path = self.work_dir / layout.ART_NAME
        return path if path.is_file() else None

    def files(self) -> list[Path]:
        """The episode's files in ``work_dir``, those the build made."""
        folder = self.work_dir
        return [folder / name for name in layout.BUILT_NAMES if (folder / name).is_file()]


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
    language: str = ""  # the article's (ISO 639-1); "" for episodes recorded before: the show's
    episode_number: int = 0  # itunes:episode: 1, 2, ... in the order first published
    season: int | None = None  # itunes:season
    episode_type: EpisodeType = "full"
    publish_at: datetime | None = None  # held out of the feed and pages until then
    art_path: str = ""  # the episode's square cover ("": the show's cover)

    def released(self, now: datetime) -> bool:
        """Whether the episode is out at ``now`` (scheduled ones appear from ``publish_at``)."""
        return self.publish_at is None or self.publish_at <= now
