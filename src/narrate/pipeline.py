"""Article in, episode files out: ``build_episode(source, settings)``.

The stages, each a package of its own (every import points down to the ground: ``models``,
``errors``, ``layout``, ``language``, ``months``):

1. intake      (``intake/``)     a file, stdin, a URL or text -> ``Article``; its lead image,
                                 made the episode's square cover (``publishing/cover``)
2. speech      (``speech/``)     -> ``Script``: intro, body sentences and outro, each with the
                                 words to say (normalized, lexicon applied) and the pause after it
3. engines     (``engines/``)    each segment -> a WAV file (from the cache when said before)
4. audio       (``audio/``)      -> one mastered, loudness-normalized MP3, with cues and chapters
5. tags        (``publishing/tagging``, ``publishing/transcript``) -> ID3v2.3 tags, cover and
                                 chapters in the MP3; WebVTT, SubRip and JSON transcripts and
                                 JSON chapters beside it
6. publish     (``publishing/writer``) -> the show's catalog, feed and pages (``publish``)

``build_episode`` (stages 1 to 5) is a function of its source and settings: it writes only into
a work folder of its own (a new temporary one unless the caller names one) and into the segment
cache, if the settings name one. So builds can run anywhere and at once (one job per article).
``publish`` (stage 6) then moves the files into the show and rewrites its feed and pages: the
one writer of a show's folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
from dataclasses import fields, replace
from pathlib import Path
from typing import BinaryIO

from narrate import layout
from narrate.audio.master import assemble
from narrate.audio.reuse import EpisodeCache, file_digest, fingerprint
from narrate.engines.cache import SegmentCache, SpokenInOrder
from narrate.engines.protocol import TTSEngine
from narrate.engines.registry import get_engine
from narrate.errors import InputError, PublishError
from narrate.intake.image import lead_image
from narrate.intake.source import Source, load_article
from narrate.language import language_tag, primary_subtag
from narrate.models import (
    Article,
    BuiltEpisode,
    Cover,
    EpisodeAudio,
    Progress,
    Release,
    Script,
    Settings,
    VoiceProfile,
)
from narrate.publishing.cover import episode_cover, show_cover, tag_art
from narrate.publishing.tagging import Tags, mp3_duration_ms, write_mp4_tags, write_tags
from narrate.publishing.transcript import (
    render_chapters_json,
    render_json_transcript,
    render_srt,
    render_webvtt,
)
from narrate.speech.announce import fill_template, template_fields
from narrate.speech.lexicon import spoken_lexicon
from narrate.speech.normalize import has_rules
from narrate.speech.segment import make_script
from narrate.version import __version__

log = logging.getLogger(__name__)

BUILD_PREFIX = "narrate-build-"  # a build's temporary folder: narrate-build-<pid>-<random>
# Stages 1 and 2 of builds running in threads (``narrate build --jobs``) take turns: they are
# a fraction of a build, and the speech stage keeps state that is not thread-safe (pysbd's
# segmenters, cached per language, remember the text they are splitting).
_SCRIPT_TURN = threading.Lock()


def prepare_script(
    source: Source,
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    source_url: str | None = None,
) -> Script:
    """Stages 1 and 2: what would be spoken, without speaking it (``narrate script``)."""
    with _SCRIPT_TURN:
        article = load_article(source, stdin=stdin, source_url=source_url)
        return _script(article, settings, article_voice(settings, article.language))


def _script(article: Article, settings: Settings, voice: VoiceProfile) -> Script:
    fields = template_fields(article, settings.show)
    return make_script(
        article,
        intro=fill_template(settings.audio.intro_for(article.language), fields),
        outro=fill_template(settings.audio.outro_for(article.language), fields),
        pacing=voice.pacing,
        lexicon=spoken_lexicon(voice),  # the starter's < the voice's < the show's
        engine=voice.engine,
    )


def article_voice(settings: Settings, language: str) -> VoiceProfile:
    """Who reads an article in ``language``: the show's profile for it ([voice] by_language),
    else the show's voice when it speaks the language, else the show's voice with a voice of
    the language from its engine (when it has one; espeak-ng has over a hundred). Logs a line
    when that language has no spoken-form rules of narrate's."""
    tag = language_tag(language) or primary_subtag(settings.voice.language)
    voice = settings.voice_for(tag)
    if primary_subtag(voice.language) == tag:
        return voice
    if not has_rules(tag):
        log.warning(
            "no spoken-form rules for the language %r: numbers and dates are read as the "
            "%s engine reads them",
            tag,
            voice.engine,
        )
    found = next(
        (v for v in get_engine(voice.engine).voices() if tag in map(primary_subtag, v.languages)),
        None,
    )
    if found is None:
        log.warning("the %s engine has no %r voice: %s reads it", voice.engine, tag, voice.name)
        return voice
    log.info(
        "no voice profile for %r: the %s engine's voice %s reads it", tag, voice.engine, found.id
    )
    # The profile's lexicon is for its own language; the show's applies to any.
    return replace(voice, voice_id=found.id, language=tag, lexicon={})


