"""Settings, layered: packaged defaults < the show's narrate.toml < command-line flags.

The show's file is ``--config FILE`` or ``narrate.toml`` in the working directory. Every table
merges key by key over the packaged defaults (``narrate/defaults/narrate.toml``), so a show's file
needs only what differs. Relative paths in a file are relative to that file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from narrate import layout
from narrate.errors import ConfigError
from narrate.language import language_tag
from narrate.models import AudioSettings, PlayerLook, QueueSettings, Settings, Show
from narrate.speech.lexicon import load_lexicon
from narrate.voices import load_profile, with_show_lexicon

CONFIG_NAME = "narrate.toml"
CHIME = "chime"  # intro_file/outro_file: narrate's own chime (defaults/chime.wav)


def packaged_defaults_path() -> Path:
    return Path(str(resources.files("narrate") / "defaults" / CONFIG_NAME))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}", "check the --config path") from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"cannot read config {path}: {exc}", "fix the TOML syntax of that file"
        ) from exc


def _merge(base: Mapping[str, Any], over: Mapping[str, Any], origin: str) -> dict[str, Any]:
    merged = dict(base)
    for table, values in over.items():
        if table not in base:
            raise ConfigError(
                f"unknown table [{table}] in {origin}",
                f"narrate.toml has the tables {', '.join('[' + t + ']' for t in base)}",
            )
        if not isinstance(values, dict):
            raise ConfigError(f"[{table}] in {origin} must be a table", "see README.md")
        unknown = set(values) - set(base[table])
        if unknown:
            raise ConfigError(
                f"unknown keys in [{table}] of {origin}: {', '.join(sorted(unknown))}",
                f"allowed: {', '.join(sorted(base[table]))}",
            )
        # A table inside a table (by_language, intro_by_language) merges key by key too.
        merged[table] = {
            **base[table],
            **{
                key: {**base[table][key], **value}
                if isinstance(value, dict) and isinstance(base[table][key], dict)
                else value
                for key, value in values.items()
            },
        }
    return merged


def _layers(config: Path | None, cwd: Path) -> tuple[dict[str, Any], Path | None, Path]:
    """The merged tables, the show's file (if any) and the folder its relative paths start at."""
    data = _read_toml(packaged_defaults_path())
    config_path = config
    if config_path is None and (cwd / CONFIG_NAME).is_file():
        config_path = cwd / CONFIG_NAME
    if config_path is None:
        return data, None, cwd
    return (
        _merge(data, _read_toml(config_path), str(config_path)),
        config_path,
        (config_path.resolve().parent),
    )


def load_queue_settings(
    *, config: Path | None = None, redis_url: str | None = None, cwd: Path | None = None
) -> QueueSettings:
    """``[queue]``, layered as the rest (``redis_url`` from ``--redis`` over the files)."""
    data, _, base_dir = _layers(config, cwd or Path.cwd())
    table = data["queue"]
    url = redis_url or str(table["redis_url"])
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(
            f"the queue's URL must be redis://, rediss:// or unix://, not {url!r}",
            "write it as redis://host:6379/0 (--redis or [queue] redis_url)",
        )
    name = table["name"]
    if not isinstance(name, str) or not name.replace("-", "").replace("_", "").isalnum():
        raise ConfigError(
            f"[queue] name must be letters, digits, - and _, not {name!r}", 'use name = "narrate"'
        )
    numbers = {key: table[key] for key in ("job_timeout_s", "retries", "heartbeat_s", "lock_s")}
    backoff = table["retry_backoff_s"]
    if not isinstance(backoff, list) or not backoff:
        backoff = [backoff]
    for key, value in [*numbers.items(), *(("retry_backoff_s", b) for b in backoff)]:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(
                f"[queue] {key} must be a whole number of seconds (or tries), not {value!r}",
                "see the [queue] table of narrate's defaults (README.md, Running jobs)",
            )
    if numbers["heartbeat_s"] < 1 or numbers["lock_s"] < 1 or numbers["job_timeout_s"] < 1:
        raise ConfigError(
            "[queue] heartbeat_s, lock_s and job_timeout_s must be at least 1", "use the defaults"
        )
    spool = str(table["spool"] or "")
    return QueueSettings(
        redis_url=url,
        name=name,
        spool=spool if "://" in spool else str((base_dir / spool).resolve()) if spool else None,
        job_timeout_s=numbers["job_timeout_s"],
        retries=numbers["retries"],
        retry_backoff_s=tuple(backoff),
        heartbeat_s=numbers["heartbeat_s"],
        lock_s=numbers["lock_s"],
    )


