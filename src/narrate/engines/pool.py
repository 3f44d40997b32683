"""Engines that speak in worker processes (pyttsx3, Piper): the pool, its checks and retries.

A worker is ``python -m narrate.engines.<engine>_worker`` (see :mod:`narrate.engines.worker` for
what it answers). The pool keeps up to ``workers`` of them busy, gives every attempt at a
segment a fresh file name (audio that lands late can never pass for another's), and checks each
result before it is yielded: a file present, a readable WAV at the rate the engine really made,
a length plausible for its words, not silent, and whatever the engine checks besides
(:meth:`WorkerEngine.refuse`). A segment whose result fails is retried with a new engine; after
``ATTEMPTS`` the build fails. A worker that dies or hangs is replaced without taking the build
down.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import queue
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from narrate.engines.protocol import segment_file, wav_duration_ms, wav_peak
from narrate.errors import EngineError
from narrate.machine import usable_cpus
from narrate.models import RenderedSegment, Segment, VoiceInfo, VoiceProfile

log = logging.getLogger(__name__)

ATTEMPTS = 3
SILENT_PEAK = 100  # of 32767: below this a segment's audio holds no speech
START_TIMEOUT_S = 60.0
JOB_TIMEOUT_S = 30.0  # plus 50 ms a character: far beyond what any sentence takes
RATES_HZ = (8000, 96000)  # a sample rate outside these is no speech engine's
# Workers left idle by a build that went well wait for the process's next build (the next
# article of a batch, the next job), at most this many of each kind: starting one takes a few
# tenths of a second, which every article's speech would otherwise wait for.
IDLE_KEPT = 4

Inbox = queue.Queue[tuple["_Worker", dict[str, Any] | None]]


@dataclass
class _Job:
    index: int
    segment: Segment
    attempt: int = 0


class _Worker:
    """One worker process and the thread reading its answers."""

    def __init__(self, config: dict[str, Any], inbox: Inbox, command: Sequence[str]) -> None:
        self.process = subprocess.Popen(
            [*command, json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            # Its own session: Ctrl-C reaches narrate, which stops the workers itself, and no
            # worker prints a traceback on the user's terminal.
            start_new_session=True,
        )
        self.ready = False
        self.job: _Job | None = None
        self.path: Path | None = None
        self.deadline = float("inf")
        self.inbox = inbox
        assert self.process.stdout is not None
        self.reader = threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True)
        self.reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with contextlib.suppress(json.JSONDecodeError):
                self.inbox.put((self, json.loads(line)))
        self.inbox.put((self, None))  # end of output: the process ended or died

    def send(self, **request: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        """Kill the worker and the engine it may be running (its own process group)."""
        if hasattr(os, "killpg"):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self.process.stdin:
                self.process.stdin.close()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.kill()


_idle: dict[str, list[_Worker]] = {}  # workers ready and idle, by kind (WorkerEngine._kind)
_idle_lock = threading.Lock()


def _keep(kind: str, worker: _Worker) -> bool:
    """Keep an idle, ready, living worker for the next build; False when it is not kept."""
    if not worker.ready or worker.job is not None or worker.process.poll() is not None:
        return False
    with _idle_lock:
        kept = _idle.setdefault(kind, [])
        if len(kept) >= IDLE_KEPT:
            return False
        kept.append(worker)
    return True


def _take(kind: str, inbox: Inbox) -> _Worker | None:
    """A kept worker of this kind, now answering into ``inbox`` (None: none is alive)."""
    with _idle_lock:
        kept = _idle.get(kind, [])
        while kept:
            worker = kept.pop()
            if worker.process.poll() is None:
                worker.inbox = inbox  # idle: no answer is on its way to the old one
                return worker
            worker.close()
    return None


@atexit.register
def close_idle_workers() -> None:
    """Stop the kept workers (at exit: they would stop anyway when their stdin closes)."""
    with _idle_lock:
        kept = [worker for workers in _idle.values() for worker in workers]
        _idle.clear()
    for worker in kept:
        worker.close()


def plausible_ms(spoken: str, rate_wpm: int) -> tuple[int, int]:
    """The range of lengths a segment's audio may have; outside it, it is someone else's audio."""
    words = max(1, len(spoken.split()))
    expected = words * 60000 / rate_wpm
    return max(50, int(0.25 * expected) - 300), int(3.0 * expected) + 2500


class WorkerEngine:
    """An engine whose workers are ``command``; subclasses say how to start and check them."""

    name = "worker"
    hint = "run `narrate voices` to check the engine works"
    worker: tuple[str, ...] = ()  # the worker process's command; tests give misbehaving ones

    def __init__(
        self,
        workers: int | None = None,
        command: Sequence[str] | None = None,
        job_timeout_s: float = JOB_TIMEOUT_S,
    ) -> None:
        self.job_timeout_s = job_timeout_s
        self.workers = workers or min(8, usable_cpus())
        self.command = tuple(command or self.worker)
        self.failed_starts = 0

    # --- what an engine says about itself ---------------------------------------------------

    def worker_config(self, profile: VoiceProfile) -> dict[str, Any]:
        """What a worker is started with (JSON)."""
        raise NotImplementedError

    def refuse(self, message: dict[str, Any]) -> str | None:
        """Why a worker's answer to ``say`` is not to be trusted, beyond the common checks."""
        return None

    # --- the pool ---------------------------------------------------------------------------

    def query_voices(self, config: dict[str, Any]) -> list[VoiceInfo]:
        for attempt in range(ATTEMPTS):
            inbox: Inbox = queue.Queue()
            worker = _Worker(config, inbox, self.command)
            try:
                self._expect(worker, _next(inbox, START_TIMEOUT_S, self.hint), "status")
                worker.send(op="voices")
                rows = self._expect(worker, _next(inbox, 30.0, self.hint), "voices")
                break
            except EngineError:
                if attempt + 1 == ATTEMPTS:
                    raise
            finally:
                worker.close()
        return [VoiceInfo(r["id"], r["name"], tuple(r["languages"]), r["gender"]) for r in rows]

    def render(
        self, segments: Sequence[Segment], out_dir: Path, profile: VoiceProfile
    ) -> Generator[tuple[int, RenderedSegment]]:
        out_dir.mkdir(parents=True, exist_ok=True)
        inbox: Inbox = queue.Queue()
        pending = deque(_Job(i, s) for i, s in enumerate(segments))
        done: dict[int, RenderedSegment] = {}
        pool: list[_Worker] = []
        self.failed_starts = 0  # in a row
        try:
            count = min(self.workers, len(pending))
            pool = [self._spawn(profile, inbox) for _ in range(count)]
            while len(done) < len(segments):
                for index, worker in enumerate(pool):
                    if worker.ready and worker.job is None and pending:
                        job = pending.popleft()
                        try:
                            self._assign(worker, job, out_dir)
                        except OSError:  # it died after its last answer: not the job's fault
                            worker.job = None
                            pending.appendleft(job)
                            worker.kill()
                            pool[index] = self._spawn(profile, inbox)
                sender: _Worker | None = None
                message: dict[str, Any] | None = None
                with contextlib.suppress(queue.Empty):
                    sender, message = inbox.get(timeout=0.5)
                for index, candidate in enumerate(pool):
                    if candidate is sender:
                        finished = candidate.job
                        failure = self._handle(candidate, message, profile, done)
                        if failure is None and finished is not None and finished.index in done:
                            yield finished.index, done[finished.index]
                    elif time.monotonic() > candidate.deadline:
                        failure = "it took too long"
                    else:
                        continue
                    if failure is not None:
                        if candidate.job is not None:
                            self._retry(candidate.job, failure, pending)
                        elif not candidate.ready:
                            self.failed_starts += 1
                            log.info("an engine failed to start (%s)", failure)
                            if self.failed_starts >= ATTEMPTS:
                                raise EngineError(
                                    f"the speech engine could not start: {failure}", self.hint
                                )
                        candidate.kill()
                        pool[index] = self._spawn(profile, inbox)
        finally:
            whole = len(done) == len(segments)
            for worker in pool:
                if not (whole and _keep(self._kind(profile), worker)):
                    worker.close()

    def _kind(self, profile: VoiceProfile) -> str:
        """What makes workers interchangeable: their command and what they are started with."""
        return json.dumps([self.command, self.worker_config(profile)], sort_keys=True)

    def _spawn(self, profile: VoiceProfile, inbox: Inbox) -> _Worker:
        kept = _take(self._kind(profile), inbox)
        if kept is not None:
            return kept
        worker = _Worker(self.worker_config(profile), inbox, self.command)
        worker.deadline = time.monotonic() + START_TIMEOUT_S
        return worker

    def _handle(
        self,
        worker: _Worker,
        message: dict[str, Any] | None,
        profile: VoiceProfile,
        done: dict[int, RenderedSegment],
    ) -> str | None:
        """Take one message from a worker; returns why it failed, or None."""
        if message is None:
            return f"the engine process died (exit code {worker.process.wait()})"
        if "status" in message:
            if message["status"] != "ready":
                return str(message.get("detail"))
            worker.ready, worker.deadline = True, float("inf")
            self.failed_starts = 0
            log.debug("%s worker %s ready (%s)", self.name, worker.process.pid, message["detail"])
            return None
        job, path = worker.job, worker.path
        if job is None or path is None:
            return None
        failure = self._check(job, path, message, profile)
        if failure is not None:
            return failure
        final = segment_file(path.parent, job.index)
        os.replace(path, final)
        done[job.index] = RenderedSegment(job.segment, final, wav_duration_ms(final))
        worker.job, worker.deadline = None, float("inf")
        return None

    def _check(
        self, job: _Job, path: Path, message: dict[str, Any], profile: VoiceProfile
    ) -> str | None:
        """Why this answer's audio is not the segment's, or None: never trust the header."""
        if message.get("error"):
            return str(message["error"])
        refused = self.refuse(message)
        if refused:
            return refused
        if not message.get("said") or not path.exists():
            return "it wrote no audio file"
        rate = message.get("rate_hz")
        if not isinstance(rate, int) or not RATES_HZ[0] <= rate <= RATES_HZ[1]:
            return f"it did not say at which sample rate it spoke ({rate!r})"
        if message.get("header_hz") not in (None, rate):
            log.info("a %s Hz header on %s Hz audio: corrected", message["header_hz"], rate)
        try:
            duration_ms = wav_duration_ms(path)
        except EngineError as exc:
            return exc.message
        if wav_peak(path) < SILENT_PEAK:
            return "its audio is silent"
        low, high = plausible_ms(job.segment.spoken, profile.rate_wpm)
        if not low <= duration_ms <= high:
            return f"its audio lasts {duration_ms} ms where {low}-{high} ms was expected"
        return None

    def _assign(self, worker: _Worker, job: _Job, out_dir: Path) -> None:
        # A fresh name per attempt: audio that lands late can never pass for another's.
        path = segment_file(out_dir, job.index).with_suffix(f".try{job.attempt}.wav")
        worker.job, worker.path = job, path
        # A hung engine (it happens) is given up on after this, and the segment retried.
        worker.deadline = time.monotonic() + self.job_timeout_s + len(job.segment.spoken) / 20
        worker.send(op="say", text=job.segment.spoken, path=str(path))

    @staticmethod
    def _retry(job: _Job, failure: str, pending: deque[_Job]) -> None:
        log.info("segment %d failed (%s); retrying with a new engine", job.index + 1, failure)
        job.attempt += 1
        if job.attempt >= ATTEMPTS:
            preview = job.segment.spoken[:60] + ("..." if len(job.segment.spoken) > 60 else "")
            raise EngineError(
                f"the speech engine failed {ATTEMPTS} times on segment {job.index + 1} "
                f"({preview!r}): {failure}",
                "shorten that sentence, or check the voice with `narrate voices`",
            )
        pending.appendleft(job)

    def _expect(
        self, worker: _Worker, item: tuple[_Worker, dict[str, Any] | None], key: str
    ) -> Any:
        message = item[1]
        if message is None:
            raise EngineError(
                f"the speech engine crashed (exit code {worker.process.wait()})", self.hint
            )
        if message.get("status") == "failed":
            raise EngineError(
                f"the speech engine could not start: {message.get('detail')}", self.hint
            )
        if key not in message:
            raise EngineError(
                f"the speech engine failed: {message.get('error', message)}", self.hint
            )
        return message[key]


def _next(inbox: Inbox, timeout_s: float, hint: str) -> tuple[_Worker, dict[str, Any] | None]:
    try:
        return inbox.get(timeout=timeout_s)
    except queue.Empty:
        raise EngineError("the speech engine stopped answering", hint) from None
