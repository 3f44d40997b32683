"""``narrate worker``: RQ's forking worker, tuned so that faults cost little.

- Each job runs in a forked work horse: an engine that segfaults, or a horse killed with
  SIGKILL, costs that attempt (RQ retries it), never the worker.
- A worker killed outright stops renewing its jobs' heartbeats; those expire after three
  ``[queue] heartbeat_s`` (RQ's own margin is a fixed minute), and the next worker to clean the
  registries (every ``heartbeat_s``) retries them.
- Idle workers also offer to publish (the publisher's lock decides who), so episodes built
  while a publisher died are applied once its lock expires, with no new job needed.
- ``burst``: work until nothing is queued, waiting to retry, running or waiting to be
  published, then exit (RQ's own burst stops at the first empty look).
- A worker killed between taking a job off the queue and starting it leaves the job in RQ's
  intermediate queue, which the registry cleaning retries after a minute; ``burst`` waits.
- Redis restarted or out of reach: the worker keeps trying (RQ's loop, then this one's) for
  ``OUTAGE_S``, every ``RECONNECT_S`` at most (RQ's own back-off doubles up to a minute, so a
  worker that saw a few failed tries while Redis came back slept on for a minute with jobs
  queued); a job whose attempt failed for it is retried like any other.
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import TYPE_CHECKING, Any

from narrate.errors import NarrateError, QueueError
from narrate.jobs import publisher
from narrate.jobs import spool as spooling
from narrate.jobs.store import Keys, connect, rq_queue, text
from narrate.jobs.task import one_line
from narrate.models import QueueSettings

if TYPE_CHECKING:
    from rq.job import Job

log = logging.getLogger(__name__)

OUTAGE_S = 300  # a worker gives up on a Redis that has not answered for this long
RECONNECT_S = 2.0  # the longest wait between two tries to reach a Redis that is not answering
# How long the thread that listens for RQ's commands (stop a job, shut down) blocks in one read.
# RQ's own minute made a worker's exit wait that minute whenever the exit raced the thread's read
# (one burst run in four or five with the real engine).
COMMANDS_WAKE_S = 1.0


def _worker_class() -> type[Any]:
    from rq import Worker

    class NarrateWorker(Worker):
        """RQ's worker with narrate's heartbeat and an idle publisher."""

        narrate_queue: QueueSettings
        max_connection_wait_time = RECONNECT_S  # RQ's back-off: 1, 2, 4 ... up to this
        narrate_stopping = False  # SIGTERM or Ctrl-C came (RQ flags it only when busy)

        def request_stop(self, signum: int, frame: Any) -> None:
            self.narrate_stopping = True
            super().request_stop(signum, frame)

        def subscribe(self) -> None:  # RQ's, with the thread's read bounded (COMMANDS_WAKE_S)
            self.pubsub = self.connection.pubsub()
            self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
            self.pubsub_thread = self.pubsub.run_in_thread(  # type: ignore[assignment]
                sleep_time=COMMANDS_WAKE_S,
                daemon=True,
                exception_handler=self._pubsub_exception_handler,
            )

        def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
            return int(3 * self.job_monitoring_interval)

        def handle_exception(self, job: Job, *exc_info: Any) -> None:
            error = exc_info[1] if len(exc_info) > 1 else None
            if not isinstance(error, NarrateError):
                super().handle_exception(job, *exc_info)
                return
            # narrate's own errors are one line, not a traceback (the source has no article...)
            log.error("job %s (%s) failed: %s", job.id, job.description, one_line(error))

        def run_maintenance_tasks(self) -> None:
            super().run_maintenance_tasks()
            settings = self.narrate_queue
            keys = Keys(settings.name)
            publisher.drain(self.connection, keys, settings.lock_s)
            spool = publisher.spool_of(self.connection, keys)
            if spool is not None:
                spooling.sweep(spool, settings.job_timeout_s + 3 * settings.heartbeat_s)

    return NarrateWorker


def run_worker(queue: QueueSettings, *, burst: bool = False, name: str | None = None) -> int:
    """Run jobs until stopped (or, with ``burst``, until there is nothing left to do);
    returns how many rounds found work."""
    from redis.exceptions import RedisError
    from rq.exceptions import StopRequested

    connection = connect(queue.redis_url)
    keys = Keys(queue.name)
    rq = rq_queue(connection, keys)
    # Loaded once here, so that each forked work horse starts with the stages imported.
    importlib.import_module("narrate.pipeline")
    importlib.import_module("narrate.publishing.writer")
    worker = _worker_class()(
        [rq],
        connection=connection,
        name=name,
        job_monitoring_interval=queue.heartbeat_s,
        maintenance_interval=queue.heartbeat_s,
        worker_ttl=queue.heartbeat_s + 15,  # RQ blocks on the queue for worker_ttl - 15 s
    )
    worker.narrate_queue = queue
    rounds, outage_since = 0, None
    while True:
        try:
            if outage_since is not None:
                # Redis came back with this worker's registration, which RQ's teardown could
                # not end: RQ would refuse to start a worker of the same name again.
                worker.register_death()
            rounds += int(worker.work(burst=burst, with_scheduler=True, logging_level=_level()))
            if worker.narrate_stopping:
                return rounds  # SIGTERM or Ctrl-C: a warm shutdown, the job in hand finished
            if burst:
                worker.last_cleaned_at = None  # clean the registries on the next round's start
                publisher.drain(connection, keys, queue.lock_s, wait_s=queue.lock_s + 1)
                if not _pending(connection, keys, queue):
                    return rounds
            outage_since = None
        except RedisError as exc:
            # RQ's own loop rides out a Redis restart while it waits for jobs; this covers
            # the other moments (between jobs, while publishing).
            outage_since = outage_since or time.monotonic()
            if time.monotonic() - outage_since > OUTAGE_S:
                raise QueueError(
                    f"lost the queue's Redis at {queue.redis_url} for {OUTAGE_S} s: {exc}",
                    "check that redis-server runs; the jobs in hand are retried",
                ) from exc
            log.warning("the queue's Redis is not answering (%s): trying again", exc)
        except StopRequested:  # the signal came between two rounds
            return rounds
        time.sleep(min(1.0, queue.heartbeat_s / 2))


def _pending(connection: Any, keys: Keys, queue: QueueSettings) -> bool:
    """Whether any job may still come to this worker or need publishing."""
    from rq.registry import ScheduledJobRegistry, StartedJobRegistry

    rq = rq_queue(connection, keys)
    started = StartedJobRegistry(queue=rq)
    started.cleanup()  # a dead worker's jobs go back to the queue (or fail) here
    return bool(
        rq.count
        or ScheduledJobRegistry(queue=rq).count
        or started.count
        or dequeued_not_started(connection, rq)
        or connection.zcard(keys.ready)
    )


def dequeued_not_started(connection: Any, rq: Any) -> int:
    """Jobs a worker took off the queue and has not started (RQ's intermediate queue, where
    the job of a worker that died then stays until the registry cleaning puts it back, after a
    minute). Entries of jobs that did start linger there too: those do not count."""
    from rq.job import Job

    ids = connection.lrange(rq.intermediate_queue.key, 0, -1)
    if not ids:
        return 0
    with connection.pipeline(transaction=False) as pipe:
        for job_id in ids:
            pipe.hget(Job.key_for(text(job_id)), "status")
        return sum(status == b"queued" for status in pipe.execute())


def _level() -> str:
    return logging.getLevelName(logging.getLogger("narrate").getEffectiveLevel())
