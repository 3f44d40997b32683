"""Finished episodes kept by their fingerprint, so that an unchanged rebuild masters nothing.

The fingerprint is a hash of everything that reaches the MP3 and the files beside it, which the
pipeline gives as a list of plain values (``fingerprint``): the segments (words spoken, text
shown, pauses, parts), the engine and voice identities, the voice's finish, the audio settings
and the content of the intro and outro files, the tags (cover included), narrate's version, and
the ffmpeg that encodes. An entry holds the episode's finished files (tagged MP3, AAC copy,
transcripts, chapters) and what the build learnt about its audio (cues, chapters, loudness);
a build with the same fingerprint takes them instead of speaking and mastering again.

Entries live in ``<cache>/episodes/<fingerprint>/``, beside the segment cache (never published).
An entry is made in a folder of its own and renamed into place, so a killed build leaves no
half entry; files go in and out as hard links (copies across file systems), so an entry costs
no room while the show's published copy of the same file exists, and a build works on its own
links, whatever another build prunes. Each file's content hash is kept with it and checked
when it is taken: a published file changed in place (so the entry's too) is not reused. The
entries used longest ago go when they outgrow the budget (``[audio] cache_mb``, as the segment
cache's), never one used in the last hour.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from narrate.audio.ffmpeg import ffmpeg_exe
from narrate.models import Chapter, Cue, EpisodeAudio

log = logging.getLogger(__name__)

FORMAT = 1  # bump when what an entry means changes
META_NAME = "episode.json"
IN_USE_S = 3600  # entries used this recently are never pruned


def fingerprint(parts: Iterable[object]) -> str:
    """The hash of ``parts`` (JSON-able values; anything else by its ``repr``), with this
    module's format and the encoder's identity (its path, size and date)."""
    encoder = ffmpeg_exe()
    try:
        stat = os.stat(encoder)
        encoder_id = f"{encoder} {stat.st_size} {stat.st_mtime_ns}"
    except OSError:
        encoder_id = encoder
    data = json.dumps([FORMAT, encoder_id, *parts], default=repr, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def file_digest(path: Path | None) -> str:
    """A file's content hash (for an intro or outro file); "" for none, "missing" if gone."""
    if path is None:
        return ""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return "missing"
    return digest.hexdigest()


class EpisodeCache:
    """Finished episodes under ``root`` (the show's cache folder), by fingerprint."""

    def __init__(self, root: Path) -> None:
        self.root = root / "episodes"

    def get(self, key: str, into: Path, names: Iterable[str]) -> EpisodeAudio | None:
        """Link the entry's files named ``names`` (those it has) into ``into``; the episode's
        audio as it was built, or None when there is no whole entry."""
        entry = self.root / key
        try:
            meta = json.loads((entry / META_NAME).read_text(encoding="utf-8"))
            linked = []
            for name in names:
                if (entry / name).is_file():
                    _link_or_copy(entry / name, into / name)
                    linked.append(name)
            # A file changed in place since (the entry shares it with the published copy).
            changed = [n for n in linked if file_digest(into / n) != meta["digests"][n]]
            os.utime(entry)  # used now: the last to be pruned
            audio = EpisodeAudio(
                mp3_path=into / meta["mp3_name"],
                duration_ms=int(meta["duration_ms"]),
                cues=tuple(Cue(int(a), int(b), str(t)) for a, b, t in meta["cues"]),
                chapters=tuple(Chapter(int(a), int(b), str(t)) for a, b, t in meta["chapters"]),
                integrated_lufs=meta["lufs"],
                true_peak_dbtp=meta["peak"],
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring the damaged episode cache entry %s (%s)", entry, exc)
            shutil.rmtree(entry, ignore_errors=True)
            return None
        if set(linked) != set(meta["files"]) or changed:
            log.warning("ignoring the incomplete or changed episode cache entry %s", entry)
            shutil.rmtree(entry, ignore_errors=True)
            for name in linked:
                (into / name).unlink(missing_ok=True)
            return None
        return audio

    def put(self, key: str, folder: Path, names: Iterable[str], audio: EpisodeAudio) -> None:
        """Keep the finished files ``names`` of ``folder`` (those that exist) under ``key``."""
        entry = self.root / key
        if entry.is_dir():
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            partial = Path(
                tempfile.mkdtemp(prefix=f".{key[:16]}.", suffix=".partial", dir=self.root)
            )
            try:
                files = [name for name in names if (folder / name).is_file()]
                for name in files:
                    _link_or_copy(folder / name, partial / name)
                meta = {
                    "files": files,
                    "digests": {name: file_digest(partial / name) for name in files},
                    "mp3_name": audio.mp3_path.name,
                    "duration_ms": audio.duration_ms,
                    "cues": [[c.start_ms, c.end_ms, c.text] for c in audio.cues],
                    "chapters": [[c.start_ms, c.end_ms, c.title] for c in audio.chapters],
                    "lufs": audio.integrated_lufs,
                    "peak": audio.true_peak_dbtp,
                }
                (partial / META_NAME).write_text(json.dumps(meta), encoding="utf-8")
                os.rename(partial, entry)
            except BaseException:
                shutil.rmtree(partial, ignore_errors=True)
                raise
        except OSError as exc:  # a full disk, or another build put it first: costs nothing
            if not entry.is_dir():
                log.warning("cannot keep the finished episode in %s: %s", self.root, exc)

    def prune(self, max_bytes: int) -> int:
        """Remove the entries used longest ago until they hold at most ``max_bytes`` (files
        that are also published cost nothing, but are counted), never one used in the last
        ``IN_USE_S``; and partial entries of killed builds. Returns how many went."""
        now = time.time()
        entries: list[tuple[float, int, Path]] = []
        try:
            folders = list(os.scandir(self.root))
        except OSError:
            return 0
        for folder in folders:
            with contextlib.suppress(OSError):
                used = folder.stat().st_mtime
                if folder.name.endswith(".partial"):
                    if now - used > IN_USE_S:
                        shutil.rmtree(folder.path, ignore_errors=True)
                    continue
                size = sum(f.stat().st_size for f in os.scandir(folder.path))
                entries.append((used, size, Path(folder.path)))
        total = sum(size for _, size, _ in entries)
        removed = 0
        for used, size, path in sorted(entries):
            if total <= max_bytes or now - used < IN_USE_S:
                break
            shutil.rmtree(path, ignore_errors=True)
            total -= size
            removed += 1
        return removed


def _link_or_copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)
