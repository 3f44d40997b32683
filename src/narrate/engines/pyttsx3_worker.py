"""The process that runs pyttsx3 for :mod:`narrate.engines.pyttsx3` (``python -m`` this module).

It reads one JSON request a line on stdin and answers one JSON line on the stdout it had at
start; that stdout is then pointed at /dev/null, so what pyttsx3 prints ("Audio saved to ...")
never mixes with answers, nor reaches the user. Requests: ``{"op": "say", "text", "path"}``
(answered with whether a file was written and the speaking rate in force) and
``{"op": "voices"}``; end of input ends the process. It speaks warm-up sentences before it says
"ready" (see ``start_engine``).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import sys
import tempfile
from typing import Any, TextIO


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


def start_engine(config: dict[str, Any]) -> Any:
    """A pyttsx3 engine with the profile's voice, rate, volume and pitch in force.

    The first ``save_to_file`` of a process may write no file (pyttsx3 2.99), so a warm-up
    sentence is spoken first. Then the settings are set and checked (see ``settings_in_force``).
    """
    import pyttsx3

    engine = pyttsx3.init("espeak") if sys.platform.startswith("linux") else pyttsx3.init()
    if config.get("voice_id"):
        engine.setProperty("voice", config["voice_id"])
    engine.setProperty("rate", int(config.get("rate_wpm", 165)))
    engine.setProperty("volume", float(config.get("volume", 1.0)))
    with contextlib.suppress(Exception):  # not every driver has pitch
        engine.setProperty("pitch", int(config.get("pitch", 50)))
    with tempfile.TemporaryDirectory(prefix="narrate-warmup-") as tmp:
        say_to_file(engine, "Ready.", os.path.join(tmp, "warmup.wav"))
    if not settings_in_force(config):
        raise RuntimeError(f"espeak-ng does not keep the voice settings: {espeak_settings()}")
    return engine


# espeak-ng's parameter numbers (speak_lib.h) and how pyttsx3 scales the profile's values.
_PARAMETERS = {"rate": 1, "volume": 2, "pitch": 3}


def _wanted(config: dict[str, Any]) -> dict[str, int]:
    return {
        "rate": int(config.get("rate_wpm", 165)),
        "volume": int(round(float(config.get("volume", 1.0)) * 100)),
        "pitch": int(config.get("pitch", 50)),
    }


def espeak_settings() -> dict[str, int] | None:
    """The rate, volume and pitch espeak-ng has in force; None off Linux.

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
    return espeak_settings() == wanted


def say_to_file(engine: Any, text: str, path: str) -> bool:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    engine.save_to_file(text, path)
    engine.runAndWait()
    return os.path.exists(path)


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


def _answer(channel: TextIO, **message: Any) -> None:
    channel.write(json.dumps(message) + "\n")
    channel.flush()


def main() -> None:
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    try:
        config = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
        origin = load_espeak()
        engine = start_engine(config)
    except Exception as exc:  # the parent turns this into an EngineError
        _answer(channel, status="failed", detail=f"{type(exc).__name__}: {exc}")
        return
    _answer(channel, status="ready", detail=origin)
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "say":
            ready = settings_in_force(config)
            said = ready and say_to_file(engine, request["text"], request["path"])
            # Still in force once it has spoken? If not, the parent rejects this audio.
            kept = espeak_settings() in (None, _wanted(config))
            _answer(channel, said=said, settings_kept=ready and kept, settings=espeak_settings())
        elif request["op"] == "voices":
            _answer(channel, voices=voice_list(engine))


if __name__ == "__main__":
    main()