def load_settings(
    *,
    config: Path | None = None,
    output_dir: Path = Path("output"),
    voice: str | None = None,
    base_url: str | None = None,
    cwd: Path | None = None,
    cache_dir: Path | None = None,
    remembered_base_url: str | None = None,
    base_url_sticks: bool = False,
) -> Settings:
    """Read the layered settings. ``config`` None means ``./narrate.toml`` if it exists.

    ``output_dir`` is the show's folder, which only publishing writes to. ``cache_dir`` is where
    spoken segments are kept between builds (``narrate build`` uses the show's
    ``.narrate/cache/segments``); None keeps none, so a build writes only its own files.

    The base URL: ``base_url`` (a flag) over the show's file over ``remembered_base_url`` (what
    the show's catalog kept of an earlier flag) over the packaged preview address. With
    ``base_url_sticks`` (the CLI, which remembers the flag), a flag that the show's file
    contradicts is refused: the next command would go back to the file's.
    """
    cwd = cwd or Path.cwd()
    data, config_path, base_dir = _layers(config, cwd)
    # what the show's own file says, before the defaults under it
    own = _read_toml(config_path) if config_path is not None else {}

    show_data = dict(data["show"])
    own_base = str((own.get("show") or {}).get("base_url") or "")
    if base_url is not None:
        if base_url_sticks and own_base and own_base.rstrip("/") != base_url.strip().rstrip("/"):
            raise ConfigError(
                f"--base-url {base_url} contradicts base_url {own_base} in {config_path}",
                "change base_url in the show's narrate.toml (a flag would not stick)",
            )
        show_data["base_url"] = base_url
    elif remembered_base_url and not own_base:
        show_data["base_url"] = remembered_base_url
    show = _show(show_data, _player(data["player"]))
    search = [base_dir / "voices", cwd / "voices"]
    show_lexicon = (
        load_lexicon(base_dir / str(show_data["lexicon"])) if show_data.get("lexicon") else {}
    )
    profile = with_show_lexicon(
        load_profile(voice or str(data["voice"]["profile"]), search), show_lexicon
    )
    by_language = data["voice"].get("by_language") or {}
    if not isinstance(by_language, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in by_language.items()
    ):
        raise ConfigError(
            "[voice] by_language must map languages to profiles",
            'write by_language = { de = "german" } (a profile in voices/)',
        )
    others = {
        language_tag(code) or code.lower(): with_show_lexicon(
            load_profile(name, search), show_lexicon
        )
        for code, name in by_language.items()
        if voice is None  # --voice picks one voice for everything
    }
    audio = _audio(data["audio"], base_dir, own.get("audio", {}), show.language)
    image = str(show_data.get("image") or "")
    cover: Path | None = None
    if image:
        from narrate.publishing.cover import read_cover  # Pillow: only for a show's own cover

        cover = base_dir / image
        if not cover.is_file():
            raise ConfigError(f"cover image not found: {cover}", "fix [show] image in narrate.toml")
        show = replace(show, image=layout.cover_name(read_cover(cover).suffix))
    else:
        show = replace(show, image=layout.cover_name(".png"))
    return Settings(
        show=show,
        voice=profile,
        audio=audio,
        output_dir=output_dir,
        cover_image=cover,
        config_path=config_path,
        voices_by_language=others,
        cache_dir=cache_dir,
    )


def _show(data: Mapping[str, Any], player: PlayerLook) -> Show:
    problems = []
    for key in ("title", "description", "author", "language", "base_url", "category"):
        if not isinstance(data.get(key), str) or not str(data[key]).strip():
            problems.append(f"{key} must be a non-empty string")
    cap = data.get("max_episodes")
    if not isinstance(cap, int) or isinstance(cap, bool) or cap < 0:
        problems.append(f"max_episodes must be a whole number, 0 for all, not {cap!r}")
    if not isinstance(data.get("explicit"), bool):
        problems.append("explicit must be true or false")
    base = str(data.get("base_url") or "")
    parts = urlsplit(base)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        problems.append(f"base_url must be an absolute http(s) URL, not {base!r}")
    if problems:
        raise ConfigError("invalid [show]: " + "; ".join(problems), "fix [show] in narrate.toml")
    return Show(
        title=str(data["title"]).strip(),
        description=str(data["description"]).strip(),
        author=str(data["author"]).strip(),
        language=str(data["language"]).strip(),
        base_url=base if base.endswith("/") else base + "/",
        image=layout.cover_name(".png"),  # the image's own suffix once it has been read
        category=str(data["category"]).strip(),
        subcategory=str(data.get("subcategory") or "").strip() or None,
        explicit=bool(data["explicit"]),
        link=str(data.get("link") or "").strip() or None,
        owner_email=str(data.get("owner_email") or "").strip() or None,
        max_episodes=int(cap) if isinstance(cap, int) else 0,
        player=player,
    )


