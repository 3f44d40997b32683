"""The spool: where built episodes wait for the publisher, on storage all the hosts reach.

``<spool>/staging/<key>-<random>/`` is an attempt's work folder (``build_episode`` writes
there); ``commit`` adds the manifest and renames the folder to ``<spool>/built/<key>/``, so a
built episode is there whole or not at all, and when two attempts of one job both finish (a
worker taken for dead, which was not), the first rename wins and the other is dropped.
``checkout`` gives the publisher a copy (hard links) to hand to ``narrate.publish``, which moves
its files away: the built episode stays whole until the publisher has recorded it as applied.

The manifest is a pickle of the ``BuiltEpisode`` and the ``Settings`` it was built with, as RQ's
own job payloads are: the spool, like Redis, is trusted. The spool may be in object storage
(``[queue] spool = "s3://bucket/prefix"``, through fsspec and s3fs: the ``s3`` extra): attempts
then build in a staging folder of their machine, ``commit`` uploads the files and the manifest
last (``is_built`` looks for the manifest), and ``checkout`` downloads them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from narrate import layout
from narrate.errors import ConfigError
from narrate.models import BuiltEpisode, QueueSettings, Settings

STAGING = "staging"
BUILT = "built"
MANIFEST = "built.pickle"

Spool = str | Path  # a folder, or an fsspec URL (s3://bucket/prefix): object storage


def spool_dir(queue: QueueSettings, settings: Settings) -> Spool:
    """``[queue] spool``, else the show's ``.narrate/spool``."""
    return queue.spool or layout.state_dir(settings.output_dir) / "spool"


def _remote(spool: Spool) -> tuple[Any, str] | None:
    """The file system and root of a spool in object storage; None for a folder."""
    if "://" not in str(spool):
        return None
    try:
        import fsspec
    except ImportError as exc:  # pragma: no cover - the s3 extra installs it
        raise ConfigError(
            f"the spool {spool} is in object storage, which needs fsspec",
            "pip install 'narrate[s3]' (s3fs and fsspec) on every worker",
        ) from exc
    fs, root = fsspec.core.url_to_fs(str(spool))
    return fs, str(root).rstrip("/")


def _staging(spool: Spool) -> Path:
    """Where attempts build: in the spool, or for object storage a folder of this machine's."""
    if _remote(spool) is None:
        return Path(spool) / STAGING
    digest = hashlib.sha256(str(spool).encode("utf-8")).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"narrate-spool-{digest}" / STAGING


def work_dir(spool: Spool, key: str) -> Path:
    """A new staging folder for one attempt at ``key`` (``build_episode`` makes it)."""
    return _staging(spool) / f"{key}-{uuid.uuid4().hex[:12]}"


def built_dir(spool: Spool, key: str) -> Path:
    return Path(spool) / BUILT / key


def is_built(spool: Spool, key: str) -> bool:
    remote = _remote(spool)
    if remote is not None:
        fs, root = remote
        return bool(fs.exists(f"{root}/{BUILT}/{key}/{MANIFEST}"))
    return (built_dir(spool, key) / MANIFEST).is_file()


def commit(built: BuiltEpisode, settings: Settings, spool: Spool, key: str) -> None:
    """Make ``built`` (in its staging folder) the built episode of ``key``, whole: a rename
    in a folder; in object storage, the files uploaded first and the manifest last."""
    folder = built.work_dir
    manifest = pickle.dumps((replace(built, work_dir=Path(".")), settings))
    remote = _remote(spool)
    if remote is not None:
        fs, root = remote
        for path in sorted(folder.iterdir()):
            fs.put_file(str(path), f"{root}/{BUILT}/{key}/{path.name}")
        fs.pipe_file(f"{root}/{BUILT}/{key}/{MANIFEST}", manifest)
        shutil.rmtree(folder, ignore_errors=True)
        return
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


def checkout(spool: Spool, key: str) -> tuple[BuiltEpisode, Settings]:
    """A copy of the built episode of ``key`` for ``narrate.publish`` (which consumes it)."""
    copy = _staging(spool) / f"publish-{key}-{uuid.uuid4().hex[:12]}"
    copy.mkdir(parents=True)
    remote = _remote(spool)
    if remote is not None:
        fs, root = remote
        built, settings = pickle.loads(fs.cat_file(f"{root}/{BUILT}/{key}/{MANIFEST}"))
        for name in fs.ls(f"{root}/{BUILT}/{key}", detail=False):
            if not str(name).endswith("/" + MANIFEST):
                fs.get_file(name, str(copy / str(name).rsplit("/", 1)[-1]))
        return replace(built, work_dir=copy), settings
    source = built_dir(spool, key)
    with (source / MANIFEST).open("rb") as handle:
        built, settings = pickle.load(handle)
    for path in source.iterdir():
        if path.name != MANIFEST:
            try:
                os.link(path, copy / path.name)
            except OSError:
                shutil.copy2(path, copy / path.name)
    return replace(built, work_dir=copy), settings


def discard(spool: Spool, key: str) -> None:
    """The built episode of ``key``, once applied."""
    remote = _remote(spool)
    if remote is None:
        shutil.rmtree(built_dir(spool, key), ignore_errors=True)
        return
    fs, root = remote
    with contextlib.suppress(FileNotFoundError):
        fs.rm(f"{root}/{BUILT}/{key}", recursive=True)


def sweep(spool: Spool, older_than_s: float) -> int:
    """Remove staging folders older than any live attempt can be (their attempt died)."""
    swept = 0
    deadline = time.time() - older_than_s
    staging = _staging(spool)
    for folder in staging.glob("*") if staging.is_dir() else ():
        with contextlib.suppress(OSError):
            if folder.stat().st_mtime < deadline:
                shutil.rmtree(folder, ignore_errors=True)
                swept += 1
    return swept
