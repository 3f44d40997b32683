"""Decode any audio file ffmpeg reads (MP3, M4A, OGG, FLAC, WAV...) to mono 16-bit PCM.

pydub's ``from_file`` asks ``ffprobe`` what the file holds before it decodes; the ffmpeg that
``imageio-ffmpeg`` ships has no ffprobe, so every format but WAV failed there. ffmpeg alone can
do it: it is told the rate, channels and sample format wanted and writes raw PCM to a pipe, so
nothing needs to be probed and no temporary file is written.
"""

from __future__ import annotations

import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

from narrate.audio.ffmpeg import HINT, ffmpeg_exe
from narrate.errors import AudioError

log = logging.getLogger(__name__)

SAMPLE_WIDTH = 2  # 16-bit signed, little-endian: ffmpeg's s16le
FORMATS_HINT = "use an audio file ffmpeg can read (MP3, M4A, OGG, FLAC or WAV)"


@dataclass(frozen=True)
class Pcm:
    """Mono 16-bit little-endian samples at ``rate``."""

    data: bytes
    rate: int

    @property
    def duration_ms(self) -> int:
        return round(len(self.data) // SAMPLE_WIDTH * 1000 / self.rate)


def decode(path: Path, rate: int) -> Pcm:
    """The audio of ``path``, mixed down to mono and resampled to ``rate``, as 16-bit PCM.

    AudioError (with ffmpeg's last line) when the file is missing or not audio ffmpeg reads."""
    if not path.is_file():
        raise AudioError(f"cannot read audio file {path}: no such file", FORMATS_HINT)
    command = [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-i",
        str(path),
        "-vn",  # cover art in an MP3 or M4A is a video stream: not audio
        "-ac",
        "1",
        "-ar",
        str(rate),
        "-f",
        "s16le",
        "-acodec",
        "pcm_s16le",
        "pipe:1",
    ]
    log.debug("running %s", " ".join(command))
    try:
        done = subprocess.run(command, capture_output=True, check=False, start_new_session=True)
    except OSError as exc:
        raise AudioError(f"cannot run ffmpeg: {exc}", HINT) from exc
    if done.returncode != 0 or not done.stdout:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no audio"]
        raise AudioError(f"cannot read audio file {path}: {said[0]}", FORMATS_HINT)
    data = done.stdout[: len(done.stdout) - len(done.stdout) % SAMPLE_WIDTH]
    return Pcm(data, rate)