def build_episode(
    source: Source,
    settings: Settings,
    *,
    work_dir: Path | None = None,
    stdin: BinaryIO | None = None,
    source_url: str | None = None,
    progress: Progress | None = None,
    release: Release | None = None,
) -> BuiltEpisode:
    """Stages 1 to 5: the episode's MP3 (and AAC copy), transcripts and chapters.

    They go into ``work_dir`` (made if missing; the files keep the names in ``narrate.layout``),
    or into a new temporary folder that ``publish`` removes. Nothing else is written but the
    segment cache (``settings.cache_dir``). A build that fails leaves nothing behind.
    ``release`` (the build's flags) goes over the front matter's schedule and numbers.
    """
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    report("reading", 0, 0)
    with _SCRIPT_TURN:
        article = with_release(load_article(source, stdin=stdin, source_url=source_url), release)
        voice = article_voice(settings, article.language)
        script = _script(article, settings, voice)
    made_dir = work_dir is None or not work_dir.exists()
    try:
        if work_dir is None:
            sweep_dead_builds()
            folder = Path(tempfile.mkdtemp(prefix=f"{BUILD_PREFIX}{os.getpid()}-"))
        else:
            folder = work_dir
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(
            f"cannot make the folder for the episode's files: {exc}",
            "check that the folder is writable and the disk has room",
        ) from exc
    try:
        art = _episode_art(article, source)
        return _make_files(script, settings, voice, folder, report, started, art)
    except OSError as exc:
        _discard(folder, made_dir)
        raise PublishError(
            f"cannot write the episode's files in {folder}: {exc}",
            "check that the folder is writable and the disk has room",
        ) from exc
    except BaseException:
        _discard(folder, made_dir)
        raise


def with_release(article: Article, given: Release | None) -> Article:
    """``article`` with what ``given`` sets over its own release (None: not set)."""
    if given is None:
        return article
    own = article.release
    return replace(
        article,
        release=Release(
            given.publish_at or own.publish_at,
            own.season if given.season is None else given.season,
            given.episode_type or own.episode_type,
            given.image or own.image,
        ),
    )


def _episode_art(article: Article, source: Source) -> Cover | None:
    """The episode's square cover, made from the article's lead image (None: there is none,
    or the page's own could not be read: the show's cover stands in)."""
    found = lead_image(article, source)
    if found is None:
        return None
    data, name = found
    try:
        return episode_cover(data, f"the image {name}")
    except InputError as exc:
        if article.release.image:  # the producer's choice: not to be replaced silently
            raise
        log.warning("no episode art: %s; the show's cover is used", exc.message)
        return None


def sweep_dead_builds() -> int:
    """Remove the temporary folders of builds whose process is gone (killed, so it could not
    clean up); returns how many. A folder's name carries its build's process id."""
    swept = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{BUILD_PREFIX}*-*"):
        pid = folder.name.removeprefix(BUILD_PREFIX).split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            log.info("removing %s, left by a build that was killed", folder)
            shutil.rmtree(folder, ignore_errors=True)
            swept += 1
    return swept


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _discard(folder: Path, made_dir: bool) -> None:
    """What a failed build wrote: the whole folder if the build made it, else its own files."""
    if made_dir:
        shutil.rmtree(folder, ignore_errors=True)
        return
    shutil.rmtree(folder / layout.SEGMENTS_DIR, ignore_errors=True)
    for name in layout.BUILT_NAMES:
        with contextlib.suppress(OSError):
            (folder / name).unlink()


