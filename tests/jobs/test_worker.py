"""Faults: a work horse or a whole worker SIGKILLed mid-job, Redis restarted, the publisher
killed mid-apply. Each time every article ends up published exactly once, in a whole feed."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from harness import Show, feed_episodes, horse_of, redis_server, s3, show, wait_for  # noqa: F401

from narrate.publishing.catalog import show_lock

pytestmark = [pytest.mark.slow]


def _all_published_once(show: Show, count: int) -> None:  # noqa: F811
    counts = show.status()
    published = (counts["published"], counts["failed"], counts["rejected"])
    assert published == (count, 0, 0), (counts, show.narrate("status").stdout, show.logs())
    episodes = feed_episodes(show.out)
    assert len(episodes) == count
    assert len({e["guid"] for e in episodes}) == count
    assert len({e["title"] for e in episodes}) == count


def _running_horse(show: Show, worker_pid: int) -> int:  # noqa: F811
    found: list[int] = []

    def started() -> bool:
        horse = horse_of(worker_pid)
        found[:] = [horse] if horse is not None and show.running() else []
        return bool(found)

    wait_for(started, 60, "a job to start")
    return found[0]


def test_a_killed_work_horse_costs_one_attempt(show: Show) -> None:  # noqa: F811
    show.narrate("enqueue", *show.articles(3))
    worker = show.worker()
    os.kill(_running_horse(show, worker.pid), signal.SIGKILL)
    show.wait_published(3)
    assert worker.poll() is None  # the worker lived on
    _all_published_once(show, 3)
    worker.send_signal(signal.SIGTERM)  # regression: an idle worker went round again on it
    assert worker.wait(60) == 0, show.logs()


def test_a_killed_worker_s_job_is_retried_by_another(show: Show) -> None:  # noqa: F811
    show.narrate("enqueue", *show.articles(3))
    first = show.worker()
    horse = _running_horse(show, first.pid)
    os.kill(horse, signal.SIGKILL)
    os.killpg(first.pid, signal.SIGKILL)  # the worker and RQ's scheduler with it
    first.wait()
    second = show.worker("--burst")
    assert second.wait(180) == 0, show.logs()
    _all_published_once(show, 3)


def test_a_restarted_redis_loses_no_job(show: Show) -> None:  # noqa: F811
    show.narrate("enqueue", *show.articles(4))
    worker = show.worker()
    wait_for(lambda: show.published() >= 1, 60, "a first episode")
    show.redis.stop()
    time.sleep(4)  # down long enough for RQ's back-off to grow (1 + 2 s, then capped)
    show.redis.start()
    show.wait_published(4, timeout_s=240)
    assert worker.poll() is None
    _all_published_once(show, 4)


def test_a_publisher_killed_mid_apply_leaves_the_show_whole(show: Show) -> None:  # noqa: F811
    show.narrate("enqueue", *show.articles(2))
    client = show.redis.client()
    with show_lock(show.out):  # the publisher will wait for this inside narrate.publish
        worker = show.worker()
        wait_for(
            lambda: (
                client.exists("narrate:narrate:publisher") and client.zcard("narrate:narrate:ready")
            ),
            60,
            "the publisher to start applying",
        )
        horse = horse_of(worker.pid)
        if horse is not None:
            os.kill(horse, signal.SIGKILL)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    assert client.exists("narrate:narrate:publisher")  # the dead holder's lock, until it expires
    second = show.worker("--burst")
    assert second.wait(180) == 0, show.logs()
    _all_published_once(show, 2)


@pytest.mark.engine
def test_a_job_with_the_real_engine(show: Show) -> None:  # noqa: F811
    (source,) = show.articles(1)
    show.narrate("enqueue", source, "--voice", "default")
    assert show.worker("--burst").wait(240) == 0, show.logs()
    (episode,) = feed_episodes(show.out)
    assert episode["total_time"] > 3
    assert show.status()["published"] == 1


def test_nothing_is_left_in_the_spool(show: Show) -> None:  # noqa: F811
    show.narrate("enqueue", *show.articles(2))
    assert show.worker("--burst").wait(180) == 0, show.logs()
    spool = show.out / ".narrate" / "spool"
    assert list((spool / "built").iterdir()) == []
    assert [p for p in (spool / "staging").iterdir()] == []
    assert isinstance(spool, Path)


def test_workers_and_publisher_meet_in_object_storage(show: Show, s3: str) -> None:  # noqa: F811
    with (show.root / "narrate.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'spool = "{s3}"\n')
    show.narrate("enqueue", *show.articles(2))
    workers = [show.worker("--burst") for _ in range(2)]
    for process in workers:
        assert process.wait(180) == 0, show.logs()
    _all_published_once(show, 2)
    assert not (show.out / ".narrate" / "spool").exists()  # nothing went through the show


def test_a_round_cut_short_by_redis_does_not_end_the_worker(
    show: Show,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Redis lost after RQ registered the worker, before its round ended: the registration
    outlives the outage, and the worker still starts its next round (RQ alone refuses to)."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    from narrate.config import load_queue_settings
    from narrate.jobs import worker as worker_module

    rounds: list[str] = []
    rq_worker = worker_module._worker_class()

    class CutShort(rq_worker):  # type: ignore[misc, valid-type]
        def work(self, *args: object, **kwargs: object) -> bool:
            rounds.append(self.name)
            if len(rounds) == 1:
                self.register_birth()
                raise RedisConnectionError("Redis went away in the middle of the round")
            return bool(super().work(*args, **kwargs))

    monkeypatch.setattr(worker_module, "_worker_class", lambda: CutShort)
    queue = load_queue_settings(config=show.root / "narrate.toml")
    worker_module.run_worker(queue, burst=True)
    assert len(rounds) == 2 and rounds[0] == rounds[1]
