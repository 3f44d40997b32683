"""narrate: turn news articles into podcast episodes, offline.

The Python API (README.md, "Python API")::

    import narrate

    settings = narrate.load_settings(voice="default")
    built = narrate.build_episode("story.md", settings, work_dir=Path("story"))
    built.mp3_path                       # story/episode.mp3, and transcripts beside it
    record = narrate.publish(built, settings)   # into the show's folder, feed and pages

Names load when first used (PEP 562), so importing narrate, or running ``narrate --help``,
costs nothing of the audio stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from narrate.version import __version__

if TYPE_CHECKING:
    from narrate.config import load_settings
    from narrate.errors import (
        AudioError,
        ConfigError,
        EngineError,
        ExitStatus,
        InputError,
        NarrateError,
        PublishError,
    )
    from narrate.models import (
        Article,
        ArticleText,
        AudioSettings,
        BuiltEpisode,
        Chapter,
        Cue,
        EpisodeAudio,
        EpisodeRecord,
        Pacing,
        Paragraph,
        Script,
        Segment,
        Settings,
        Show,
        VoiceProfile,
    )
    from narrate.pipeline import build_episode, prepare_script
    from narrate.publishing.writer import publish, rebuild, remove

# Each public name, and the module it lives in.
_EXPORTS = {
    "load_settings": "narrate.config",
    "prepare_script": "narrate.pipeline",
    "build_episode": "narrate.pipeline",
    "publish": "narrate.publishing.writer",
    "rebuild": "narrate.publishing.writer",
    "remove": "narrate.publishing.writer",
    **dict.fromkeys(
        (
            "Article",
            "ArticleText",
            "AudioSettings",
            "BuiltEpisode",
            "Chapter",
            "Cue",
            "EpisodeAudio",
            "EpisodeRecord",
            "Pacing",
            "Paragraph",
            "Script",
            "Segment",
            "Settings",
            "Show",
            "VoiceProfile",
        ),
        "narrate.models",
    ),
    **dict.fromkeys(
        (
            "NarrateError",
            "InputError",
            "ConfigError",
            "EngineError",
            "AudioError",
            "PublishError",
            "ExitStatus",
        ),
        "narrate.errors",
    ),
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'narrate' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
