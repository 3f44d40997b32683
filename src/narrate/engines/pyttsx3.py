"""The default engine: pyttsx3 (espeak-ng on Linux; system voices on macOS and Windows).

pyttsx3 runs in worker processes, never in the caller's, because its espeak driver (2.99)
has defects that this module and its worker (``pyttsx3_worker``) engineer around:

- ``runAndWait`` returns before the audio file is written (it is written later, from
  espeak-ng's thread), so a long sentence's file could be missing and its audio land in the
  next call's file: the worker runs espeak-ng without that thread (its synchronous mode) and
  has pyttsx3 write the file once the text is said, every segment goes to a fresh file
  name, and each result is checked (file present, a readable WAV, a length plausible for its
  words, not silent: :mod:`narrate.engines.pool`); a segment whose result fails a check is
  retried, and after ``ATTEMPTS`` the build fails;
- espeak-ng keeps state between utterances, so the same text said twice differs: on Linux each
  segment is said in a child forked from a worker whose engine (started, its voice set) has
  never spoken, so a segment's audio is the same whichever worker says it, in any order (a
  parallel build is byte for byte a serial one);
- it prints "Audio saved to ..." on stdout: workers point their stdout at /dev/null;
- it writes every WAV with a 22,050 Hz header whatever espeak-ng produced (an mbrola voice
  makes 16 kHz, which played at 22,050 Hz is 1.38 times too fast and too high): the worker reads
  the real rate from espeak-ng and writes it into the header, and an answer without it is
  rejected;
- the rate, volume and pitch it is given may not be what espeak-ng uses: in about one worker in
  twenty, pyttsx3's own default rate (200 words a minute) reached espeak-ng after the profile's
  and everything was spoken 20% too fast; and its ``getProperty`` can't tell (its binding of
  espeak_GetParameter drops an argument): workers read the settings through espeak-ng itself
  before and after every utterance, and audio spoken with other settings is rejected;
- its buffer grows quadratically and a call of ~20,000 characters kills the process: segments
  are capped in length upstream (``Pacing.max_segment_chars``), and an engine that dies
  (a segmentation fault) or hangs is replaced without taking the build down.

On Linux a system libespeak-ng is preferred; without one, the copy that ``espeakng-loader``
ships (library and voice data) is loaded. Nothing is downloaded.
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache
from importlib.metadata import version
from typing import Any

from narrate.engines.pool import ATTEMPTS, WorkerEngine, plausible_ms
from narrate.models import VoiceInfo, VoiceProfile

HINT = "run `narrate voices` to check the engine works; on Linux, pip install espeakng-loader"

# The worker process; tests give a wrapper that misbehaves on purpose.
WORKER = (sys.executable, "-m", "narrate.engines.pyttsx3_worker")

__all__ = ["ATTEMPTS", "Pyttsx3Engine", "plausible_ms"]


@cache
def _speech_library() -> str:
    """Which espeak-ng the workers will load (as ``load_espeak`` picks it), and its version."""
    if not sys.platform.startswith("linux"):
        return f"{sys.platform} system voices"
    for name, where in (("libespeak-ng.so.1", "system"), (_packaged_espeak(), "espeakng-loader")):
        if not name:
            continue
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        library.espeak_Info.restype = ctypes.c_char_p
        found = library.espeak_Info(None) or b"?"
        return f"espeak-ng {found.decode(errors='replace')} ({where})"
    return "espeak-ng unknown"


def _packaged_espeak() -> str:
    try:
        import espeakng_loader

        return str(espeakng_loader.get_library_path())
    except ImportError:
        return ""


class Pyttsx3Engine(WorkerEngine):
    name = "pyttsx3"
    hint = HINT
    worker = WORKER

    def identity(self) -> str:
        # How a segment is said is part of its sound: on Linux, by an engine that has said
        # nothing before (see the module's docstring). The words predate the engine being
        # started once a worker (the audio is the same to the byte): caches stay valid.
        fresh = ", a new engine per segment" if sys.platform.startswith("linux") else ""
        return f"pyttsx3 {version('pyttsx3')} {_speech_library()}{fresh}"

    def voice_identity(self, profile: VoiceProfile) -> str:
        # espeak-ng's voices ship with it: its version (identity) and voice_id say which; the
        # word gap, which the cache's key does not hold, changes the sound too.
        return f"word gap {profile.word_gap}" if profile.word_gap else ""

    def voices(self) -> list[VoiceInfo]:
        return self.query_voices({})  # the worker's own defaults

    def worker_config(self, profile: VoiceProfile) -> dict[str, Any]:
        return {
            "voice_id": profile.voice_id,
            "rate_wpm": profile.rate_wpm,
            "volume": profile.volume,
            "pitch": profile.pitch,
            "word_gap": profile.word_gap,
        }

    def refuse(self, message: dict[str, Any]) -> str | None:
        if message.get("settings_kept") is False:
            return f"it lost the voice settings (espeak-ng has {message.get('settings')})"
        return None
