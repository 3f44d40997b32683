"""Joining and mastering: exact cue times from the tone engine, podcast loudness, MP3 format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mutagen.mp3 import MP3, BitrateMode

from narrate.audio import assemble, build_timeline, measure_loudness
from narrate.config import AudioSettings
from narrate.engines.tone import ToneEngine, word_ms
from narrate.models import Segment
from narrate.voices import load_profile

PROFILE = load_profile("test-tone")
WORD_MS = word_ms(PROFILE)


def _script() -> list[Segment]:
    return [
        Segment("Show name.", "Show name.", 500, part="intro"),
        Segment("The headline here.", "The headline here.", 1400, part="intro"),
        Segment("First sentence of the story.", "First sentence of the story.", 400),
        Segment("A heading", "A heading", 1000, is_heading=True, paragraph=1),
        Segment("Second one.", "Second one.", 900, paragraph=2),
        Segment("Goodbye from the show.", "Goodbye from the show.", 0, part="outro"),
    ]


def test_cues_sit_at_the_sum_of_the_lengths_and_pauses_before_them(tmp_path: Path) -> None:
    segments = _script()
    rendered = ToneEngine().render(segments, tmp_path, PROFILE)
    timeline, cues, chapters = build_timeline(rendered, AudioSettings())
    position = 0
    for segment, cue in zip(segments, cues, strict=True):
        length = len(segment.spoken.split()) * WORD_MS
        assert (cue.start_ms, cue.end_ms, cue.text) == (position, position + length, segment.text)
        position += length + segment.pause_after_ms
    assert len(timeline) == position
    assert [c.title for c in chapters] == [
        "Introduction",
        "Article",
        "A heading",
        "About this episode",
    ]
    assert chapters[1].start_ms == cues[2].start_ms
    assert chapters[2].start_ms == cues[3].start_ms
    assert chapters[-1].start_ms == cues[-1].start_ms
    assert chapters[-1].end_ms == len(timeline)


def test_master_gives_podcast_loudness_and_a_cbr_mono_mp3(tmp_path: Path) -> None:
    # Segments at different volumes, as real speech is, to give the normalizer work to do.
    quiet = replace(PROFILE, volume=0.05)
    segments = [Segment(f"Sentence number {i} of this test.", "x " * 12, 300) for i in range(12)]
    rendered = ToneEngine().render(segments, tmp_path / "segments", quiet)
    settings = AudioSettings()
    episode = assemble(rendered, settings, tmp_path, tmp_path / "episode.mp3")
    lufs, peak = measure_loudness(episode.mp3_path)
    assert lufs is not None and peak is not None
    assert abs(lufs - settings.target_lufs) <= 1.0, lufs
    assert peak <= -1.0, peak
    assert (episode.integrated_lufs, episode.true_peak_dbtp) == (lufs, peak)
    info = MP3(str(episode.mp3_path)).info
    assert info.sample_rate == 44100
    assert info.channels == 1
    assert info.bitrate == 64000
    assert info.bitrate_mode in {BitrateMode.CBR, BitrateMode.UNKNOWN}
    assert abs(info.length * 1000 - episode.duration_ms) < 100


def test_intro_and_outro_files_frame_the_speech(tmp_path: Path) -> None:
    jingle_rendered = ToneEngine().render(
        [Segment("jingle", "one two three four five", 0)], tmp_path / "jingle", PROFILE
    )
    jingle = jingle_rendered[0].wav_path
    settings = AudioSettings(intro_file=jingle, outro_file=jingle)
    rendered = ToneEngine().render(_script(), tmp_path / "speech", PROFILE)
    timeline, cues, chapters = build_timeline(rendered, settings)
    jingle_ms = 5 * WORD_MS
    assert cues[0].start_ms == jingle_ms
    plain, _, _ = build_timeline(rendered, AudioSettings())
    assert len(timeline) == len(plain) + 2 * jingle_ms
