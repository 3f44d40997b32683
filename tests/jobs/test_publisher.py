"""The publisher: idempotent, in enqueue order, and never held by a dead holder for long."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from harness import RedisServer, redis_server  # noqa: F401 (a fixture)

from narrate.jobs import publisher, spool
from narrate.jobs.store import Keys
from narrate.models import BuiltEpisode, EpisodeRecord, Settings
from narrate.pipeline import build_episode
from narrate.publishing.catalog import open_catalog
from narrate.publishing.writer import publish

KEYS = Keys("narrate")


def _built(tmp_path: Path, settings: Settings, folder: Path, title: str, key: str) -> None:
    source = tmp_path / f"{key}.txt"
    source.write_text(f"{title}\n\nThe quay was busy on {key}. Boats came in.\n", encoding="utf-8")
    built = build_episode(source, settings, work_dir=spool.work_dir(folder, key))
    spool.commit(built, settings, folder, key)


def _catalog(settings: Settings) -> list[tuple[str, str, str]]:
    with open_catalog(settings.output_dir) as catalog:
        return sorted((e.guid, e.title, e.audio_path) for e in catalog.episodes())


def test_applying_a_built_episode_twice_changes_nothing(
    tmp_path: Path,
    tone_settings: Settings,
    redis_server: RedisServer,  # noqa: F811
) -> None:
    client, folder = redis_server.client(), tmp_path / "spool"
    client.set(KEYS.spool, str(folder))
    _built(tmp_path, tone_settings, folder, "Quay day", "k1")
    # A publisher that died after narrate.publish, before recording it: the work is done ...
    built, settings = spool.checkout(folder, "k1")
    publish(built, settings)
    before = _catalog(tone_settings)
    feed = (tone_settings.output_dir / "feed.xml").read_bytes()
    # ... and the next publisher applies it again: the same record, guid and files.
    client.zadd(KEYS.ready, {"k1": 0})
    assert publisher.drain(client, KEYS, lock_s=5) == 1
    assert _catalog(tone_settings) == before
    assert (tone_settings.output_dir / "feed.xml").read_bytes().count(b"<item>") == 1
    assert feed.count(b"<item>") == 1
    # Recorded now: a third time only tidies up.
    client.zadd(KEYS.ready, {"k1": 0})
    assert publisher.drain(client, KEYS, lock_s=5) == 0
    assert _catalog(tone_settings) == before
    assert not spool.is_built(folder, "k1") and client.zcard(KEYS.ready) == 0


def test_ready_episodes_are_applied_in_enqueue_order_and_a_refused_one_is_kept(
    tmp_path: Path,
    tone_settings: Settings,
    redis_server: RedisServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    applied: list[str] = []

    def recording(built: BuiltEpisode, settings: Settings) -> EpisodeRecord:
        applied.append(built.article.title)
        return publish(built, settings)

    monkeypatch.setattr("narrate.publishing.writer.publish", recording)
    client, folder = redis_server.client(), tmp_path / "spool"
    client.set(KEYS.spool, str(folder))
    for key, title in (("kb", "Second"), ("ka", "First"), ("kc", "Third")):
        _built(tmp_path, tone_settings, folder, title, key)
    # A built episode whose show the publisher cannot write: refused, kept for narrate retry.
    broken = replace(tone_settings, output_dir=tmp_path / "a-file")
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    _built(tmp_path, broken, folder, "Nowhere", "kx")
    client.zadd(KEYS.ready, {"kb": 2, "ka": 1, "kc": 3, "kx": 0})
    assert publisher.drain(client, KEYS, lock_s=5) == 3
    assert applied == ["Nowhere", "First", "Second", "Third"]
    assert sorted(title for _, title, _ in _catalog(tone_settings)) == ["First", "Second", "Third"]
    assert set(client.hkeys(KEYS.rejected)) == {b"kx"}
    assert spool.is_built(folder, "kx")


def test_a_dead_holder_s_lock_expires(
    tmp_path: Path,
    tone_settings: Settings,
    redis_server: RedisServer,  # noqa: F811
) -> None:
    client, folder = redis_server.client(), tmp_path / "spool"
    client.set(KEYS.spool, str(folder))
    _built(tmp_path, tone_settings, folder, "Held up", "k1")
    client.zadd(KEYS.ready, {"k1": 0})
    assert client.lock(KEYS.lock, timeout=1).acquire()  # taken, and never released
    assert publisher.drain(client, KEYS, lock_s=5) == 0  # someone else is publishing
    assert publisher.drain(client, KEYS, lock_s=5, wait_s=10) == 1  # once it has expired
