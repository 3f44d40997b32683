"""The queue's commands: enqueue, backfill, status and retry (the CLI prints what they return).

A job's RQ id is its key (:mod:`narrate.jobs.keys`), so a source is enqueued once: one whose key
is already published, waiting for the publisher, rejected by it, or known to RQ in any state
(queued, running, waiting to retry, failed) is reported and left alone. That makes ``backfill``
resumable: after any crash, run it again and it adds only what is in none of those states.
Everything is read and written in pipelines of a thousand, so 10,000 sources take seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from narrate.errors import InputError
from narrate.intake.fetch import is_url
from narrate.jobs import spool as spooling
from narrate.jobs.keys import job_key, job_source, settings_fingerprint
from narrate.jobs.store import Keys, connect, rq_queue, text
from narrate.jobs.task import build, one_line
from narrate.jobs.worker import dequeued_not_started
from narrate.models import QueueSettings, Settings

if TYPE_CHECKING:
    from redis import Redis

CHUNK = 1000  # jobs per Redis pipeline
FAILURES_SHOWN = 20
RESULT_TTL_S = 24 * 3600  # a finished job is kept a day (the published hash is what counts)
SOURCE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".txt", ".text", ".md", ".markdown"})


@dataclass(frozen=True)
class Enqueued:
    source: str
    key: str
    # "enqueued" (by this call), "duplicate" (of an earlier source of this call), or what the
    # key already was: RQ's "queued", "started", "scheduled", "failed", "finished", ..., or
    # narrate's "built" (waiting for the publisher), "rejected" or "published"
    state: str


@dataclass(frozen=True)
class QueueStatus:
    queued: int  # waiting for a worker
    retrying: int  # waiting out a retry's backoff
    running: int
    built: int  # built, waiting for the publisher
    failed: int  # failed for good: their jobs (``narrate retry`` re-enqueues them)
    rejected: int  # built, but the publisher could not apply them
    published: int
    failures: tuple[tuple[str, str], ...]  # (source, one-line error), the first few


def read_list(path: Path) -> list[str]:
    """``backfill``'s LIST: a file of sources, one a line (``#`` comments, blank lines), or a
    folder, whose article files are taken in name order (subfolders too)."""
    if path.is_dir():
        return [str(p) for p in sorted(path.rglob("*")) if p.suffix.lower() in SOURCE_SUFFIXES]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the list {path}: {exc}", "give a file or folder") from exc
    base = path.resolve().parent
    return [
        line if is_url(line) else str(base / line)
        for line in (raw.strip() for raw in lines)
        if line and not line.startswith("#")
    ]


def enqueue(
    sources: Sequence[str], settings: Settings, queue: QueueSettings, *, cwd: Path | None = None
) -> list[Enqueued]:
    """One job per source not yet known (see the module's docstring); returns every source's
    key and state, in order."""
    from rq import Queue, Retry

    here = cwd or Path.cwd()
    fingerprint = settings_fingerprint(settings)
    resolved = [job_source(s, here) for s in sources]
    keyed = [(source, job_key(source, fingerprint)) for source in resolved]
    connection = connect(queue.redis_url)
    keys = Keys(queue.name)
    known = _states(connection, keys, [key for _, key in keyed])
    spool = spooling.spool_dir(queue, settings)
    fresh: dict[str, str] = {}
    for source, key in keyed:
        if key not in known and key not in fresh:
            fresh[key] = source
    rq = rq_queue(connection, keys)
    retry = (
        Retry(max=queue.retries, interval=list(queue.retry_backoff_s)) if queue.retries else None
    )
    first = int(connection.incrby(keys.sequence, len(fresh))) - len(fresh) if fresh else 0
    connection.set(keys.spool, str(spool))
    items = list(fresh.items())
    for start in range(0, len(items), CHUNK):
        datas = [
            Queue.prepare_data(
                build,
                args=(key, source, settings, queue, str(spool)),
                job_id=key,
                timeout=queue.job_timeout_s,
                result_ttl=RESULT_TTL_S,
                description=source,
                meta={"sequence": first + start + offset},
                retry=retry,
            )
            for offset, (key, source) in enumerate(items[start : start + CHUNK])
        ]
        with connection.pipeline() as pipe:
            rq.enqueue_many(datas, pipeline=pipe)
            pipe.execute()
    report, queued = [], set()
    for source, key in keyed:
        state = known.get(key) or ("duplicate" if key in queued else "enqueued")
        queued.add(key)
        report.append(Enqueued(source, key, state))
    return report


def _states(connection: Redis, keys: Keys, wanted: Iterable[str]) -> dict[str, str]:
    """What each key already is, for those narrate or RQ knows."""
    from rq.job import Job

    found: dict[str, str] = {}
    ordered = list(dict.fromkeys(wanted))
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        with connection.pipeline(transaction=False) as pipe:
            for key in chunk:
                pipe.hexists(keys.published, key)
                pipe.zscore(keys.ready, key)
                pipe.hexists(keys.rejected, key)
                pipe.hget(Job.key_for(key), "status")
            answers = pipe.execute()
        for index, key in enumerate(chunk):
            published, ready, rejected, status = answers[4 * index : 4 * index + 4]
            state = (
                "published"
                if published
                else "built"
                if ready is not None
                else "rejected"
                if rejected
                else text(status)
                if status
                else None
            )
            if state is not None:
                found[key] = state
    return found


def status(queue: QueueSettings) -> QueueStatus:
    """The queue's counts and its first failures (a handful of Redis calls at any size)."""
    from rq.job import Job
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

    connection = connect(queue.redis_url)
    keys = Keys(queue.name)
    rq = rq_queue(connection, keys)
    failed = FailedJobRegistry(queue=rq)
    failed_ids = failed.get_job_ids(0, FAILURES_SHOWN - 1)
    failures = [
        (job.description or job.id, _error(job))
        for job in Job.fetch_many(failed_ids, connection=connection)
        if job is not None
    ]
    rejected = connection.hgetall(keys.rejected)
    for key, why in sorted(rejected.items())[: max(0, FAILURES_SHOWN - len(failures))]:
        failures.append((f"publishing {text(key)}", text(why)))
    return QueueStatus(
        queued=rq.count,
        retrying=ScheduledJobRegistry(queue=rq).count,
        running=StartedJobRegistry(queue=rq).count + dequeued_not_started(connection, rq),
        built=int(connection.zcard(keys.ready)),
        failed=failed.count,
        rejected=len(rejected),
        published=int(connection.hlen(keys.published)),
        failures=tuple(failures),
    )


def _error(job: object) -> str:
    from rq.job import Job

    assert isinstance(job, Job)
    error = job.meta.get("error")
    if isinstance(error, str) and error:
        return error
    result = job.latest_result()
    text = (result.exc_string if result is not None else None) or job.exc_info or ""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return one_line(Exception(lines[-1])) if lines else "failed (no error recorded)"


def retry(queue: QueueSettings) -> list[str]:
    """Re-enqueue the failed jobs (with their retries anew) and hand the rejected built
    episodes back to the publisher; returns their sources (or keys)."""
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    connection = connect(queue.redis_url)
    keys = Keys(queue.name)
    registry = FailedJobRegistry(queue=rq_queue(connection, keys))
    again = []
    for job_id in registry.get_job_ids():
        try:
            job = Job.fetch(job_id, connection=connection)
            job.retries_left = queue.retries or None
            job.meta.pop("error", None)
            job.save()
            registry.requeue(job)
        except (NoSuchJobError, InvalidJobOperation):
            continue  # gone, or requeued by someone else meanwhile
        again.append(job.description or job_id)
    for key, _ in connection.hgetall(keys.rejected).items():
        name = text(key)
        connection.zadd(keys.ready, {name: 0}, nx=True)
        connection.hdel(keys.rejected, name)
        again.append(f"publishing {name}")
    return again
