"""enqueue, backfill, status and retry against a real redis-server and real workers."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import Show, feed_episodes, redis_server, show  # noqa: F401 (fixtures)

from narrate.jobs.queue import read_list

pytestmark = [pytest.mark.slow]


def test_read_list_takes_a_file_of_sources_or_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    (folder / "2025").mkdir(parents=True)
    for name in ("b.md", "a.txt", "2025/c.html", "notes.pdf"):
        (folder / name).write_text("x", encoding="utf-8")
    assert read_list(folder) == [str(folder / n) for n in ("2025/c.html", "a.txt", "b.md")]
    listing = tmp_path / "list.txt"
    listing.write_text("# the archive\narchive/a.txt\n\nhttps://example.org/x\n", encoding="utf-8")
    assert read_list(listing) == [str(tmp_path / "archive/a.txt"), "https://example.org/x"]


def test_two_workers_publish_each_article_once_and_a_poison_one_fails_alone(
    show: Show,  # noqa: F811
) -> None:
    sources = show.articles(4)
    poison = show.root / "articles" / "poison.txt"
    poison.write_bytes(b"\x00\x01\x02 not an article")
    first = show.narrate("enqueue", *sources, sources[0], str(poison)).stdout.splitlines()
    states = [line.split("\t")[1] for line in first]
    assert states == ["enqueued"] * 4 + ["duplicate", "enqueued"]
    again = show.narrate("backfill", str(show.root / "articles")).stdout.splitlines()
    assert [line.split("\t")[1] for line in again] == ["queued"] * 5  # known, not enqueued
    assert show.status()["queued"] == 5

    workers = [show.worker("--burst") for _ in range(2)]
    for process in workers:
        assert process.wait(240) == 0, show.logs()
    assert "Traceback" not in show.logs()

    counts = show.status()
    assert (counts["published"], counts["failed"], counts["queued"], counts["built"]) == (
        4,
        1,
        0,
        0,
    )
    failed = [
        line for line in show.narrate("status").stdout.splitlines() if line.startswith("FAILED")
    ]
    assert len(failed) == 1 and str(poison) in failed[0] and "binary" in failed[0]
    episodes = feed_episodes(show.out)
    assert sorted(e["title"] for e in episodes) == [f"Harbour story {n}" for n in range(4)]
    assert len({e["guid"] for e in episodes}) == 4

    # Resumable: the archive again enqueues nothing; retry gives the poison another go.
    states = [
        line.split("\t")[1]
        for line in show.narrate("backfill", str(show.root / "articles")).stdout.splitlines()
    ]
    assert sorted(states) == ["failed"] + ["published"] * 4
    assert show.narrate("retry").stdout.splitlines() == [f"queued\t{poison}"]
    assert show.status()["queued"] == 1
