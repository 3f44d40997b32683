"""A cache of segment audio, so that rebuilding an edited article speaks only what changed.

A segment's audio depends on the engine (and its version), the voice (and, for a voice that is
a file, such as a Piper model, that file's content), its rate, pitch and volume, and the words
the engine is given (``Segment.spoken``: normalized, the lexicon applied).
Those, and a format number for this module, make the key; the WAV is stored under it in the
show's state folder (``<output>/.narrate/cache/segments/``), which is never published.

Entries are written to a temporary name and renamed, so a killed build leaves no half file that a
later build would take for a whole one; a damaged entry is ignored and spoken again.

The cache is kept to a size (``[audio] cache_mb``): a hit marks its entry as used (its
modification time), and after a build the entries used longest ago are removed until it fits.
Entries used in the last ``IN_USE_S`` are never removed, and a build works on its own links to
(or copies of) the entries it uses, so a build running beside another (builds may run at once)
keeps the audio it is about to join whatever the other prunes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from narrate.engines.protocol import TTSEngine, wav_duration_ms
from narrate.errors import EngineError
from narrate.models import RenderedSegment, Segment, VoiceProfile

log = logging.getLogger(__name__)

CACHE_FORMAT = 2  # bump when what a cached file means changes
IN_USE_S = 3600  # entries used this recently are kept, whatever the size


class SegmentCache:
    def __init__(
        self, root: Path, engine_id: str, profile: VoiceProfile, voice_id: str = ""
    ) -> None:
        self.root = root
        self.voice = [
            CACHE_FORMAT,
            engine_id,
            voice_id,  # the engine's voice_identity: a model file's content hash
            profile.voice_id,
            profile.rate_wpm,
            profile.pitch,
            profile.volume,
        ]
        self._warned = False

    def _unusable(self, message: str, exc: OSError) -> None:
        """Say once a build that the cache can't be used (it costs time, not the build)."""
        level = logging.DEBUG if self._warned else logging.WARNING
        self._warned = True
        log.log(level, message, self.root, exc)

    def path(self, segment: Segment) -> Path:
        data = json.dumps([*self.voice, segment.spoken], ensure_ascii=False).encode("utf-8")
        key = hashlib.sha256(data).hexdigest()
        return self.root / key[:2] / f"{key}.wav"

    def get(self, segment: Segment, into: Path) -> RenderedSegment | None:
        """The segment's cached audio as a file of the build's own, in ``into``: a hard link
        (a copy across file systems), so that another build pruning the cache can't take it
        away before this build has joined it. None when it isn't cached (or is damaged)."""
        path = self.path(segment)
        own = into / f"cached-{path.name}"
        try:
            os.utime(path)  # used now: the last to be pruned; FileNotFoundError: not cached
            if not own.exists():  # the same sentence twice in an article: one file
                _link_or_copy(path, own)
            return RenderedSegment(segment, own, wav_duration_ms(own))
        except FileNotFoundError:
            return None
        except EngineError:
            log.warning("ignoring a damaged cache entry %s", path)
            path.unlink(missing_ok=True)
            own.unlink(missing_ok=True)
            return None
        except OSError as exc:  # an unreadable cache costs time, not the build
            self._unusable("cannot read the segment cache in %s: %s", exc)
            return None

    def put(self, rendered: RenderedSegment) -> RenderedSegment:
        """Keep a copy of a segment the engine has just said; the build goes on with its own
        file (``rendered``, which is returned)."""
        path = self.path(rendered.segment)
        if path.is_file():  # cached as the engine finished it
            return rendered
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            os.close(fd)
            shutil.copyfile(rendered.wav_path, tmp)
            os.replace(tmp, path)
        except OSError as exc:  # a full disk costs the cache, not the build
            self._unusable("cannot cache a segment in %s: %s", exc)
        return rendered

    def prune(self, max_bytes: int) -> int:
        """Remove the entries used longest ago until the cache holds at most ``max_bytes``
        (never one used in the last ``IN_USE_S``), and temporary files a killed build left;
        returns how many entries were removed."""
        now = time.time()
        entries: list[tuple[float, int, str]] = []  # (last used, size, path)
        try:
            folders = [f.path for f in os.scandir(self.root) if f.is_dir()]
        except FileNotFoundError:
            return 0
        except OSError as exc:  # a cache that can't be read costs the pruning, not the build
            self._unusable("cannot prune the segment cache in %s: %s", exc)
            return 0
        for folder in folders:
            # Another build may add, rename or remove files meanwhile: a file gone is skipped.
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                for entry in os.scandir(folder):
                    with contextlib.suppress(FileNotFoundError):
                        info = entry.stat()
                        if entry.name.endswith(".tmp"):
                            if now - info.st_mtime > IN_USE_S:
                                os.unlink(entry.path)
                        elif entry.name.endswith(".wav"):
                            entries.append((info.st_mtime, info.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        removed = 0
        for used, size, path in sorted(entries):
            if total <= max_bytes or now - used < IN_USE_S:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
                total -= size
                removed += 1
        if removed:
            log.info("pruned %d segments from the cache; it holds %d bytes", removed, total)
        return removed


class SpokenInOrder:
    """The segments' audio in the script's order, each as soon as it and those before it are
    spoken, so that the episode is joined and encoded while the engine still speaks.

    The engine (and the cache) run in a thread of their own, which never waits for the
    reader: the reader's pauses (fitting the gain, an encoder that is behind) cost the engine
    nothing. Whatever the thread raises is raised to the reader. ``close`` stops the engine
    (after the segment it is on) and waits for the thread. ``cached`` counts the cache's hits.
    """

    def __init__(
        self,
        engine: TTSEngine,
        segments: Sequence[Segment],
        out_dir: Path,
        profile: VoiceProfile,
        cache: SegmentCache | None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.total = len(segments)
        self.cached = 0
        self._work = (engine, segments, out_dir, profile, cache, progress)
        self._results: queue.Queue[tuple[int, RenderedSegment | BaseException | None]]
        self._results = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._speak,
            name="narrate-speech",
            daemon=True,  # a reader stopped by Ctrl-C must not wait for the engine
        )
        self._thread.start()

    def _spoken(self) -> Iterator[tuple[int, RenderedSegment, bool]]:
        """Every segment's ``(index, audio, from the cache)``: first those the cache holds,
        then as the engine finishes them.

        Only the segments the cache lacks go to the engine (in one call, so they are still
        spoken in parallel); each is cached as the engine yields it, so that a build killed
        half-way through speaking keeps what it spoke. ``progress`` is told how many segments
        are newly done."""
        engine, segments, out_dir, profile, cache, progress = self._work
        found: dict[int, RenderedSegment] = {}
        out_dir.mkdir(parents=True, exist_ok=True)
        for index, segment in enumerate(segments):
            hit = cache.get(segment, out_dir) if cache is not None else None
            if hit is not None:
                found[index] = hit
        if found and progress:
            progress(len(found))
        for index, hit in found.items():
            yield index, hit, True
        missing = [i for i in range(len(segments)) if i not in found]
        if missing:
            spoken = engine.render([segments[i] for i in missing], out_dir, profile)
            with contextlib.closing(spoken):
                for engine_index, rendered in spoken:
                    done = cache.put(rendered) if cache else rendered
                    yield missing[engine_index], done, False
                    if progress:
                        progress(1)

    def _speak(self) -> None:
        end: BaseException | None = None
        try:
            for index, rendered, hit in self._spoken():
                self.cached += hit
                self._results.put((index, rendered))
                if self._stop.is_set():
                    break
        except BaseException as exc:  # given to the reader, in its thread
            end = exc
        self._results.put((-1, end))

    def __iter__(self) -> Iterator[RenderedSegment]:
        waiting: dict[int, RenderedSegment] = {}
        for index in range(self.total):
            while index not in waiting:
                at, item = self._results.get()
                if isinstance(item, RenderedSegment):
                    waiting[at] = item
                elif item is not None:
                    raise item
                else:
                    raise EngineError(
                        f"the speech engine said nothing for segment {index + 1}",
                        "this is a bug in the engine: please report it",
                    )
            yield waiting.pop(index)

    def close(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout_s)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
        os.close(fd)
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


__all__ = ["SegmentCache", "SpokenInOrder"]
