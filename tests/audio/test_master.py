"""Mastering: podcast loudness and true peak, measured on the MP3 that comes out; its format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mutagen.mp3 import MP3, BitrateMode

from conftest import AUDIO
from narrate.audio.master import assemble, measure_loudness
from narrate.engines.protocol import render_all
from narrate.engines.tone import ToneEngine
from narrate.models import Segment
from narrate.voices import load_profile

PROFILE = load_profile("test-tone")


def test_master_gives_podcast_loudness_and_a_cbr_mono_mp3(tmp_path: Path) -> None:
    # Segments at different volumes, as real speech is, to give the normalizer work to do.
    quiet = replace(PROFILE, volume=0.05)
    segments = [Segment(f"Sentence number {i} of this test.", "x " * 12, 300) for i in range(12)]
    rendered = render_all(ToneEngine(), segments, tmp_path / "segments", quiet)
    settings = AUDIO
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
