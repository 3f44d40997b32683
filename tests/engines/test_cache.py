"""The segment cache: an edited article speaks only what changed, and sounds the same."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Generator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from narrate.cli import app
from narrate.config import load_settings
from narrate.engines.cache import SegmentCache, SpokenInOrder
from narrate.engines.protocol import render_all
from narrate.engines.tone import ToneEngine
from narrate.errors import ConfigError, EngineError
from narrate.layout import cache_dir
from narrate.models import RenderedSegment, Segment, Settings, VoiceInfo, VoiceProfile
from narrate.pipeline import build_episode
from narrate.publishing.writer import discard_built
from narrate.voices import load_profile

PROFILE = load_profile("test-tone")


class CountingEngine:
    """The tone engine, remembering what it was asked to speak."""

    name = "tone"

    def __init__(self) -> None:
        self.spoken: list[str] = []
        self.inner = ToneEngine()

    def identity(self) -> str:
        return self.inner.identity()

    def voices(self) -> list[VoiceInfo]:
        return self.inner.voices()

    def render(
        self, segments: Sequence[Segment], out_dir: Path, profile: VoiceProfile
    ) -> Generator[tuple[int, RenderedSegment]]:
        self.spoken += [s.spoken for s in segments]
        return self.inner.render(segments, out_dir, profile)


def render_with_cache(*args: Any) -> tuple[list[RenderedSegment], int]:
    """Every segment's audio, in order, and how many came from the cache."""
    spoken = SpokenInOrder(*args)  # engine, segments, folder, profile, cache[, progress]
    try:
        return list(spoken), spoken.cached
    finally:
        spoken.close()


def _segments(*texts: str) -> list[Segment]:
    return [Segment(t, t, 400) for t in texts]


def test_only_changed_segments_are_spoken_and_the_audio_is_the_same(tmp_path: Path) -> None:
    cache = SegmentCache(tmp_path / "cache", "tone 2", PROFILE)
    engine = CountingEngine()
    first, hits = render_with_cache(
        engine, _segments("One a.", "Two b c.", "Three."), tmp_path / "a", PROFILE, cache
    )
    assert hits == 0 and engine.spoken == ["One a.", "Two b c.", "Three."]
    engine.spoken.clear()
    done: list[int] = []
    second, hits = render_with_cache(
        engine,
        _segments("One a.", "Two b c d.", "Three."),
        tmp_path / "b",
        PROFILE,
        cache,
        done.append,
    )
    assert hits == 2 and engine.spoken == ["Two b c d."] and sum(done) == 3
    assert [r.segment.text for r in second] == ["One a.", "Two b c d.", "Three."]
    assert second[0].wav_path.read_bytes() == first[0].wav_path.read_bytes()
    fresh = render_all(ToneEngine(), _segments("Two b c d."), tmp_path / "c", PROFILE)
    assert second[1].wav_path.read_bytes() == fresh[0].wav_path.read_bytes()


def test_the_key_holds_everything_that_changes_the_sound(tmp_path: Path) -> None:
    segment = _segments("Hello there.")[0]
    base = SegmentCache(tmp_path, "tone 2", PROFILE).path(segment)
    changed = [
        SegmentCache(tmp_path, "tone 3", PROFILE).path(segment),
        SegmentCache(tmp_path, "tone 2", replace(PROFILE, rate_wpm=171)).path(segment),
        SegmentCache(tmp_path, "tone 2", replace(PROFILE, pitch=60)).path(segment),
        SegmentCache(tmp_path, "tone 2", replace(PROFILE, volume=0.8)).path(segment),
        SegmentCache(tmp_path, "tone 2", replace(PROFILE, voice_id="other")).path(segment),
        SegmentCache(tmp_path, "tone 2", PROFILE).path(replace(segment, spoken="Hello their.")),
    ]
    assert len({base, *changed}) == 7
    # What is shown, and the pause after, change no sound: same key.
    same = replace(segment, text="Hello, there!", pause_after_ms=900)
    assert SegmentCache(tmp_path, "tone 2", PROFILE).path(same) == base


def test_a_damaged_entry_is_spoken_again(tmp_path: Path) -> None:
    cache = SegmentCache(tmp_path / "cache", "tone 2", PROFILE)
    engine = CountingEngine()
    render_with_cache(engine, _segments("Once."), tmp_path / "a", PROFILE, cache)
    cache.path(_segments("Once.")[0]).write_bytes(b"RIFF broken")
    engine.spoken.clear()
    rendered, hits = render_with_cache(engine, _segments("Once."), tmp_path / "b", PROFILE, cache)
    assert hits == 0 and engine.spoken == ["Once."] and rendered[0].duration_ms > 0


