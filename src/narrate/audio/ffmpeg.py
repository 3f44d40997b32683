"""Find ffmpeg and run it: the one module of the audio stage that knows where ffmpeg is.

ffmpeg is the system's when there is one, else the copy ``imageio-ffmpeg`` ships. pydub is
pointed at the same ffmpeg, once (``pydub_segment``), never on every build.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import warnings
from functools import cache
from typing import Any

from narrate.errors import AudioError

log = logging.getLogger(__name__)

HINT = "install ffmpeg, or `pip install imageio-ffmpeg`; run with -v for ffmpeg's output"


@cache
def ffmpeg_exe() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise AudioError("ffmpeg was not found", HINT) from exc


def run_ffmpeg(args: list[str]) -> str:
    """Run ffmpeg with ``args``; its stderr (where it reports), or AudioError if it failed."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
    log.debug("running %s", " ".join(command))
    try:
        # Its own session: a Ctrl-C meant for narrate must not look like an ffmpeg failure.
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, start_new_session=True
        )
    except OSError as exc:
        raise AudioError(f"cannot run ffmpeg: {exc}", HINT) from exc
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise AudioError(f"ffmpeg failed: {tail[0]}", HINT)
    return done.stderr


@cache
def pydub_segment() -> Any:
    """pydub's ``AudioSegment`` class, set to use narrate's ffmpeg (pydub keeps it globally)."""
    with warnings.catch_warnings():
        # pydub warns at import when ffmpeg is not on PATH; narrate tells it where ffmpeg is.
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment

    AudioSegment.converter = ffmpeg_exe()
    return AudioSegment
