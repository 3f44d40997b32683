"""A deterministic engine for tests and dry runs: exact timings, no speech.

Each word of a segment becomes a tone of exactly ``60000 / rate_wpm`` milliseconds (rounded to
whole samples at 22,050 Hz), so tests can predict every cue and pause to the millisecond.
"""

from __future__ import annotations

import math
import struct
import wave
import zlib
from collections.abc import Generator, Sequence
from pathlib import Path

from narrate.engines.protocol import segment_file
from narrate.models import RenderedSegment, Segment, VoiceInfo, VoiceProfile

SAMPLE_RATE_HZ = 22050


def word_ms(profile: VoiceProfile) -> int:
    return 60000 // profile.rate_wpm


class ToneEngine:
    name = "tone"

    def identity(self) -> str:
        return "tone 2"  # 2: the pitch follows the words, not the position

    def voice_identity(self, profile: VoiceProfile) -> str:
        return ""  # the tone is all in the profile's rate and volume

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(id="tone", name="Test tone", languages=("en",), gender=None)]

    def render(
        self, segments: Sequence[Segment], out_dir: Path, profile: VoiceProfile
    ) -> Generator[tuple[int, RenderedSegment]]:
        out_dir.mkdir(parents=True, exist_ok=True)
        for index, segment in enumerate(segments):
            words = max(1, len(segment.spoken.split()))
            duration_ms = words * word_ms(profile)
            path = segment_file(out_dir, index)
            # The same words give the same sound wherever they are (as a real engine's do).
            pitch_hz = 330 + 20 * (zlib.crc32(segment.spoken.encode("utf-8")) % 12)
            _write_tone(path, duration_ms, pitch_hz, profile.volume)
            yield index, RenderedSegment(segment, path, duration_ms)


def _write_tone(path: Path, duration_ms: int, frequency_hz: float, volume: float) -> None:
    frames = SAMPLE_RATE_HZ * duration_ms // 1000
    amplitude = 20000 * volume
    step = 2 * math.pi * frequency_hz / SAMPLE_RATE_HZ
    data = struct.pack(f"<{frames}h", *(int(amplitude * math.sin(step * n)) for n in range(frames)))
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE_HZ)
        wav.writeframes(data)
