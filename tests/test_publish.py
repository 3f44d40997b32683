"""Building into a show: episodes accumulate, a rebuild keeps its guid, failures publish nothing."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import feedparser
import podcastparser
import pytest

from narrate.catalog import open_catalog
from narrate.config import Settings
from narrate.errors import PublishError
from narrate.pipeline import build_episode
from narrate.publish import publish, rebuild
from narrate.tagging import mp3_duration_ms


def _story(tmp_path: Path, name: str, title: str, extra: str = "") -> Path:
    path = tmp_path / name
    path.write_text(
        f"{title}\n\nBy Ada Quill\n\n"
        "The council met on Tuesday to discuss the harbour. Members voted to repair the old "
        f"sea wall before winter.{extra}\n\n"
        "Work will start in May and last about six weeks, officials said on Tuesday evening.\n",
        encoding="utf-8",
    )
    return path


def _parse(out: Path) -> dict:  # type: ignore[type-arg]
    xml = (out / "feed.xml").read_bytes()
    return podcastparser.parse("http://127.0.0.1:8000/feed.xml", io.BytesIO(xml))  # type: ignore[no-any-return]


def test_episodes_accumulate_and_a_rebuild_replaces_in_place(
    tmp_path: Path, tone_settings: Settings
) -> None:
    out = tone_settings.output_dir
    first = publish(
        build_episode(str(_story(tmp_path, "a.txt", "Harbour wall to be repaired")), tone_settings),
        tone_settings,
    )
    second = publish(
        build_episode(
            str(_story(tmp_path, "b.txt", "Ferry fares to rise in spring")), tone_settings
        ),
        tone_settings,
    )
    feed = _parse(out)
    assert len(feed["episodes"]) == 2
    for record in (first, second):
        mp3 = out / record.audio_path
        assert mp3.is_file()
        item = next(e for e in feed["episodes"] if e["guid"] == record.guid)
        assert item["enclosures"][0]["file_size"] == mp3.stat().st_size
        assert abs(item["total_time"] - mp3_duration_ms(mp3) / 1000) <= 1

    # The same article again, its text edited: same guid and slug, new audio, old audio gone.
    again = publish(
        build_episode(
            str(_story(tmp_path, "a2.txt", "Harbour wall to be repaired", " It will cost more.")),
            tone_settings,
        ),
        tone_settings,
    )
    assert (again.guid, again.slug) == (first.guid, first.slug)
    assert again.audio_path != first.audio_path
    assert not (out / first.audio_path).exists()
    assert (out / again.audio_path).is_file()
    feed = _parse(out)
    assert sorted(e["guid"] for e in feed["episodes"]) == sorted([first.guid, second.guid])
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo
    assert len(parsed.entries) == 2
    assert not list((out / ".narrate" / "staging").iterdir())


def test_a_feed_that_cannot_be_written_publishes_nothing(
    tmp_path: Path, tone_settings: Settings
) -> None:
    out = tone_settings.output_dir
    publish(
        build_episode(str(_story(tmp_path, "a.txt", "Harbour wall to be repaired")), tone_settings),
        tone_settings,
    )
    feed_before = (out / "feed.xml").read_bytes()
    files_before = sorted(p.relative_to(out) for p in out.rglob("*") if ".narrate" not in p.parts)
    broken = replace(tone_settings, show=replace(tone_settings.show, title=""))
    built = build_episode(str(_story(tmp_path, "b.txt", "Ferry fares to rise in spring")), broken)
    with pytest.raises(PublishError):
        publish(built, broken)
    assert (out / "feed.xml").read_bytes() == feed_before
    files_after = sorted(p.relative_to(out) for p in out.rglob("*") if ".narrate" not in p.parts)
    assert files_after == files_before
    with open_catalog(out) as catalog:
        assert len(catalog.episodes()) == 1
    assert not built.staging_dir.exists()


def test_rebuild_rewrites_feed_and_pages_from_the_catalog(
    tmp_path: Path, tone_settings: Settings
) -> None:
    out = tone_settings.output_dir
    record = publish(
        build_episode(str(_story(tmp_path, "a.txt", "Harbour wall to be repaired")), tone_settings),
        tone_settings,
    )
    (out / "feed.xml").unlink()
    (out / record.page_path).unlink()
    moved = replace(
        tone_settings, show=replace(tone_settings.show, base_url="https://pods.example.org/x/")
    )
    assert [e.guid for e in rebuild(moved)] == [record.guid]
    assert (out / record.page_path).is_file()
    feed = _parse(out)
    assert feed["episodes"][0]["enclosures"][0]["url"].startswith("https://pods.example.org/x/")
