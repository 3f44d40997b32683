"""Redis: the connection and the names of narrate's own keys beside RQ's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from narrate.errors import QueueError

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue


@dataclass(frozen=True)
class Keys:
    """narrate's keys for one queue (``[queue] name``): every one starts ``narrate:<name>:``."""

    name: str

    def _key(self, what: str) -> str:
        return f"narrate:{self.name}:{what}"

    @property
    def ready(self) -> str:
        """Sorted set: the keys of built episodes waiting for the publisher, by enqueue order."""
        return self._key("ready")

    @property
    def published(self) -> str:
        """Hash: key -> the episode's guid, once the publisher has applied it."""
        return self._key("published")

    @property
    def rejected(self) -> str:
        """Hash: key -> why the publisher could not apply it (``narrate retry`` tries again)."""
        return self._key("rejected")

    @property
    def sequence(self) -> str:
        """Counter: the order sources were enqueued in, which the publisher follows."""
        return self._key("sequence")

    @property
    def spool(self) -> str:
        """String: the spool the queue's built episodes travel through (set by enqueue)."""
        return self._key("spool")

    @property
    def lock(self) -> str:
        """The publisher's lock (it expires: a dead holder cannot keep it)."""
        return self._key("publisher")


def text(value: object) -> str:
    """A Redis reply (bytes) as text."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def connect(url: str) -> Redis:
    """A checked connection to the queue's Redis."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        connection = Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)
        connection.ping()
    except (RedisError, ValueError) as exc:
        raise QueueError(
            f"cannot reach the queue's Redis at {url}: {exc}",
            "start redis-server (README: Running jobs) or give --redis redis://host:6379/0",
        ) from exc
    return connection


def rq_queue(connection: Redis, keys: Keys) -> Queue:
    from rq import Queue

    return Queue(keys.name, connection=connection)
