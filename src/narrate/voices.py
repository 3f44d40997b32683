"""Voice profiles: which engine and voice speaks, how fast, with what pauses and pronunciations.

Profiles are TOML files. They are looked up by name in the show's ``voices/`` folder (next to its
narrate.toml), then in the working directory's ``voices/``, then among the profiles that ship
with narrate (the top-level ``voices/`` folder, installed as ``narrate.voice_profiles``).

Every profile is read over the packaged ``default`` profile, key by key (``[pacing]`` and
``[finish]`` too), so a
profile needs only what differs: ``voices/default.toml`` holds every default once.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import fields, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from narrate.engines.registry import engine_names
from narrate.errors import ConfigError
from narrate.models import Finish, LexiconEntries, Pacing, VoiceProfile
from narrate.speech.lexicon import check_entries, load_lexicon

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
DEFAULT_PROFILE = "default"  # every profile is read over this packaged one, key by key
TABLES = ("pacing", "finish")  # a profile's tables of settings, each read over the default's


def packaged_voices_dir() -> Path:
    return Path(str(resources.files("narrate.voice_profiles")))


def find_profile(name_or_path: str, search_dirs: Iterable[Path] = ()) -> Path:
    """The file of a profile given by name (``default``) or by path (``my/voice.toml``)."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or "/" in name_or_path or "\\" in name_or_path:
        if candidate.is_file():
            return candidate
        raise ConfigError(
            f"voice profile not found: {name_or_path}",
            "give the path of a .toml voice profile, or a name from `narrate voices`",
        )
    if not _NAME.match(name_or_path):
        raise ConfigError(
            f"invalid voice profile name: {name_or_path!r}",
            "use letters, digits, '-', '_' or '.', as in `--voice default`",
        )
    dirs = [*search_dirs, packaged_voices_dir()]
    for folder in dirs:
        path = folder / f"{name_or_path}.toml"
        if path.is_file():
            return path
    known = ", ".join(sorted(profile_names(dirs))) or "none"
    raise ConfigError(
        f"no voice profile named {name_or_path!r}",
        f"known profiles: {known}; or add voices/{name_or_path}.toml",
    )


def profile_names(dirs: Iterable[Path]) -> set[str]:
    return {p.stem for d in dirs if d.is_dir() for p in d.glob("*.toml")}


def load_profile(name_or_path: str, search_dirs: Iterable[Path] = ()) -> VoiceProfile:
    path = find_profile(name_or_path, search_dirs)
    data = _read(path)
    return profile_from_dict(data, default_name=path.stem, origin=str(path))


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"cannot read voice profile {path}: {exc}", "fix the TOML syntax of that file"
        ) from exc


@cache
def _packaged_default() -> dict[str, Any]:
    return _read(packaged_voices_dir() / f"{DEFAULT_PROFILE}.toml")


def _over_default(data: Mapping[str, Any]) -> dict[str, Any]:
    """A profile's keys over the packaged default profile's, key by key (its tables too).

    Not inherited: the default's ``name`` and its ``[lexicon]`` (respellings are tuned to a
    voice), nor its ``voice_id`` when the profile names another engine (an id means nothing to
    another engine)."""
    base = {k: v for k, v in _packaged_default().items() if k not in ("name", "lexicon")}
    if data.get("engine", base.get("engine")) != base.get("engine"):
        base["voice_id"] = ""  # the other engine's default voice
    merged = {**base, **data}
    for table in TABLES:
        own = data.get(table, {})
        if isinstance(own, dict):
            merged[table] = {**base.get(table, {}), **own}
    return merged


def profile_from_dict(data: Mapping[str, Any], *, default_name: str, origin: str) -> VoiceProfile:
    known = {f.name for f in fields(VoiceProfile)} - {*TABLES, "lexicon", "show_lexicon"}
    unknown = set(data) - known - {*TABLES, "lexicon"}
    if unknown:
        raise ConfigError(
            f"unknown keys in voice profile {origin}: {', '.join(sorted(unknown))}",
            f"allowed keys: {', '.join(sorted(known | {*TABLES, 'lexicon'}))}",
        )
    data = _over_default(data)
    values = {k: data[k] for k in known if k in data}
    values.setdefault("name", default_name)
    values["model"] = _model_path(values.get("model"), origin)
    pacing = _pacing(data.get("pacing", {}), origin)
    finish = _finish(data.get("finish", {}), origin)
    own = _own_lexicon(data.get("lexicon", {}), origin)
    try:
        profile = VoiceProfile(**values, pacing=pacing, finish=finish, lexicon=own)
    except TypeError as exc:
        raise ConfigError(f"invalid voice profile {origin}: {exc}", "check its keys") from exc
    _check(profile, origin)
    return profile


