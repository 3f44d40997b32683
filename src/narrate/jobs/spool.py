"""The spool: where built episodes wait for the publisher, on storage all the hosts reach.

``<spool>/staging/<key>-<random>/`` is an attempt's work folder (``build_episode`` writes
there); ``commit`` adds the manifest and renames the folder to ``<spool>/built/<key>/``, so a
built episode is there whole or not at all, and when two attempts of one job both finish (a
worker taken for dead, which was not), the first rename wins and the other is dropped.
``checkout`` gives the publisher a copy (hard links) to hand to ``narrate.publish``, which moves
its files away: the built episode stays whole until the publisher has recorded it as applied.

The manifest is a pickle of the ``BuiltEpisode`` and the ``Settings`` it was built with, as RQ's
own job payloads are: the spool, like Redis, is trusted. On object storage (S3 through fsspec,
the next step) the same four calls map to a prefix per key and a manifest written last.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import time
import uuid
from dataclasses import replace
from pathlib import Path

from narrate import layout
from narrate.models import BuiltEpisode, QueueSettings, Settings

STAGING = "staging"
BUILT = "built"
MANIFEST = "built.pickle"


def spool_dir(queue: QueueSettings, settings: Settings) -> Path:
    """``[queue] spool``, else the show's ``.narrate/spool``."""
    return queue.spool_dir or layout.state_dir(settings.output_dir) / "spool"


def work_dir(spool: Path, key: str) -> Path:
    """A new staging folder for one attempt at ``key`` (``build_episode`` makes it)."""
    return spool / STAGING / f"{key}-{uuid.uuid4().hex[:12]}"


def built_dir(spool: Path, key: str) -> Path:
    return spool / BUILT / key


def is_built(spool: Path, key: str) -> bool:
    return (built_dir(spool, key) / MANIFEST).is_file()


def commit(built: BuiltEpisode, settings: Settings, spool: Path, key: str) -> None:
    """Make ``built`` (in its staging folder) the built episode of ``key``, whole."""
    folder = built.work_dir
    manifest = pickle.dumps((replace(built, work_dir=Path(".")), settings))
    tmp = folder / f".{MANIFEST}.tmp"
    with tmp.open("wb") as handle:
        handle.write(manifest)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, folder / MANIFEST)
    target = built_dir(spool, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(folder, target)
    except OSError:
        if not is_built(spool, key):
            raise
        shutil.rmtree(folder, ignore_errors=True)  # another attempt of the same job won


def checkout(spool: Path, key: str) -> tuple[BuiltEpisode, Settings]:
    """A copy of the built episode of ``key`` for ``narrate.publish`` (which consumes it)."""
    source = built_dir(spool, key)
    with (source / MANIFEST).open("rb") as handle:
        built, settings = pickle.load(handle)
    copy = spool / STAGING / f"publish-{key}-{uuid.uuid4().hex[:12]}"
    copy.mkdir(parents=True)
    for path in source.iterdir():
        if path.name != MANIFEST:
            try:
                os.link(path, copy / path.name)
            except OSError:
                shutil.copy2(path, copy / path.name)
    return replace(built, work_dir=copy), settings


def discard(spool: Path, key: str) -> None:
    """The built episode of ``key``, once applied."""
    shutil.rmtree(built_dir(spool, key), ignore_errors=True)


def sweep(spool: Path, older_than_s: float) -> int:
    """Remove staging folders older than any live attempt can be (their attempt died)."""
    swept = 0
    deadline = time.time() - older_than_s
    for folder in (spool / STAGING).glob("*") if (spool / STAGING).is_dir() else ():
        with contextlib.suppress(OSError):
            if folder.stat().st_mtime < deadline:
                shutil.rmtree(folder, ignore_errors=True)
                swept += 1
    return swept
