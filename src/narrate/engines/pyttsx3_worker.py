"""The process that runs pyttsx3 for :mod:`narrate.engines.pyttsx3` (``python -m`` this module).

It speaks the protocol of :mod:`narrate.engines.worker` (one JSON request a line, one answer a
line; ``say`` is answered with whether a file was written, the settings in force, the sample
rate espeak-ng really made, and why it failed if it did).

On Linux every request runs in a child forked from this process:

- espeak-ng keeps state from one utterance to the next inside a process (the same sentence
  said twice comes out a few samples apart), so a segment's audio would depend on what its
  process said before. A child starts from this process's state, in which espeak-ng has never
  spoken: a segment sounds the same, to the byte, whichever worker says it and in whatever
  order, so a parallel build equals a serial one and the cache holds what a rebuild would say;
- a child that crashes (espeak-ng does, on very long input) or hangs takes no engine with it.

The engine is started here, once, and every child inherits it, voice and settings in force:
espeak-ng runs in its synchronous mode (``start_espeak``), which has no thread of its own (a
thread does not survive a fork). pyttsx3 would start it in its "retrieval" mode, whose thread
made every child start espeak-ng afresh and load its voice before saying a word: the 95
segments of benchmarks/build.py's 10-minute article took 1.7-1.8 CPU-s of the workers, and take
1.2-1.3 now, for an MP3 that is the same to the byte.
Elsewhere (pyttsx3's macOS and Windows drivers can't be forked) one engine says everything.

pyttsx3 2.99 writes every WAV with a 22,050 Hz header whatever espeak-ng produced (an mbrola
voice makes 16 kHz): the rate is read from espeak-ng itself (``espeak_ng_GetSampleRate``) and
written into the header, so that nothing downstream plays it at the wrong speed.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import sys
import tempfile
import time
from typing import Any

from narrate.engines.worker import FORK, fix_rate, open_channel, serve
from narrate.engines.worker import answer as _answer

SETTLE_S = 0.5  # what a setting may take to reach espeak-ng's thread


def load_espeak() -> str:
    """Make libespeak-ng loadable by pyttsx3; returns where it came from."""
    if not sys.platform.startswith("linux"):
        return "system"
    try:
        ctypes.CDLL("libespeak-ng.so.1")
        return "system libespeak-ng"
    except OSError:
        pass
    try:
        import espeakng_loader
    except ImportError as exc:
        raise RuntimeError("no libespeak-ng: install espeak-ng or espeakng-loader") from exc
    # pyttsx3 opens "libespeak-ng.so.1" by name; loading the packaged copy first (its soname is
    # the same) makes that name resolve to it. espeak-ng finds its voice data through the
    # environment.
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
    return "espeakng-loader"


def prepare() -> None:
    """Import what every engine needs once, before any child is forked, and start espeak-ng."""
    import pyttsx3

    if sys.platform.startswith("linux"):
        import pyttsx3.drivers.espeak as driver

        # Its run loop sleeps 10 ms a turn, for a sentence that takes espeak-ng about 5 ms to
        # say; ``say_to_file`` waits for espeak-ng itself, so the loop need not sleep long.
        driver.time = _ShortSleep()
        start_espeak()
    del pyttsx3


def start_espeak() -> None:
    """Start espeak-ng in its synchronous mode, before pyttsx3 would start it in another.

    pyttsx3 2.99 (pinned) starts espeak-ng once a process, in the "retrieval" mode, where the
    audio is made by a thread of espeak-ng's; in the synchronous mode ``espeak_Synth`` makes it
    in the caller's thread and returns when the text is said. With no thread, an engine started
    in the worker works in every child forked from it (see the module's docstring). The audio
    is the same: the same synthesis, delivered to the same callback in the same pieces.
    """
    from pyttsx3.drivers import _espeak
    from pyttsx3.drivers.espeak import EspeakDriver

    if EspeakDriver._moduleInitialized:  # by pyttsx3, in the mode a child cannot speak in
        raise RuntimeError("espeak-ng was started before narrate could start it")
    if _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000) == -1:
        raise RuntimeError("could not initialize espeak-ng")
    voice = _espeak.GetCurrentVoice()
    name = voice.contents.name if voice else None
    EspeakDriver._defaultVoice = name.decode("utf-8") if name else "gmw/en"
    EspeakDriver._moduleInitialized = True  # what pyttsx3's own start would set


class _ShortSleep:
    @staticmethod
    def sleep(seconds: float) -> None:
        time.sleep(min(seconds, 0.001))


def start_engine(config: dict[str, Any]) -> Any:
    """A pyttsx3 engine with the profile's voice, rate, volume, pitch and word gap in force.

    Off Linux, where one engine says everything, the first ``save_to_file`` may write no file
    (pyttsx3 2.99), so a warm-up sentence is spoken first. Then the settings are set and
    checked (see ``settings_in_force``).
    """
    import pyttsx3

    engine = pyttsx3.init("espeak") if sys.platform.startswith("linux") else pyttsx3.init()
    if config.get("voice_id"):
        engine.setProperty("voice", config["voice_id"])
    engine.setProperty("rate", int(config.get("rate_wpm", 165)))
    engine.setProperty("volume", float(config.get("volume", 1.0)))
    with contextlib.suppress(Exception):  # not every driver has pitch
        engine.setProperty("pitch", int(config.get("pitch", 50)))
    if not FORK:
        with tempfile.TemporaryDirectory(prefix="narrate-warmup-") as tmp:
            say_to_file(engine, "Ready.", os.path.join(tmp, "warmup.wav"))
    else:
        # pyttsx3 queues the properties until its loop runs: run it, with nothing to say, so that
        # espeak-ng loads the voice here, once, not in every child (reading each of its ~250
        # voice files to find it, and the language's dictionary: half a child's system time).
        # Then its driver is marked busy again, as a new engine's is: a child's commands wait
        # for its own loop (run at once, its end would come before the loop starts, for good).
        engine.runAndWait()
        engine.proxy.setBusy(True)
    if not settings_in_force(config):
        raise RuntimeError(f"espeak-ng does not keep the voice settings: {espeak_settings()}")
    return engine


# espeak-ng's parameter numbers (speak_lib.h) and how pyttsx3 scales the profile's values.
# The word gap is one pyttsx3 does not expose: it is set here (espeak_SetParameter).
_PARAMETERS = {"rate": 1, "volume": 2, "pitch": 3, "wordgap": 7}


def _wanted(config: dict[str, Any]) -> dict[str, int]:
    return {
        "rate": int(config.get("rate_wpm", 165)),
        "volume": int(round(float(config.get("volume", 1.0)) * 100)),
        "pitch": int(config.get("pitch", 50)),
        "wordgap": int(config.get("word_gap", 0)),
    }


def espeak_settings() -> dict[str, int] | None:
    """The rate, volume, pitch and word gap espeak-ng has in force; None off Linux.

    pyttsx3's own ``getProperty`` can't tell: its binding of espeak_GetParameter drops the
    second argument (``current``), so it returns the default or the current value at random.
    """
    if not sys.platform.startswith("linux"):
        return None
    from pyttsx3.drivers import _espeak

    get = _espeak.dll.espeak_GetParameter
    get.restype, get.argtypes = ctypes.c_int, [ctypes.c_int, ctypes.c_int]
    return {name: int(get(number, 1)) for name, number in _PARAMETERS.items()}


def settings_in_force(config: dict[str, Any]) -> bool:
    """Make sure the profile's settings are in force; False if espeak-ng won't keep them.

    Seen here, about one worker in twenty: pyttsx3's own default rate (200), set when the
    driver starts, reached espeak-ng after the profile's rate and replaced it, so the worker
    spoke everything 20% too fast. Settings are checked before and after every utterance.
    (pyttsx3's ``setProperty`` reaches espeak-ng only when ``runAndWait`` runs its queue; here the
    settings are given to espeak-ng directly, and read back until they show, ``SETTLE_S`` at most.)
    """
    found = espeak_settings()
    if found is None:
        return True
    wanted = _wanted(config)
    if found == wanted:
        return True
    from pyttsx3.drivers import _espeak

    for name, value in wanted.items():
        _espeak.SetParameter(_PARAMETERS[name], value, 0)
    return _settled(wanted)


def _settled(wanted: dict[str, int]) -> bool:
    deadline = time.monotonic() + SETTLE_S
    while espeak_settings() != wanted:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.0005)
    return True


def say_to_file(engine: Any, text: str, path: str) -> bool:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    engine.save_to_file(text, path)
    engine.runAndWait()
    if sys.platform.startswith("linux"):
        _end_utterance(engine)
    return os.path.exists(path)


def _end_utterance(engine: Any) -> None:
    """Have pyttsx3 write the file of what espeak-ng has said.

    pyttsx3 writes it on espeak-ng's "message terminated" event, which only espeak-ng's thread
    sends: in the synchronous mode (``start_espeak``) the text has been said, every piece of its
    audio given to pyttsx3's callback, by the time ``runAndWait`` returns, but that event never
    comes. It is given to the callback here, as espeak-ng's thread would give it.
    """
    from pyttsx3.drivers import _espeak

    driver = engine.proxy._driver
    if not getattr(driver, "_speaking", False):  # nothing said, or its file written already
        return
    events = (_espeak.EVENT * 2)()
    events[0].type = _espeak.EVENT_MSG_TERMINATED
    events[1].type = _espeak.EVENT_LIST_TERMINATED
    driver._onSynth(None, 0, events)


def speak(config: dict[str, Any], text: str, path: str, engine: Any = None) -> dict[str, Any]:
    """Say ``text`` into the WAV file ``path``; the answer for the parent."""
    engine = engine or start_engine(config)
    ready = settings_in_force(config)
    said = ready and say_to_file(engine, text, path)
    # Still in force once it has spoken? If not, the parent rejects this audio.
    kept = espeak_settings() in (None, _wanted(config))
    answer: dict[str, Any] = {
        "said": said,
        "settings_kept": ready and kept,
        "settings": espeak_settings(),
    }
    if said:
        real_hz = espeak_rate()
        if real_hz:
            answer["rate_hz"], answer["header_hz"] = real_hz, fix_rate(path, real_hz)
        elif not sys.platform.startswith("linux"):  # the system's own voices write their WAVs
            answer["rate_hz"] = answer["header_hz"] = header_rate(path)
    return answer


def header_rate(path: str) -> int:
    import wave

    with wave.open(path, "rb") as wav:
        return int(wav.getframerate())


def espeak_rate() -> int | None:
    """The sample rate espeak-ng is producing (an mbrola voice changes it); None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    from pyttsx3.drivers import _espeak

    get = _espeak.dll.espeak_ng_GetSampleRate
    get.restype, get.argtypes = ctypes.c_int, []
    return int(get())


def check_voice(engine: Any, config: dict[str, Any]) -> None:
    """The profile's voice must be one the engine has: given an id it does not know, espeak-ng
    keeps its default voice and says nothing, and the episode would be read by another voice.

    An espeak-ng voice may carry a variant (``gmw/en-us+m3``: the voice's language and rules,
    the variant's formants and pitch); a variant espeak-ng lacks is ignored without a word, so
    it is checked against the variants its data holds (``espeak_variants``).
    """
    wanted = config.get("voice_id")
    if not wanted:
        return
    voice, _, variant = str(wanted).partition("+")
    if voice not in {str(known.id) for known in engine.getProperty("voices")}:
        raise RuntimeError(f"there is no voice {voice!r} (`narrate voices` lists them)")
    variants = espeak_variants()
    if variant and variant not in variants:
        raise RuntimeError(f"espeak-ng has no voice variant {variant!r}: {', '.join(variants)}")


def espeak_variants() -> list[str]:
    """The voice variants (``m1`` ... ``f1`` ..., ``klatt`` ...) of the espeak-ng in use, from
    its data folder's ``voices/!v``; none off Linux."""
    if not sys.platform.startswith("linux"):
        return []
    from pyttsx3.drivers import _espeak

    info = _espeak.dll.espeak_Info
    info.restype, info.argtypes = ctypes.c_char_p, [ctypes.POINTER(ctypes.c_char_p)]
    data = ctypes.c_char_p()
    info(ctypes.byref(data))
    folder = os.path.join(os.fsdecode(data.value or b""), "voices", "!v")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def voice_list(engine: Any) -> list[dict[str, Any]]:
    out = []
    for voice in engine.getProperty("voices"):
        languages = [
            lang.decode("utf-8", "replace") if isinstance(lang, bytes) else str(lang)
            for lang in (voice.languages or [])
        ]
        out.append(
            {
                "id": str(voice.id),
                "name": str(voice.name),
                "languages": languages,
                "gender": voice.gender,
            }
        )
    return out


def main() -> None:
    channel = open_channel()
    engine = None
    try:
        config = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
        origin = load_espeak()
        prepare()
        engine = start_engine(config)  # on Linux, every child inherits it (the docstring)
        check_voice(engine, config)
    except Exception as exc:  # the parent turns this into an EngineError
        _answer(channel, status="failed", detail=f"{type(exc).__name__}: {exc}")
        return
    _answer(channel, status="ready", detail=origin)
    serve(
        channel,
        say=lambda text, path: speak(config, text, path, engine),
        voices=lambda: voice_list(engine or start_engine(config)),
        reply=lambda channel, **message: _answer(channel, **message),  # tests replace _answer
    )


if __name__ == "__main__":
    main()
