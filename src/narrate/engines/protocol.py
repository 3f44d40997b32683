"""The engine protocol: what every text-to-speech engine does, and the WAV checks they share.

An engine turns segments into WAV files, one per segment, and yields each as it is finished
(``render`` is a generator of ``(index, RenderedSegment)``, in the order they finish), so that
callers cache, report progress and stop early from one loop. A yielded file is whole (written,
checked, renamed). An engine must never print to stdout and must fail loudly
(:class:`EngineError`) rather than return audio that belongs to another segment.
"""

from __future__ import annotations

import contextlib
import warnings
import wave
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Protocol

from narrate.errors import EngineError
from narrate.models import RenderedSegment, Segment, VoiceInfo, VoiceProfile


class TTSEngine(Protocol):
    name: str

    def identity(self) -> str:
        """The engine and its version: part of the segment cache's key."""
        ...

    def voice_identity(self, profile: VoiceProfile) -> str:
        """What the profile's voice is made of, for this engine (a Piper model's content hash):
        part of the segment cache's key, with the profile's voice, rate, pitch and volume."""
        ...

    def voices(self) -> list[VoiceInfo]: ...

    def render(
        self, segments: Sequence[Segment], out_dir: Path, profile: VoiceProfile
    ) -> Generator[tuple[int, RenderedSegment]]:
        """Say every segment into ``out_dir``; yield ``(index in segments, its audio)`` as each
        is finished, every index once. Close the generator to stop early."""
        ...


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


def render_all(
    engine: TTSEngine, segments: Sequence[Segment], out_dir: Path, profile: VoiceProfile
) -> list[RenderedSegment]:
    """Every segment's audio, in the segments' order: a consumer of ``engine.render``."""
    done: dict[int, RenderedSegment] = {}
    spoken = engine.render(segments, out_dir, profile)
    with contextlib.closing(spoken):
        for index, rendered in spoken:
            if index in done or not 0 <= index < len(segments):
                raise EngineError(
                    f"the {engine.name} engine gave segment {index + 1} twice or out of range",
                    "this is a bug in the engine: please report it",
                )
            done[index] = rendered
    missing = [i + 1 for i in range(len(segments)) if i not in done]
    if missing:
        raise EngineError(
            f"the {engine.name} engine said nothing for segment {missing[0]}",
            "this is a bug in the engine: please report it",
        )
    return [done[i] for i in range(len(segments))]