def _own_lexicon(data: Any, origin: str) -> LexiconEntries:
    """A profile's ``[lexicon]`` table, or ``lexicon = "file.toml"`` beside the profile."""
    if isinstance(data, str) and data.strip():
        return load_lexicon(Path(origin).parent / data)
    return check_entries(data, f"[lexicon] of {origin}")


def _model_path(model: Any, origin: str) -> Any:
    """A voice file given as a relative path is relative to the profile that names it."""
    if isinstance(model, str) and model.endswith(".onnx") and not Path(model).is_absolute():
        return str(Path(origin).parent / model)
    return model


def with_show_lexicon(profile: VoiceProfile, show_lexicon: LexiconEntries) -> VoiceProfile:
    """``profile`` speaking with a show's lexicon (over narrate's and the profile's own)."""
    return replace(profile, show_lexicon=dict(show_lexicon))


def _pacing(data: Any, origin: str) -> Pacing:
    if not isinstance(data, dict):
        raise ConfigError(f"[pacing] in {origin} must be a table", "see voices/default.toml")
    allowed = {f.name for f in fields(Pacing)}
    bad = [k for k, v in data.items() if k not in allowed or not isinstance(v, int) or v < 0]
    if bad:
        raise ConfigError(
            f"invalid [pacing] keys in {origin}: {', '.join(sorted(bad))}",
            f"use non-negative whole milliseconds for: {', '.join(sorted(allowed))}",
        )
    missing = allowed - set(data)
    if missing:  # only when the packaged default profile itself lacks them
        raise ConfigError(
            f"[pacing] of {origin} lacks {', '.join(sorted(missing))}", "see voices/default.toml"
        )
    pacing = Pacing(**data)
    if pacing.max_segment_chars < 50:
        raise ConfigError(
            f"max_segment_chars in {origin} is too small", "use at least 50 (default 500)"
        )
    return pacing


def _finish(data: Any, origin: str) -> Finish:
    if not isinstance(data, dict):
        raise ConfigError(f"[finish] in {origin} must be a table", "see voices/default.toml")
    kinds = {f.name: f.type for f in fields(Finish)}
    bad = [k for k, v in data.items() if k not in kinds or not _fits(kinds[k], v)]
    if bad:
        raise ConfigError(
            f"invalid [finish] keys in {origin}: {', '.join(sorted(bad))}",
            "use whole milliseconds (0 or more), room_tone = true or false, and "
            "room_tone_dbfs from -90 to -30",
        )
    missing = set(kinds) - set(data)
    if missing:  # only when the packaged default profile itself lacks them
        raise ConfigError(
            f"[finish] of {origin} lacks {', '.join(sorted(missing))}", "see voices/default.toml"
        )
    return Finish(**data)


def _fits(kind: Any, value: Any) -> bool:
    if isinstance(value, bool) or kind == "bool":
        return kind == "bool" and isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and -90 <= value <= -30
    return isinstance(value, int) and 0 <= value <= 60_000


def _check(profile: VoiceProfile, origin: str) -> None:
    problems = []
    if not isinstance(profile.rate_wpm, int) or not 60 <= profile.rate_wpm <= 400:
        problems.append("rate_wpm must be a whole number from 60 to 400")
    if not isinstance(profile.pitch, int) or not 0 <= profile.pitch <= 100:
        problems.append("pitch must be a whole number from 0 to 100")
    if not isinstance(profile.volume, int | float) or not 0.0 <= profile.volume <= 1.0:
        problems.append("volume must be from 0.0 to 1.0")
    gap = profile.word_gap
    if not isinstance(gap, int) or isinstance(gap, bool) or not 0 <= gap <= 50:
        problems.append("word_gap must be a whole number from 0 to 50")
    if not all(isinstance(v, str) for v in (profile.voice_id, profile.engine, profile.model)):
        problems.append("engine, voice_id and model must be strings")
    elif profile.engine not in engine_names():
        problems.append(f"engine {profile.engine!r} is not one of {', '.join(engine_names())}")
    if not isinstance(profile.language, str) or not profile.language.strip():
        problems.append("language must be a language tag such as en or en-GB")
    if problems:
        raise ConfigError(f"invalid voice profile {origin}: {'; '.join(problems)}", "fix it")
