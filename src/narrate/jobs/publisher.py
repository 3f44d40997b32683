"""The one publisher: built episodes into the show, one writer at a time, in enqueue order.

Whoever finishes a build, and every idle worker now and then, calls :func:`drain`. It takes the
publisher's lock in Redis, a key that expires unless its holder renews it (after each episode),
so a publisher killed mid-apply holds the show for at most ``[queue] lock_s``. Holding it,
:func:`drain` applies the ready episodes in the order their sources were enqueued, each with
``narrate.publish`` (which replaces feed and pages by atomic renames, so the feed is whole
whenever it is read), then records it as published. Applying is idempotent: a key recorded as
published is only tidied away; one applied but not yet recorded (the publisher died between
the two) is applied again, which gives the same record under the same guid and the same files.
After releasing the lock, :func:`drain` looks at the ready set once more: an episode added
while it held the lock, by a worker that then found the lock taken, is not left behind.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from narrate.errors import NarrateError
from narrate.jobs import spool as spooling
from narrate.jobs.store import Keys, text

if TYPE_CHECKING:
    from redis import Redis
    from redis.lock import Lock

log = logging.getLogger(__name__)

BATCH = 100  # ready keys read at a time


def spool_of(connection: Redis, keys: Keys) -> str | None:
    """The spool the queue's jobs were enqueued with (every part of a queue shares one)."""
    value = connection.get(keys.spool)
    return text(value) if value else None


def drain(connection: Redis, keys: Keys, lock_s: int, wait_s: float = 0.0) -> int:
    """Apply every ready episode, if the publisher's lock can be had within ``wait_s``;
    returns how many were published."""
    from redis.exceptions import LockError

    applied = 0
    while True:
        lock = connection.lock(
            keys.lock, timeout=lock_s, blocking=wait_s > 0, blocking_timeout=wait_s or None
        )
        if not lock.acquire():
            return applied
        try:
            applied += _apply_ready(connection, keys, lock)
        finally:
            try:
                lock.release()
            except LockError:  # it expired (and perhaps another publisher has it now)
                log.warning("the publisher's lock expired while it was held: raise [queue] lock_s")
        if not connection.zcard(keys.ready):
            return applied


def _apply_ready(connection: Redis, keys: Keys, lock: Lock) -> int:
    spool = spool_of(connection, keys)
    applied = 0
    while spool is not None:
        batch = [text(k) for k in connection.zrange(keys.ready, 0, BATCH - 1)]
        if not batch:
            break
        for key in batch:
            applied += apply(connection, keys, spool, key)
            lock.reacquire()  # a fresh lease for the next one
    return applied


def apply(connection: Redis, keys: Keys, spool: spooling.Spool, key: str) -> int:
    """Publish the built episode of ``key`` (1), or tidy it away if it already is (0)."""
    from narrate.publishing.writer import publish

    if connection.hexists(keys.published, key):
        connection.zrem(keys.ready, key)
        spooling.discard(spool, key)
        return 0
    if not spooling.is_built(spool, key):
        log.warning("the built episode of %s is not in %s: it was lost", key, spool)
        connection.zrem(keys.ready, key)
        connection.hset(keys.rejected, key, f"its built episode is not in {spool}")
        return 0
    built, settings = spooling.checkout(spool, key)
    try:
        record = publish(built, settings)
    except NarrateError as exc:
        log.error("cannot publish %s: %s", key, exc)
        with connection.pipeline() as pipe:
            pipe.hset(keys.rejected, key, " ".join(str(exc).split()))
            pipe.zrem(keys.ready, key)
            pipe.execute()
        return 0
    with connection.pipeline() as pipe:
        pipe.hset(keys.published, key, record.guid)
        pipe.hdel(keys.rejected, key)
        pipe.zrem(keys.ready, key)
        pipe.execute()
    spooling.discard(spool, key)
    log.info("published %s: %s", key, record.slug)
    return 1
