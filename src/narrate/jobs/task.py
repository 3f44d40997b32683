"""What a work horse runs for one job: build the article into the spool, hand it on.

A job never writes the show: it builds into a staging folder of its own, commits the built
episode to the spool by a rename, adds its key to the ready set (scored by the order it was
enqueued in) and then offers to publish (:func:`narrate.jobs.publisher.drain`, which returns at
once when another worker holds the publisher's lock). Every step may run twice (an attempt
taken for dead that was not, a retry after a kill): each finds what the first left and goes on.

A build that fails with narrate's own error (a source that has no article, a voice that
cannot speak it) fails for good at once, its one-line error kept for ``narrate status``:
retrying it would fail the same way. Anything else (the horse killed, a timeout, a crash) is
retried by RQ, ``[queue] retries`` times with backoff.
"""

from __future__ import annotations

import logging

from narrate.errors import NarrateError
from narrate.jobs import publisher
from narrate.jobs import spool as spooling
from narrate.jobs.store import Keys
from narrate.models import QueueSettings, Settings

log = logging.getLogger(__name__)


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def build(key: str, source: str, settings: Settings, queue: QueueSettings, spool: str) -> str:
    """The job: ``source`` built under ``settings`` into ``spool``, then published."""
    from rq import get_current_job

    from narrate.pipeline import build_episode

    job = get_current_job()
    if job is None:
        raise RuntimeError("narrate.jobs.task.build runs inside an RQ job")
    connection, keys, folder = job.connection, Keys(queue.name), spool
    if connection.hexists(keys.published, key):
        return "published already"
    if not spooling.is_built(folder, key):
        try:
            built = build_episode(source, settings, work_dir=spooling.work_dir(folder, key))
        except NarrateError as exc:
            job.retries_left = 0  # the same source fails the same way: no retry
            job.meta["error"] = one_line(exc)
            job.save_meta()
            raise
        spooling.commit(built, settings, folder, key)
    connection.zadd(keys.ready, {key: float(job.meta.get("sequence", 0))}, nx=True)
    publisher.drain(connection, keys, queue.lock_s)
    return "built"
