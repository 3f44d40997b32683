"""Mastering: podcast loudness and true peak, measured on the MP3 that comes out; its format."""

from __future__ import annotations

import logging
import random
import re
import wave
from array import array
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from mutagen.mp3 import MP3, BitrateMode

import narrate.audio.master as master_module
from conftest import AUDIO
from narrate.audio.master import assemble, master, measure_loudness, mp3_margin_db
from narrate.engines.protocol import render_all
from narrate.engines.tone import ToneEngine
from narrate.errors import AudioError
from narrate.models import AudioSettings, Segment
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


def _peaky_speech(tmp_path: Path, seconds: int = 40) -> Path:
    """A WAV at 22.05 kHz that limits as speech does: bursts of filtered noise at different
    levels, with full-scale clicks (the peaks that overshoot once encoded), and gaps."""
    rate, draw = 22050, random.Random(7)
    samples = array("h")
    smooth = 0.0
    for second in range(seconds):
        level = 400 + 1200 * (second % 5)
        for n in range(rate):
            smooth = 0.6 * smooth + 0.4 * draw.gauss(0.0, 1.0)
            burst = (n // 2205) % 3 != 2  # 0.2 s on, 0.1 s off
            value = int(level * smooth) if burst else 0
            samples.append(12000 if n % 4410 == 7 else max(-32767, min(32767, value)))
    path = tmp_path / "timeline.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def _count_encodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    chains: list[str] = []
    real = master_module._encode_measured

    def counted(
        wav: Path, out: Path, settings: AudioSettings, chain: str
    ) -> tuple[float | None, float | None]:
        chains.append(chain)
        return real(wav, out, settings, chain)

    monkeypatch.setattr(master_module, "_encode_measured", counted)
    return chains


@pytest.mark.parametrize("kbps", [64, 128])
def test_true_peak_holds_in_one_encode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, kbps: int
) -> None:
    settings = replace(AUDIO, bitrate_kbps=kbps)
    chains = _count_encodes(monkeypatch)
    lufs, peak = master(_peaky_speech(tmp_path), tmp_path / "out.mp3", settings)
    assert lufs is not None and peak is not None
    assert peak <= settings.true_peak_dbtp, peak
    assert abs(lufs - settings.target_lufs) <= 1.0, lufs
    assert len(chains) == 1, chains
    assert "once more" not in caplog.text
    # The limiter works at the MP3's rate, after resampling, under the bitrate's margin.
    assert chains[0].index("aresample") < chains[0].index("alimiter")


def test_a_missed_ceiling_is_encoded_once_more_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # No margin at all (the limiter at -0.1 dBFS, over the ceiling): the first MP3 misses.
    monkeypatch.setattr(master_module, "MP3_MARGIN_DB", ((8, -0.9), (10_000, -0.9)))
    chains = _count_encodes(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="narrate.audio.master"):
        master(_peaky_speech(tmp_path), tmp_path / "out.mp3", AUDIO)
    assert len(chains) == 2, chains
    assert "rose above the limiter by more than the margin" in caplog.text
    limits = [float(re.search(r"limit=([\d.]+)", chain).group(1)) for chain in chains]  # type: ignore[union-attr]
    assert limits[1] < limits[0], limits  # the second limits lower, by the first one's excess


def test_margins_shrink_as_the_bitrate_grows() -> None:
    margins = [mp3_margin_db(kbps) for kbps in (16, 32, 48, 56, 64, 96, 128, 192, 320)]
    assert margins == sorted(margins, reverse=True)
    assert all(m > 0 for m in margins)


def test_pcm_fed_as_it_comes_encodes_as_the_wav_does(tmp_path: Path) -> None:
    wav = _peaky_speech(tmp_path, seconds=8)
    chain = master_module._chain(AUDIO, 6.0, -4.0, 11_000)
    from_file = master_module._encode_measured(wav, tmp_path / "file.mp3", AUDIO, chain)
    with wave.open(str(wav), "rb") as read:
        rate, data = read.getframerate(), read.readframes(read.getnframes())
    pieces = (data[at : at + 3001 * 2] for at in range(0, len(data), 3001 * 2))  # odd pieces
    stream = master_module.PcmStream(rate, pieces)
    fed = master_module._encode_measured(stream, tmp_path / "fed.mp3", AUDIO, chain)
    assert fed == from_file and fed[0] is not None
    assert (tmp_path / "fed.mp3").read_bytes() == (tmp_path / "file.mp3").read_bytes()


def test_a_stream_that_fails_stops_the_encoder_and_says_why(tmp_path: Path) -> None:
    def broken() -> Iterator[bytes]:
        yield bytes(4410)
        raise AudioError("the joining broke", "please report this")

    stream = master_module.PcmStream(22050, broken())
    chain = master_module._chain(AUDIO, 0.0, -4.0, 11_000)
    with pytest.raises(AudioError, match="joining broke"):
        master_module._encode_measured(stream, tmp_path / "out.mp3", AUDIO, chain)
