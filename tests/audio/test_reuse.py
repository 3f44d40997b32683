"""Finished episodes by fingerprint: what a hit gives back, damaged and partial entries, pruning."""

from __future__ import annotations

import os
import time
from pathlib import Path

from narrate.audio.reuse import IN_USE_S, EpisodeCache, file_digest, fingerprint
from narrate.models import Chapter, Cue, EpisodeAudio

NAMES = ("episode.mp3", "transcript.vtt", "episode.m4a")


def _finished(folder: Path, text: str = "audio") -> EpisodeAudio:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "episode.mp3").write_text(text)
    (folder / "transcript.vtt").write_text("WEBVTT")
    return EpisodeAudio(
        folder / "episode.mp3",
        1234,
        (Cue(0, 500, "One."), Cue(700, 1234, "Two.")),
        (Chapter(0, 1234, "Article"),),
        -16.1,
        -1.9,
    )


def test_a_kept_episode_comes_back_with_its_files_and_audio(tmp_path: Path) -> None:
    cache = EpisodeCache(tmp_path / "cache")
    audio = _finished(tmp_path / "built")
    cache.put("k1", tmp_path / "built", NAMES, audio)
    into = tmp_path / "rebuild"
    into.mkdir()
    back = cache.get("k1", into, NAMES)
    assert back is not None
    assert (back.cues, back.chapters, back.duration_ms) == (audio.cues, audio.chapters, 1234)
    assert (back.integrated_lufs, back.true_peak_dbtp) == (-16.1, -1.9)
    assert back.mp3_path == into / "episode.mp3"
    assert sorted(p.name for p in into.iterdir()) == ["episode.mp3", "transcript.vtt"]
    assert (into / "episode.mp3").read_text() == "audio"
    assert cache.get("other", into, NAMES) is None


def test_a_damaged_or_incomplete_entry_is_dropped(tmp_path: Path) -> None:
    cache = EpisodeCache(tmp_path / "cache")
    cache.put("k1", tmp_path / "built", NAMES, _finished(tmp_path / "built"))
    cache.put("k2", tmp_path / "built", NAMES, _finished(tmp_path / "built"))
    (tmp_path / "cache" / "episodes" / "k1" / "episode.json").write_text("{not json")
    (tmp_path / "cache" / "episodes" / "k2" / "transcript.vtt").unlink()
    into = tmp_path / "rebuild"
    into.mkdir()
    assert cache.get("k1", into, NAMES) is None
    assert cache.get("k2", into, NAMES) is None
    assert not (tmp_path / "cache" / "episodes" / "k1").exists()
    assert not (tmp_path / "cache" / "episodes" / "k2").exists()


def test_pruning_keeps_recent_entries_and_drops_the_oldest(tmp_path: Path) -> None:
    cache = EpisodeCache(tmp_path / "cache")
    root = tmp_path / "cache" / "episodes"
    for n in range(3):
        cache.put(f"k{n}", tmp_path / f"b{n}", NAMES, _finished(tmp_path / f"b{n}", "x" * 1000))
    old = time.time() - 2 * IN_USE_S
    for n, age in ((0, 30), (1, 20)):  # k0 used longest ago; k2 is in use
        os.utime(root / f"k{n}", (old - age, old - age))
    partial = root / ".dead.partial"
    partial.mkdir()
    os.utime(partial, (old, old))
    assert cache.prune(max_bytes=1) == 2  # k2 stays, however small the budget
    assert sorted(p.name for p in root.iterdir()) == ["k2"]


def test_the_fingerprint_changes_with_any_part(tmp_path: Path) -> None:
    intro = tmp_path / "intro.wav"
    intro.write_bytes(b"one")
    first = fingerprint(["a", 1, file_digest(intro)])
    assert first == fingerprint(["a", 1, file_digest(intro)])
    intro.write_bytes(b"two")
    assert first != fingerprint(["a", 1, file_digest(intro)])
    assert first != fingerprint(["a", 2, file_digest(intro)])
    assert file_digest(None) == "" and file_digest(tmp_path / "gone") == "missing"


def test_a_file_changed_in_place_is_not_reused(tmp_path: Path) -> None:
    # The entry shares its files with the published copies (hard links): a published MP3
    # truncated in place must not come back from the cache.
    cache = EpisodeCache(tmp_path / "cache")
    cache.put("k1", tmp_path / "built", NAMES, _finished(tmp_path / "built"))
    with (tmp_path / "cache" / "episodes" / "k1" / "episode.mp3").open("r+b") as handle:
        handle.truncate(2)
    into = tmp_path / "rebuild"
    into.mkdir()
    assert cache.get("k1", into, NAMES) is None
    assert list(into.iterdir()) == []