def test_an_edited_article_rebuilds_from_the_cache(tone_settings: Settings, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    text = (
        "Harbour lights switched on\n\nBy Ada Quill\n\n"
        "The city switched on the lights on Friday. Crowds gathered to watch.\n\n"
        "Officials said the lamps use less power. They stay on until March.\n"
    )
    story.write_text(text, encoding="utf-8")
    first = build_episode(str(story), tone_settings)
    discard_built(first)
    assert first.cached_segments == 0
    story.write_text(text.replace("until March", "until April"), encoding="utf-8")
    second = build_episode(str(story), tone_settings)
    assert second.cached_segments == len(second.script.segments) - 1
    assert [c.start_ms for c in second.audio.cues] == [c.start_ms for c in first.audio.cues]


def test_build_says_how_many_segments_came_from_the_cache(
    tmp_path: Path, article_file: Path
) -> None:
    out = tmp_path / "output"
    args = ["build", str(article_file), "-o", str(out), "--voice", "test-tone"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.stderr
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.stderr
    total = int(again.stderr.split(" of ")[1].split()[0])
    assert f"story.txt: 0 of {total} segments spoken, {total} from the cache" in again.stderr
    assert f"{total} of {total} segments spoken, 0 from the cache" in first.stderr


@pytest.mark.slow
@pytest.mark.engine
def test_the_real_engine_reuses_its_audio(tmp_path: Path, article_file: Path) -> None:
    out = tmp_path / "output"
    settings = load_settings(output_dir=out, cwd=tmp_path, cache_dir=cache_dir(out))  # pyttsx3
    first = build_episode(str(article_file), settings)
    discard_built(first)
    second = build_episode(str(article_file), settings)
    assert first.cached_segments == 0
    assert second.cached_segments == len(second.script.segments) > 3
    assert second.audio.cues == first.audio.cues  # the same audio, to the sample


def test_segments_are_cached_as_the_engine_finishes_them(tmp_path: Path) -> None:
    """A build killed half-way through speaking keeps what it spoke."""

    class Failing(CountingEngine):
        def render(
            self, segments: Sequence[Segment], out_dir: Path, profile: VoiceProfile
        ) -> Generator[tuple[int, RenderedSegment]]:
            for count, finished in enumerate(self.inner.render(segments, out_dir, profile)):
                if count == 2:
                    raise KeyboardInterrupt
                yield finished

    cache = SegmentCache(tmp_path / "cache", "tone 2", PROFILE)
    texts = _segments("One.", "Two.", "Three.", "Four.")
    with pytest.raises(KeyboardInterrupt):
        render_with_cache(Failing(), texts, tmp_path / "a", PROFILE, cache)
    engine = CountingEngine()
    _, hits = render_with_cache(engine, texts, tmp_path / "b", PROFILE, cache)
    assert hits == 2 and engine.spoken == ["Three.", "Four."]


def _age(path: Path, hours: float) -> None:
    """Mark a cache entry as last used ``hours`` ago."""
    when = time.time() - hours * 3600
    os.utime(path, (when, when))


def test_the_cache_is_pruned_least_recently_used_first(tmp_path: Path) -> None:
    cache = SegmentCache(tmp_path / "cache", "tone 2", PROFILE)
    texts = ["One a.", "Two b c.", "Three d e f.", "Four."]
    rendered, _ = render_with_cache(
        CountingEngine(), _segments(*texts), tmp_path / "a", PROFILE, cache
    )
    paths = [cache.path(r.segment) for r in rendered]
    sizes = [p.stat().st_size for p in paths]
    _age(paths[0], 5)
    # a hit is a use: "One a.", the oldest, becomes the newest
    again = _segments("One a.")
    _, hits = render_with_cache(CountingEngine(), again, tmp_path / "b", PROFILE, cache)
    assert hits == 1 and time.time() - paths[0].stat().st_mtime < 60
    # last used 1.5, 2, 4 and 3 hours ago (none in use by a running build)
    for path, hours in zip(paths, (1.5, 2, 4, 3), strict=True):
        _age(path, hours)
    stale = paths[0].parent / ".left-by-a-killed-build.tmp"
    stale.write_bytes(b"half")
    _age(stale, 2)
    # room for the two used last: "Three" (4 h) goes, then "Four" (3 h)
    assert cache.prune(sizes[0] + sizes[1]) == 2
    assert [p.exists() for p in paths] == [True, True, False, False]
    assert not stale.exists()
    assert cache.prune(sizes[0] + sizes[1]) == 0  # it fits now


def test_entries_in_use_are_not_pruned_and_zero_turns_the_cache_off(
    tone_settings: Settings, tmp_path: Path
) -> None:
    cache = SegmentCache(tmp_path / "cache", "tone 2", PROFILE)
    render_with_cache(CountingEngine(), _segments("Just now."), tmp_path / "a", PROFILE, cache)
    assert cache.prune(0) == 0  # used a moment ago: a build beside this one may be joining it
    assert cache.path(_segments("Just now.")[0]).exists()

    story = tmp_path / "story.txt"
    story.write_text("Lights on\n\nThe city switched the lights on.\n", encoding="utf-8")
    first = build_episode(str(story), tone_settings)
    discard_built(first)
    entries = list((tone_settings.output_dir / ".narrate" / "cache").rglob("*.wav"))
    assert len(entries) == len(first.script.segments)
    for entry in entries:
        _age(entry, 2)
    config = tmp_path / "narrate.toml"
    config.write_text("[audio]\ncache_mb = 0\n", encoding="utf-8")
    off = load_settings(
        config=config,
        output_dir=tone_settings.output_dir,
        voice="test-tone",
        cwd=tmp_path,
        cache_dir=tone_settings.cache_dir,
    )
    assert off.audio.cache_mb == 0
    second = build_episode(str(story), off)
    assert second.cached_segments == 0  # off: nothing read from the cache
    assert [e for e in entries if e.exists()] == []  # and what an earlier build left is gone
    assert list((off.output_dir / ".narrate" / "cache").rglob("*.wav")) == []  # none added


def test_a_hit_survives_another_build_pruning_the_cache(tmp_path: Path) -> None:
    """Found in review: a build pruning the cache could delete an entry another build had just
    found there, before that build joined it ("unexpected failure: FileNotFoundError")."""
    cache = SegmentCache(tmp_path / "cache", "tone 2", PROFILE)
    segments = _segments("Old news.", "Older news.")
    first, _ = render_with_cache(CountingEngine(), segments, tmp_path / "a", PROFILE, cache)
    hits, count = render_with_cache(CountingEngine(), segments, tmp_path / "b", PROFILE, cache)
    assert count == 2
    for segment in segments:
        _age(cache.path(segment), 2)  # as if the hits were hours ago: prunable
    assert cache.prune(0) == 2  # another build prunes everything it may
    assert [cache.path(s).exists() for s in segments] == [False, False]
    for hit, spoken in zip(hits, first, strict=True):  # this build still has its audio
        assert hit.wav_path.read_bytes() == spoken.wav_path.read_bytes()


def test_pruning_skips_files_that_vanish_while_it_looks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in review: one file renamed or removed by another build mid-scan made the whole
    prune give up."""
    cache = SegmentCache(tmp_path / "cache", "tone 2", PROFILE)
    segments = _segments("One a.", "Two b c.", "Three d e f.")
    render_with_cache(CountingEngine(), segments, tmp_path / "a", PROFILE, cache)
    paths = [cache.path(s) for s in segments]
    for path in paths:
        _age(path, 2)
    real_scandir = os.scandir

    def racing_scandir(folder: str) -> object:
        found = list(real_scandir(folder))
        if folder == str(paths[0].parent):
            paths[0].unlink()  # gone between the listing and the look
        return iter(found)

    monkeypatch.setattr("narrate.engines.cache.os.scandir", racing_scandir)
    assert cache.prune(0) == 2
    assert [p.exists() for p in paths] == [False, False, False]


def test_cache_mb_must_be_a_size(tmp_path: Path) -> None:
    config = tmp_path / "narrate.toml"
    for bad in ("-1", "true", '"big"', "1.5"):
        config.write_text(f"[audio]\ncache_mb = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="cache_mb"):
            load_settings(config=config, output_dir=tmp_path / "out", cwd=tmp_path)


class HeldEngine(CountingEngine):
    """The tone engine saying the segments last first, and waiting after the first it yields
    until ``go`` is set (or failing there, with ``fail``); ``finished`` once all are said."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.go = threading.Event()
        self.finished = threading.Event()
        self.fail = fail

    def render(
        self, segments: Sequence[Segment], out_dir: Path, profile: VoiceProfile
    ) -> Generator[tuple[int, RenderedSegment]]:
        done = dict(self.inner.render(segments, out_dir, profile))
        for count, index in enumerate(sorted(done, reverse=True)):
            yield index, done[index]
            if count == 0:
                self.go.wait(10)
                if self.fail:
                    raise EngineError("the engine broke down", "try again")
        self.finished.set()


def test_segments_come_in_the_scripts_order_while_the_engine_still_speaks(
    tmp_path: Path,
) -> None:
    cache = SegmentCache(tmp_path / "cache", "tone 2", PROFILE)
    render_with_cache(CountingEngine(), _segments("First."), tmp_path / "a", PROFILE, cache)
    engine = HeldEngine()
    texts = _segments("First.", "Second one.", "Third one here.")
    spoken = SpokenInOrder(engine, texts, tmp_path / "b", PROFILE, cache)
    try:
        arriving = iter(spoken)
        # The cached first segment is read while the engine is held after its first (the last).
        assert next(arriving).segment == texts[0]
        assert not engine.finished.is_set()
        engine.go.set()
        assert [r.segment for r in arriving] == texts[1:]
    finally:
        spoken.close()
    assert spoken.cached == 1


def test_an_engine_failing_in_its_thread_fails_the_reader(tmp_path: Path) -> None:
    engine = HeldEngine(fail=True)
    spoken = SpokenInOrder(engine, _segments("One.", "Two."), tmp_path, PROFILE, None)
    engine.go.set()
    with pytest.raises(EngineError, match="broke down"):
        list(spoken)
    spoken.close()
