"""The engines narrate knows, by the name a voice profile gives (``engine = "pyttsx3"``).

The one list: configuration checks a profile's engine against it, and the pipeline and
``narrate voices`` get their engine from it. Implementations are imported only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable

from narrate.engines.protocol import TTSEngine
from narrate.errors import EngineError


def _pyttsx3() -> TTSEngine:
    from narrate.engines.pyttsx3 import Pyttsx3Engine

    return Pyttsx3Engine()


def _piper() -> TTSEngine:
    from narrate.engines.piper import PiperEngine

    return PiperEngine()


def _tone() -> TTSEngine:
    from narrate.engines.tone import ToneEngine

    return ToneEngine()


_ENGINES: dict[str, Callable[[], TTSEngine]] = {
    "pyttsx3": _pyttsx3,
    "piper": _piper,
    "tone": _tone,
}


def engine_names() -> tuple[str, ...]:
    return tuple(_ENGINES)


def get_engine(name: str) -> TTSEngine:
    factory = _ENGINES.get(name)
    if factory is None:
        raise EngineError(
            f"unknown engine {name!r}",
            f"set engine to one of {', '.join(engine_names())} in the voice profile",
        )
    return factory()
