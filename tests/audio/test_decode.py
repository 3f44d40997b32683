"""Decoding intro/outro files with the packaged ffmpeg alone: every common format, no ffprobe."""

from __future__ import annotations

import subprocess
from array import array
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import imageio_ffmpeg
import pytest

from conftest import AUDIO
from narrate.audio import ffmpeg
from narrate.audio.decode import decode
from narrate.audio.join import JINGLE_GAP_MS, build_timeline
from narrate.engines.protocol import render_all
from narrate.engines.tone import ToneEngine
from narrate.errors import AudioError
from narrate.models import Segment
from narrate.voices import load_profile

PACKAGED = imageio_ffmpeg.get_ffmpeg_exe()
TONE_HZ = 440
TONE_MS = 1500
CODECS = {"mp3": "libmp3lame", "m4a": "aac", "ogg": "libvorbis", "flac": "flac", "wav": "pcm_s16le"}


@pytest.fixture(autouse=True)
def packaged_ffmpeg_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No system ffmpeg or ffprobe on PATH: narrate must find and use the packaged ffmpeg."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    ffmpeg.ffmpeg_exe.cache_clear()
    yield
    ffmpeg.ffmpeg_exe.cache_clear()


def _tone_file(folder: Path, extension: str) -> Path:
    """A stereo 44.1 kHz sine of TONE_MS, encoded by the packaged ffmpeg."""
    path = folder / f"tone.{extension}"
    tone = f"sine=frequency={TONE_HZ}:sample_rate=44100:duration={TONE_MS / 1000}"
    subprocess.run(
        [PACKAGED, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", tone, "-ac", "2"]
        + ["-c:a", CODECS[extension], str(path)],
        check=True,
    )
    return path


@pytest.mark.parametrize("extension", sorted(CODECS))
def test_every_common_format_decodes_to_its_tone_at_the_asked_rate(
    tmp_path: Path, extension: str
) -> None:
    assert ffmpeg.ffmpeg_exe() == PACKAGED
    pcm = decode(_tone_file(tmp_path, extension), 22050)
    assert pcm.rate == 22050
    assert abs(pcm.duration_ms - TONE_MS) < 80, pcm.duration_ms  # encoders pad a frame or so
    samples = array("h", pcm.data)
    middle = samples[len(samples) // 4 : 3 * len(samples) // 4]
    crossings = sum(1 for a, b in zip(middle, middle[1:], strict=False) if a < 0 <= b)
    heard_hz = crossings * pcm.rate / len(middle)
    assert abs(heard_hz - TONE_HZ) < TONE_HZ * 0.03, heard_hz
    assert max(middle) > 2000  # a tone (sine at 1/8 scale, downmixed), not silence


def test_a_file_that_is_not_audio_is_an_error_with_a_hint(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp3"
    text.write_text("not audio at all\n")
    with pytest.raises(AudioError, match="cannot read audio file") as raised:
        decode(text, 22050)
    assert "MP3" in raised.value.hint
    with pytest.raises(AudioError, match="no such file"):
        decode(tmp_path / "missing.ogg", 22050)


def test_an_mp3_intro_and_an_m4a_outro_frame_the_speech(tmp_path: Path) -> None:
    """The bug: intro music in MP3 failed with "cannot read audio file" (pydub wanted ffprobe)."""
    profile = load_profile("test-tone")
    segments = [Segment("Hello there.", "Hello there.", 300), Segment("Bye.", "Bye.", 0)]
    rendered = render_all(ToneEngine(), segments, tmp_path / "speech", profile)
    settings = replace(
        AUDIO, intro_file=_tone_file(tmp_path, "mp3"), outro_file=_tone_file(tmp_path, "m4a")
    )
    framed = build_timeline(rendered, settings, tmp_path / "framed.wav")
    plain = build_timeline(rendered, AUDIO, tmp_path / "plain.wav")
    intro_ms = framed.cues[0].start_ms - JINGLE_GAP_MS
    assert abs(intro_ms - TONE_MS) < 80, intro_ms
    added_ms = framed.duration_ms - plain.duration_ms
    assert abs(added_ms - 2 * (TONE_MS + JINGLE_GAP_MS)) < 160, added_ms
