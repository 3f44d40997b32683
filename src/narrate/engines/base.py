"""The engine protocol and the registry that picks an engine by a profile's ``engine`` name.

An engine turns segments into WAV files, one per segment, in order, and says how long each is.
It must never print to stdout and must fail loudly (:class:`EngineError`) rather than return audio
that belongs to another segment.
"""

from __future__ import annotations

import warnings
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from narrate.errors import EngineError
from narrate.models import RenderedSegment, Segment
from narrate.voices import VoiceProfile

Progress = Callable[[int], None]  # called with the number of segments just finished


@dataclass(frozen=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None


class TTSEngine(Protocol):
    name: str

    def identity(self) -> str:
        """The engine and its version: part of the segment cache's key."""
        ...

    def voices(self) -> list[VoiceInfo]: ...

    def render(
        self,
        segments: Sequence[Segment],
        out_dir: Path,
        profile: VoiceProfile,
        progress: Progress | None = None,
    ) -> list[RenderedSegment]: ...


def get_engine(name: str) -> TTSEngine:
    if name == "pyttsx3":
        from narrate.engines.pyttsx3 import Pyttsx3Engine

        return Pyttsx3Engine()
    if name == "tone":
        from narrate.engines.tone import ToneEngine

        return ToneEngine()
    raise EngineError(
        f"unknown engine {name!r}", 'set engine = "pyttsx3" (or "tone" for tests) in the profile'
    )


def wav_duration_ms(path: Path) -> int:
    """Length of a PCM WAV file, read from its header; EngineError if it isn't one."""
    try:
        with wave.open(str(path), "rb") as wav:
            frames, rate = wav.getnframes(), wav.getframerate()
    except (OSError, EOFError, wave.Error) as exc:
        raise EngineError(
            f"the engine wrote no readable audio to {path.name}: {exc}",
            "run `narrate voices` to check the engine; report a bug if it persists",
        ) from exc
    return round(frames * 1000 / rate) if rate else 0


def wav_peak(path: Path) -> int:
    """The largest absolute sample of a 16-bit mono WAV (0 for silence).

    In C (audioop, which pydub needs anyway; audioop-lts from Python 3.13): a Python loop over
    the samples took 50 ms a sentence, 4 s of a 12-minute episode's build.
    """
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2:
            return 32767  # not what espeak writes; don't judge it
        frames = wav.readframes(wav.getnframes())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.11-3.12 warn at import
        import audioop
    return int(audioop.max(frames, 2))


def segment_file(out_dir: Path, index: int) -> Path:
    return out_dir / f"segment-{index:05d}.wav"
