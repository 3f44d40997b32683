"""Article in, episode files out: ``build_episode(source, settings)``.

The stages, each a module of its own:

1. extract   (extract.py)    source file or stdin -> ``Article``
2. script    (segment.py, normalize.py) -> ``Script``: intro, body sentences and outro, each with
   the words to speak and the pause after it
3. speak     (engines/)      each segment -> a WAV file (from the cache when it was spoken before)
4. join      (audio.py)      -> one mastered, loudness-normalized MP3, with cues and chapters
5. tag       (tagging.py)    -> ID3v2.3 tags, cover and chapters in the MP3
6. transcript (transcript.py) -> WebVTT, SubRip and JSON transcripts; JSON chapters

``build_episode`` writes only into its own staging folder, so that many builds can run at once
(one job per article); ``publish.publish`` then records the episode in the catalog and rewrites
the feed and pages, one writer at a time.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import string
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from narrate import __version__
from narrate.audio import assemble
from narrate.catalog import STATE_DIR, check_output_folder
from narrate.config import Settings
from narrate.cover import tag_art
from narrate.engines import get_engine
from narrate.engines.cache import SegmentCache, render_with_cache
from narrate.errors import PublishError
from narrate.extract import load_article
from narrate.models import Article, EpisodeAudio, Script
from narrate.segment import make_script
from narrate.tagging import Tags, mp3_duration_ms, write_mp4_tags, write_tags
from narrate.transcript import (
    render_chapters_json,
    render_json_transcript,
    render_srt,
    render_webvtt,
)

log = logging.getLogger(__name__)

# Progress: (what is happening, done, total); total 0 when unknown.
Progress = Callable[[str, int, int], None]

AUDIO_NAME = "episode.mp3"
AAC_NAME = "episode.m4a"
TRANSCRIPT_NAME = "transcript.vtt"
SRT_NAME = "transcript.srt"
JSON_TRANSCRIPT_NAME = "transcript.json"
CHAPTERS_NAME = "chapters.json"
CACHE_DIR = "cache/segments"  # under the output's state folder


@dataclass(frozen=True)
class BuiltEpisode:
    """An episode's files, made and checked, waiting in ``staging_dir`` to be published."""

    article: Article
    script: Script
    audio: EpisodeAudio
    staging_dir: Path
    duration_ms: int  # of the MP3, as players see it
    size_bytes: int
    description: str
    build_seconds: float
    cached_segments: int = 0  # segments whose audio came from the cache, not the engine

    @property
    def mp3_path(self) -> Path:
        return self.staging_dir / AUDIO_NAME


def prepare_script(
    source: str,
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    source_url: str | None = None,
) -> Script:
    """Stages 1 and 2: what would be spoken, without speaking it (``narrate script``)."""
    article = load_article(source, stdin=stdin, source_url=source_url)
    fields = template_fields(article, settings)
    voice = settings.voice_for(article.language)
    return make_script(
        article,
        intro=fill_template(settings.audio.intro, fields),
        outro=fill_template(settings.audio.outro, fields),
        pacing=voice.pacing,
        lexicon=voice.spoken_lexicon,  # the starter's < the show's < the voice's
    )


def build_episode(
    source: str,
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    source_url: str | None = None,
    progress: Progress | None = None,
) -> BuiltEpisode:
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    report("reading", 0, 0)
    script = prepare_script(source, settings, stdin=stdin, source_url=source_url)
    check_output_folder(settings.output_dir)
    staging = settings.output_dir / STATE_DIR / "staging" / uuid.uuid4().hex
    try:
        staging.mkdir(parents=True)
        return _make_files(script, settings, staging, report, started)
    except OSError as exc:
        discard_staging(staging, settings.output_dir)
        raise PublishError(
            f"cannot write the episode's files under {settings.output_dir}: {exc}",
            "check that the output folder is writable and the disk has room",
        ) from exc
    except BaseException:
        discard_staging(staging, settings.output_dir)
        raise