def _make_files(
    script: Script,
    settings: Settings,
    voice: VoiceProfile,
    folder: Path,
    report: Progress,
    started: float,
    art: Cover | None = None,
) -> BuiltEpisode:
    """Stages 3 to 5, into ``folder`` (``art`` is the episode's own cover, if it has one); or,
    when the segment cache's folder holds an episode with the same fingerprint (an unchanged
    rebuild), its finished files."""
    article = script.article
    total = len(script.segments)
    engine = get_engine(voice.engine)
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
        cover=tag_art(art or show_cover(settings)),
    )
    finished = None
    key = ""
    if settings.cache_dir is not None and settings.audio.cache_mb > 0:
        finished = EpisodeCache(settings.cache_dir)
        key = fingerprint(_what_reaches_the_mp3(script, settings, voice, engine, tags))
        audio = finished.get(key, folder, layout.BUILT_NAMES)
        if audio is not None:
            log.info("unchanged since it was last built (%s): its finished files are reused", key)
            report("speaking", total, total)
            return _built(script, audio, folder, description, started, cached=total)
    done = 0

    def advance(count: int) -> None:  # in the engine's thread
        nonlocal done
        done += count
        report("speaking", done, total)
        if done == total:
            report("mastering", 0, 0)

    report("speaking", 0, total)
    cache = None
    if settings.cache_dir is not None:
        cache = SegmentCache(
            settings.cache_dir, engine.identity(), voice, engine.voice_identity(voice)
        )
    segments_dir = folder / layout.SEGMENTS_DIR
    # Stages 3 and 4 overlap: the engine speaks in a thread of its own while the segments it
    # has said, in order, are joined and encoded.
    spoken = SpokenInOrder(
        engine,
        script.segments,
        segments_dir,
        voice,
        cache if settings.audio.cache_mb > 0 else None,
        advance,
    )
    try:
        mp3 = folder / layout.AUDIO_NAME
        aac = folder / layout.AAC_NAME if settings.audio.aac else None
        audio = assemble(spoken, settings.audio, segments_dir, mp3, aac, voice.finish)
    finally:
        spoken.close()
        shutil.rmtree(segments_dir, ignore_errors=True)
    cached = spoken.cached
    tags = replace(tags, chapters=audio.chapters)
    if art is not None:
        (folder / layout.ART_NAME).write_bytes(art.data)
    write_tags(mp3, tags)
    if aac is not None:
        write_mp4_tags(aac, tags)
    (folder / layout.TRANSCRIPT_NAME).write_text(render_webvtt(audio.cues), encoding="utf-8")
    (folder / layout.SRT_NAME).write_text(render_srt(audio.cues), encoding="utf-8")
    (folder / layout.JSON_TRANSCRIPT_NAME).write_text(
        render_json_transcript(audio.cues), encoding="utf-8"
    )
    (folder / layout.CHAPTERS_NAME).write_text(
        render_chapters_json(audio.chapters, title=article.title), encoding="utf-8"
    )
    budget = settings.audio.cache_mb * 2**20  # with 0, what an earlier setting left goes
    if finished is not None:
        finished.put(key, folder, layout.BUILT_NAMES, audio)
        finished.prune(budget)
    if cache is not None:
        cache.prune(budget)
    return _built(script, audio, folder, description, started, cached=cached)


def _built(
    script: Script,
    audio: EpisodeAudio,
    folder: Path,
    description: str,
    started: float,
    *,
    cached: int,
) -> BuiltEpisode:
    mp3 = folder / layout.AUDIO_NAME
    return BuiltEpisode(
        article=script.article,
        script=script,
        audio=audio,
        work_dir=folder,
        duration_ms=mp3_duration_ms(mp3),
        size_bytes=mp3.stat().st_size,
        description=description,
        build_seconds=time.perf_counter() - started,
        cached_segments=cached,
    )


def _what_reaches_the_mp3(
    script: Script, settings: Settings, voice: VoiceProfile, engine: TTSEngine, tags: Tags
) -> list[object]:
    """Everything the episode's finished files are made of, as plain values: its fingerprint
    (``audio.reuse``). Whatever is not here must not change the MP3 or the files beside it."""
    audio = settings.audio
    tag_values = {
        f.name: _digest_bytes(getattr(tags, f.name)) for f in fields(tags) if f.name != "chapters"
    }
    return [
        "narrate",
        __version__,
        engine.identity(),
        engine.voice_identity(voice),
        [voice.engine, voice.voice_id, voice.model, voice.rate_wpm, voice.pitch, voice.volume],
        repr(voice.finish),
        [audio.bitrate_kbps, audio.sample_rate_hz, audio.target_lufs, audio.true_peak_dbtp],
        audio.aac,
        file_digest(audio.intro_file),
        file_digest(audio.outro_file),
        tag_values,
        [(s.text, s.spoken, s.pause_after_ms, s.part, s.is_heading) for s in script.segments],
    ]


def _digest_bytes(value: object) -> object:
    """A tag's value for the fingerprint: a picture by its content hash."""
    if isinstance(value, Cover):
        return [value.mime, hashlib.sha256(value.data).hexdigest()]
    return value if isinstance(value, str | int | float | None) else repr(value)


def describe(article: Article, limit: int = 300) -> str:
    """The episode's description: the article's opening, cut at a word."""
    body = " ".join(p.text for p in article.paragraphs if not p.is_heading)
    if len(body) <= limit:
        return body
    cut = body[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
