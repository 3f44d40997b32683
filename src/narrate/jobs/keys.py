"""A job's key: what the article is and how it is read, so that the same work is done once.

A file's key is the hash of its bytes and of the settings (less the paths of this machine), so
renaming a file or enqueueing it twice finds the same job, and editing it or the show's voice
makes a new one. A URL's key is its address (its content is not known before the fetch).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from narrate.errors import InputError
from narrate.models import Settings

KEY_VERSION = b"narrate-job-1\0"


def settings_fingerprint(settings: Settings) -> bytes:
    """What of the settings shapes an episode: all but where this machine keeps things."""
    portable = replace(settings, output_dir=Path(), cache_dir=None, config_path=None)
    return hashlib.sha256(repr(portable).encode("utf-8")).digest()


def job_key(source: str, fingerprint: bytes) -> str:
    """The key of ``source`` (an http(s) URL or an absolute path) under the settings."""
    digest = hashlib.sha256(KEY_VERSION + fingerprint)
    if source.startswith(("http://", "https://")):
        digest.update(b"url\0" + source.encode("utf-8"))
    else:
        try:
            digest.update(b"file\0" + Path(source).read_bytes())
        except IsADirectoryError as exc:
            raise InputError(f"{source} is a folder", "give article files or URLs") from exc
        except OSError as exc:
            raise InputError(
                f"cannot read {source}: {exc.strerror or exc}", "check the path"
            ) from exc
    return digest.hexdigest()[:32]


def job_source(source: str, cwd: Path) -> str:
    """The source as a worker on another machine must see it: a URL, or an absolute path (on
    storage every worker mounts at the same place)."""
    if source.startswith(("http://", "https://")):
        return source
    if source == "-":
        raise InputError(
            "a job cannot read stdin", "save the article to a file on shared storage first"
        )
    return str((cwd / source).resolve())