def discard_staging(staging: Path, output_dir: Path) -> None:
    """Remove a build's staging folder, and the folders above it that it leaves empty."""
    shutil.rmtree(staging, ignore_errors=True)
    for folder in (staging.parent, staging.parent.parent, output_dir):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if empty: it was made for this build


def _make_files(
    script: Script, settings: Settings, staging: Path, report: Progress, started: float
) -> BuiltEpisode:
    """Stages 3 to 6, into ``staging``."""
    article = script.article
    total = len(script.segments)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        report("speaking", done, total)

    report("speaking", 0, total)
    voice = settings.voice_for(article.language)
    engine = get_engine(voice.engine)
    cache = SegmentCache(settings.output_dir / STATE_DIR / CACHE_DIR, engine.identity(), voice)
    with tempfile.TemporaryDirectory(prefix="narrate-") as work:
        rendered, cached = render_with_cache(
            engine,
            script.segments,
            Path(work) / "segments",
            voice,
            cache if settings.audio.cache_mb > 0 else None,
            advance,
        )
        report("mastering", 0, 0)
        aac = staging / AAC_NAME if settings.audio.aac else None
        audio = assemble(rendered, settings.audio, Path(work), staging / AUDIO_NAME, aac)
    cache.prune(settings.audio.cache_mb * 2**20)  # with 0, what an earlier setting left goes
    description = describe(article)
    tags = Tags(
        title=article.title,
        show=settings.show.title,
        author=article.byline or settings.show.author,
        show_author=settings.show.author,
        published=article.published,
        description=description,
        language=article.language,
        source_url=article.source_url,
        text_sha256=article.text_sha256,
        narrate_version=__version__,
        cover=tag_art(settings.cover),
        chapters=audio.chapters,
    )
    write_tags(staging / AUDIO_NAME, tags)
    if aac is not None:
        write_mp4_tags(aac, tags)
    (staging / TRANSCRIPT_NAME).write_text(render_webvtt(audio.cues), encoding="utf-8")
    (staging / SRT_NAME).write_text(render_srt(audio.cues), encoding="utf-8")
    (staging / JSON_TRANSCRIPT_NAME).write_text(
        render_json_transcript(audio.cues), encoding="utf-8"
    )
    (staging / CHAPTERS_NAME).write_text(
        render_chapters_json(audio.chapters, title=article.title), encoding="utf-8"
    )
    mp3 = staging / AUDIO_NAME
    return BuiltEpisode(
        article=article,
        script=script,
        audio=audio,
        staging_dir=staging,
        duration_ms=mp3_duration_ms(mp3),
        size_bytes=mp3.stat().st_size,
        description=description,
        build_seconds=time.perf_counter() - started,
        cached_segments=cached,
    )


def describe(article: Article, limit: int = 300) -> str:
    """The episode's description: the article's opening, cut at a word."""
    body = " ".join(p.text for p in article.paragraphs if not p.is_heading)
    if len(body) <= limit:
        return body
    cut = body[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def template_fields(article: Article, settings: Settings) -> dict[str, str]:
    host = (urlsplit(article.source_url).hostname or "") if article.source_url else ""
    host = host.removeprefix("www.")
    name = ""
    if article.source_name not in {"", "stdin", "-"}:
        name = Path(article.source_name).stem
    published = article.published
    return {
        "show": settings.show.title,
        "title": article.title,
        "byline": article.byline or "",
        "date": f"{published:%B} {published.day}, {published.year}" if published else "",
        "publisher": article.publisher or "",
        "source_host": host,
        "source_name": name,
        "origin": article.publisher or host,
    }


def fill_template(lines: tuple[str, ...], fields: dict[str, str]) -> list[str]:
    """Fill each line's ``{placeholders}``; a line with an empty or unknown one is left out."""
    out = []
    for line in lines:
        try:
            names = [n for _, n, _, _ in string.Formatter().parse(line) if n]
            if all(fields.get(n) for n in names):
                out.append(line.format(**fields))
        except (ValueError, KeyError, IndexError):
            log.warning("skipping the template line %r: it is not a valid template", line)
    return out
