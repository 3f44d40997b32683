"""The SQLite catalog: guids that never change, safe slugs, one writer."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from narrate.errors import InputError, PublishError
from narrate.models import Chapter, Cue, EpisodeRecord
from narrate.publishing.catalog import (
    SCHEMA_VERSION,
    Catalog,
    article_key,
    catalog_path,
    new_guid,
    open_catalog,
    slugify,
)
from narrate.publishing.feed import newest_first


def _record(key: str, slug: str, day: int) -> EpisodeRecord:
    return EpisodeRecord(
        guid=new_guid(key),
        key=key,
        slug=slug,
        title=f"Title {day}",
        description="d",
        author=None,
        published=datetime(2026, 1, day, 12, tzinfo=UTC),
        source_url=None,
        audio_path=f"episodes/{slug}/{slug}.mp3",
        size_bytes=10,
        duration_ms=1000,
        transcript_path="t.vtt",
        chapters_path="c.json",
        page_path="p.html",
        embed_path="e.html",
        text_sha256="0" * 64,
        narrate_version="1",
        cues=(Cue(0, 500, "Hi."),),
        chapters=(Chapter(0, 1000, "Article"),),
    )


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("North Korean troops join, Zelensky says", "north-korean-troops-join-zelensky-says"),
        ("../../etc/passwd", "etc-passwd"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("Café Ümlaut — naïve", "cafe-umlaut-naive"),
        ("???", "episode"),
        # any script is transliterated, not dropped (which left "episode", "episode-2", ...)
        ("Київ відновлює нічний пором", "kiiv-vidnovlyuie-nichniy-porom"),
        ("Straße über Ærø", "strasse-uber-aero"),
        ("Ελληνικά νέα", "ellinika-nea"),
        ("北京新闻", "bei-jing-xin-wen"),  # a syllable a character, not "beijingxinwen"
        ("서울 뉴스", "seoul-nyuseu"),
        ("ラーメン 東京", "ramen-dong-jing"),
        ("Europe\u2019s ferries, Rock\u2018n\u2019roll", "europes-ferries-rocknroll"),
        ("North\u2013South link\u2122", "north-south-link"),
        ("Floods \U0001f30a in Kerala", "floods-in-kerala"),  # emoji left out, not ":ocean:"
    ],
)
def test_slugs_are_safe_folder_names(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_keys_prefer_the_url_and_ignore_case_and_spacing() -> None:
    assert article_key("A", "https://x.org/a/") == article_key("B", "https://X.org/a")
    assert article_key("Some  Title", None) == article_key("some title", None)
    assert new_guid(article_key("A", None)) == new_guid(article_key("a", None))


def test_records_round_trip_newest_first(tmp_path: Path) -> None:
    with open_catalog(tmp_path, write=True) as catalog:
        catalog.put(_record("k1", "one", 1))
        catalog.put(_record("k2", "two", 5))
    with open_catalog(tmp_path) as catalog:
        episodes = catalog.episodes()
        assert [e.key for e in episodes] == ["k2", "k1"]
        assert catalog.get("k1") == _record("k1", "one", 1)
        assert catalog.free_slug("one", "k1") == "one"
        assert catalog.free_slug("one", "k3") == "one-2"


def test_a_failed_write_leaves_the_catalog_as_it_was(tmp_path: Path) -> None:
    with open_catalog(tmp_path, write=True) as catalog:
        catalog.put(_record("k1", "one", 1))
    with pytest.raises(RuntimeError), open_catalog(tmp_path, write=True) as catalog:
        catalog.put(_record("k2", "two", 2))
        raise RuntimeError("interrupted")
    with open_catalog(tmp_path) as catalog:
        assert [e.key for e in catalog.episodes()] == ["k1"]


def test_missing_and_foreign_catalogs_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing, open_catalog(tmp_path / "none"):
        pass  # a folder with no show is bad input (exit 3), not a failure to write (7)
    assert "narrate build" in missing.value.hint
    path = catalog_path(tmp_path)
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(PublishError) as caught, open_catalog(tmp_path):
        pass
    assert "newer narrate" in caught.value.message


def test_a_catalog_from_schema_1_is_upgraded_when_next_written(tmp_path: Path) -> None:
    path = catalog_path(tmp_path)
    path.parent.mkdir()
    old = sqlite3.connect(path)
    columns = _V1_COLUMNS.split()
    old.execute(f"CREATE TABLE episodes ({', '.join(columns)}, PRIMARY KEY (guid))")
    old.execute("PRAGMA user_version = 1")
    record = _record("url:x.org/a", "a", 1)
    values = {name: getattr(record, name, "") for name in columns}
    values.update(published=record.published.isoformat(), cues="[]", chapters="[]")
    old.execute(
        f"INSERT INTO episodes VALUES ({', '.join('?' * len(columns))})",
        [values[name] for name in columns],
    )
    old.commit()
    old.close()
    with open_catalog(tmp_path) as catalog:  # reading leaves it as it is
        assert catalog.episodes()[0].srt_path == ""
        assert catalog.episodes()[0].language == ""  # recorded before: the show's
    with open_catalog(tmp_path, write=True) as catalog:
        assert catalog.episodes()[0].language == ""  # migration 3's default
        catalog.put(replace(record, srt_path="t.srt", json_transcript_path="t.json", language="de"))
    with open_catalog(tmp_path) as catalog:
        assert [(e.srt_path, e.language) for e in catalog.episodes()] == [("t.srt", "de")]
        assert catalog.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6


def _plan(catalog: Catalog, query: str) -> str:
    return " ".join(str(row[-1]) for row in catalog.db.execute(f"EXPLAIN QUERY PLAN {query}"))


def test_a_new_number_and_the_feed_read_indexes_not_every_row(tmp_path: Path) -> None:
    fresh, upgraded = tmp_path / "fresh", tmp_path / "upgraded"
    for folder in (fresh, upgraded):
        with open_catalog(folder, write=True) as catalog:
            catalog.put(_record("url:x.org/a", "a", 1))
    with sqlite3.connect(catalog_path(upgraded)) as db:  # what narrate left at schema 5
        db.execute("DROP INDEX episodes_number")
        db.execute("PRAGMA user_version = 5")
    for folder in (fresh, upgraded):
        with open_catalog(folder, write=True) as catalog:
            assert "episodes_number" in _plan(catalog, "SELECT MAX(episode_number) FROM episodes")
            newest = "SELECT * FROM episodes ORDER BY julianday(published) DESC, guid DESC"
            assert "episodes_newest" in _plan(catalog, newest)


def test_schema_4_numbers_the_episodes_already_there_in_the_order_they_were_published(
    tmp_path: Path,
) -> None:
    with open_catalog(tmp_path, write=True) as catalog:  # days 3, 1, 2: recorded out of order
        for day in (3, 1, 2):
            catalog.put(_record(f"url:x.org/{day}", f"s{day}", day))
    path = catalog_path(tmp_path)
    with sqlite3.connect(path) as db:  # back to schema 3: what narrate 3 left
        db.execute("DROP INDEX episodes_number")
        for column in ("episode_number", "season", "episode_type", "publish_at", "art_path"):
            db.execute(f"ALTER TABLE episodes DROP COLUMN {column}")
        db.execute("DROP TABLE show_settings")
        db.execute("PRAGMA user_version = 3")
    with open_catalog(tmp_path) as catalog:  # reading an old catalog works and changes nothing
        assert catalog.setting("base_url") is None
        assert {e.episode_number for e in catalog.episodes()} == {0}
    with open_catalog(tmp_path, write=True) as catalog:
        numbers = {e.slug: e.episode_number for e in catalog.episodes()}
        assert numbers == {"s1": 1, "s2": 2, "s3": 3}
        assert catalog.next_episode_number() == 4
        catalog.remember("base_url", "https://pods.example.org/")
    with open_catalog(tmp_path) as catalog:
        assert catalog.setting("base_url") == "https://pods.example.org/"
        assert catalog.episodes()[0].episode_type == "full"
        assert _uses_the_newest_index(catalog.db)  # migration 5


def _uses_the_newest_index(db: sqlite3.Connection) -> bool:
    order = "ORDER BY julianday(published) DESC, guid DESC"
    query = f"EXPLAIN QUERY PLAN SELECT * FROM episodes {order} LIMIT 2"
    return any("episodes_newest" in str(tuple(row)) for row in db.execute(query))


def test_newest_reads_the_feeds_first_episodes_by_the_index(tmp_path: Path) -> None:
    days = [3, 1, 4, 1, 5, 9, 2, 6]
    with open_catalog(tmp_path, write=True) as catalog:
        for n, day in enumerate(days):
            catalog.put(_record(f"url:x.org/{n}", f"s{n}", day))
    with open_catalog(tmp_path) as catalog:
        assert _uses_the_newest_index(catalog.db)  # a new catalog has it too
        everything = newest_first(catalog.episodes())
        assert catalog.newest(3) == everything[:3]
        assert catalog.newest() == everything
        light = catalog.newest(3, with_cues=False)
    assert [e.guid for e in light] == [e.guid for e in everything[:3]]
    assert all(e.cues == () and e.chapters == () for e in light)


_V1_COLUMNS = """guid key slug title description author published source_url audio_path size_bytes
duration_ms transcript_path chapters_path page_path embed_path text_sha256 narrate_version cues
chapters updated_at"""