_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def _player(data: Mapping[str, Any]) -> PlayerLook:
    """``[player]``: colours are checked strictly (they go into the pages' CSS)."""
    problems = []
    colours: dict[str, str | None] = {}
    for key in ("accent", "background", "text"):
        value = data.get(key)
        if not isinstance(value, str) or (value and not _COLOUR.fullmatch(value.strip())):
            problems.append(f'{key} must be a colour like "#c8102e" (or ""), not {value!r}')
        colours[key] = str(value).strip().lower() or None if isinstance(value, str) else None
    if bool(colours["background"]) != bool(colours["text"]):
        problems.append("background and text go together (one without the other may be unreadable)")
    if not isinstance(data.get("disclosure"), str):
        problems.append("disclosure must be a string")
    if not isinstance(data.get("next_episode"), bool):
        problems.append("next_episode must be true or false")
    if problems:
        raise ConfigError(
            "invalid [player]: " + "; ".join(problems), "fix [player] in narrate.toml"
        )
    return PlayerLook(
        accent=colours["accent"],
        background=colours["background"],
        text=colours["text"],
        disclosure=" ".join(str(data["disclosure"]).split()),
        next_episode=bool(data["next_episode"]),
    )


def _audio(
    data: Mapping[str, Any], base_dir: Path, own: Mapping[str, Any], show_language: str
) -> AudioSettings:
    bitrate = data.get("bitrate_kbps")
    if bitrate not in {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}:
        raise ConfigError(
            f"bitrate_kbps {bitrate!r} is not an MP3 bitrate", "use 64 (spoken word) or 96/128"
        )
    rate = data.get("sample_rate_hz")
    if rate not in {22050, 32000, 44100, 48000}:
        raise ConfigError(f"sample_rate_hz {rate!r} is not supported", "use 44100")
    lufs, peak = data.get("target_lufs"), data.get("true_peak_dbtp")
    if not isinstance(lufs, int | float) or not -30 <= lufs <= -10:
        raise ConfigError(f"target_lufs {lufs!r} is out of range", "podcasts use -16 (or -19 mono)")
    if not isinstance(peak, int | float) or not -9 <= peak <= 0:
        raise ConfigError(f"true_peak_dbtp {peak!r} is out of range", "use -1.0")
    if not isinstance(data.get("aac"), bool):
        raise ConfigError(
            f"[audio] aac must be true or false, not {data.get('aac')!r}", "see README.md"
        )
    cache_mb = data.get("cache_mb")
    if isinstance(cache_mb, bool) or not isinstance(cache_mb, int) or cache_mb < 0:
        raise ConfigError(
            f"[audio] cache_mb must be a whole number of megabytes, not {cache_mb!r}",
            "use 1024 (about six hours of speech), or 0 for no cache",
        )
    files: dict[str, Path | None] = {}
    for key in ("intro_file", "outro_file"):
        value = str(data.get(key) or "")
        path = (base_dir / value) if value else None
        if value == CHIME:
            path = Path(str(resources.files("narrate") / "defaults" / "chime.wav"))
        if path is not None and not path.is_file():
            raise ConfigError(f"{key} not found: {path}", f"fix [audio] {key} in narrate.toml")
        files[key] = path
    templates = {key: _templates(key, data, own, show_language) for key in ("intro", "outro")}
    return AudioSettings(
        bitrate_kbps=int(bitrate),
        sample_rate_hz=int(rate),
        target_lufs=float(lufs),
        true_peak_dbtp=float(peak),
        aac=bool(data["aac"]),
        cache_mb=int(cache_mb),
        intro_file=files["intro_file"],
        outro_file=files["outro_file"],
        intro=templates["intro"][0],
        outro=templates["outro"][0],
        intro_by_language=templates["intro"][1],
        outro_by_language=templates["outro"][1],
    )


def _lines(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ConfigError(f"[audio] {key} must be a list of strings", "see README.md")
    return tuple(value)


def _templates(
    key: str, data: Mapping[str, Any], own: Mapping[str, Any], show_language: str
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """``intro`` (or ``outro``) and its templates by language, the show's over narrate's.

    The show's own ``intro`` is its language's (over narrate's template for that language);
    an empty one turns the spoken intro off in every language the show gives none for.
    """
    default = _lines(data.get(key), key)
    table = data.get(f"{key}_by_language")
    if not isinstance(table, dict):
        raise ConfigError(
            f"[audio] {key}_by_language must be a table of languages",
            f'write {key}_by_language = {{ de = ["{{title}}."] }}',
        )
    by_language = {
        language_tag(code) or code.lower(): _lines(lines, f"{key}_by_language.{code}")
        for code, lines in table.items()
    }
    if key in own:
        theirs = {language_tag(code) or code.lower() for code in own.get(f"{key}_by_language", {})}
        if not default:
            by_language = {code: lines for code, lines in by_language.items() if code in theirs}
        elif (language_tag(show_language) or "") not in theirs:
            by_language[language_tag(show_language) or show_language] = default
    return default, by_language
