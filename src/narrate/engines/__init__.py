"""Text-to-speech engines behind one small protocol (see :mod:`narrate.engines.base`)."""

from narrate.engines.base import TTSEngine, VoiceInfo, get_engine

__all__ = ["TTSEngine", "VoiceInfo", "get_engine"]
