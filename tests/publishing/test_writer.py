"""Building into a show: episodes accumulate, a rebuild keeps its guid, failures publish nothing."""

from __future__ import annotations

import io
import threading
import time
from dataclasses import replace
from pathlib import Path

import feedparser
import podcastparser
import pytest
from mutagen.mp4 import MP4

import narrate.publishing.writer as publish_module
from conftest import leftover_builds
from narrate.audio.master import measure_loudness
from narrate.errors import InputError, PublishError
from narrate.models import EpisodeRecord, Settings
from narrate.pipeline import build_episode
from narrate.publishing.catalog import Catalog, open_catalog
from narrate.publishing.pages import oembed_path
from narrate.publishing.tagging import mp3_duration_ms
from narrate.publishing.writer import publish, rebuild, remove


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


def _publish_story(
    tmp_path: Path, settings: Settings, name: str, title: str, extra: str = ""
) -> EpisodeRecord:
    story = _story(tmp_path, name, title, extra)
    return publish(build_episode(str(story), settings), settings)


def _parse(out: Path) -> dict:  # type: ignore[type-arg]
    xml = (out / "feed.xml").read_bytes()
    return podcastparser.parse("http://127.0.0.1:8000/feed.xml", io.BytesIO(xml))  # type: ignore[no-any-return]


def test_episodes_accumulate_and_a_rebuild_replaces_in_place(
    tmp_path: Path, tone_settings: Settings, build_tmp: Path
) -> None:
    out = tone_settings.output_dir
    first = _publish_story(tmp_path, tone_settings, "a.txt", "Harbour wall to be repaired")
    second = _publish_story(tmp_path, tone_settings, "b.txt", "Ferry fares to rise in spring")
    feed = _parse(out)
    assert len(feed["episodes"]) == 2
    for record in (first, second):
        mp3 = out / record.audio_path
        assert mp3.is_file()
        item = next(e for e in feed["episodes"] if e["guid"] == record.guid)
        assert item["enclosures"][0]["file_size"] == mp3.stat().st_size
        assert abs(item["total_time"] - mp3_duration_ms(mp3) / 1000) <= 1

    # The same article again, its text edited: same guid and slug, new audio, old audio gone.
    again = _publish_story(
        tmp_path, tone_settings, "a2.txt", "Harbour wall to be repaired", " It will cost more."
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
    assert leftover_builds(build_tmp) == []
    # Only the live files are left: the replaced audio, transcript and chapters are gone.
    folder = out / again.page_path.rsplit("/", 1)[0]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.rsplit("/", 1)[1]
        for p in (
            again.audio_path,
            again.transcript_path,
            again.srt_path,
            again.json_transcript_path,
            again.chapters_path,
            again.page_path,
            again.embed_path,
            oembed_path(again),
        )
    )


def test_a_feed_that_cannot_be_written_publishes_nothing(
    tmp_path: Path, tone_settings: Settings
) -> None:
    out = tone_settings.output_dir
    _publish_story(tmp_path, tone_settings, "a.txt", "Harbour wall to be repaired")
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
    assert not built.work_dir.exists()


def test_rebuild_rewrites_feed_and_pages_from_the_catalog(
    tmp_path: Path, tone_settings: Settings
) -> None:
    out = tone_settings.output_dir
    record = _publish_story(tmp_path, tone_settings, "a.txt", "Harbour wall to be repaired")
    (out / "feed.xml").unlink()
    (out / record.page_path).unlink()
    moved = replace(
        tone_settings, show=replace(tone_settings.show, base_url="https://pods.example.org/x/")
    )
    assert [e.guid for e in rebuild(moved)] == [record.guid]
    assert (out / record.page_path).is_file()
    feed = _parse(out)
    assert feed["episodes"][0]["enclosures"][0]["url"].startswith("https://pods.example.org/x/")


def _live_files(out: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and ".narrate" not in p.parts}


def test_an_interrupt_while_publishing_leaves_the_live_files_alone(
    tmp_path: Path, tone_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found in review: the transcript and chapters had fixed names and were moved over the live
    # ones before the catalog committed, so an interrupt there left the old audio with the new
    # transcript.
    out = tone_settings.output_dir
    story = _story(tmp_path, "a.txt", "Harbour wall to be repaired")
    publish(build_episode(str(story), tone_settings), tone_settings)
    before = _live_files(out)
    edited = _story(tmp_path, "a2.txt", "Harbour wall to be repaired", " Costs rose again.")
    built = build_episode(str(edited), tone_settings)

    def interrupted(self: object, record: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Catalog, "put", interrupted)
    with pytest.raises(KeyboardInterrupt):
        publish(built, tone_settings)
    after = _live_files(out)
    assert {p: after[p] for p in before} == before  # every live file as it was
    feed = _parse(out)
    assert len(feed["episodes"]) == 1


def test_same_title_on_another_day_is_another_episode(
    tmp_path: Path, tone_settings: Settings
) -> None:
    # Found in review: "Morning briefing" of two days was one episode under one guid.
    def briefing(name: str, day: str) -> Path:
        path = tmp_path / name
        path.write_text(
            f"Morning briefing\n\nBy Ada Quill {day}\n\n"
            "The council met on Tuesday to discuss the harbour and voted to repair the wall.\n\n"
            "Work will start in May and last about six weeks, officials said on Tuesday.\n",
            encoding="utf-8",
        )
        return path

    first = publish(
        build_episode(str(briefing("a.txt", "March 2, 2026")), tone_settings), tone_settings
    )
    second = publish(
        build_episode(str(briefing("b.txt", "March 3, 2026")), tone_settings), tone_settings
    )
    assert first.guid != second.guid and first.slug != second.slug
    assert len(_parse(tone_settings.output_dir)["episodes"]) == 2


def test_a_folder_with_someone_elses_files_is_refused(
    tmp_path: Path, tone_settings: Settings
) -> None:
    out = tone_settings.output_dir
    out.mkdir()
    (out / "index.html").write_text("<h1>The newsroom's own site</h1>", encoding="utf-8")
    built = build_episode(str(_story(tmp_path, "a.txt", "Harbour wall")), tone_settings)
    with pytest.raises(PublishError) as caught:
        publish(built, tone_settings)
    assert "index.html" in caught.value.message and "--output" in caught.value.hint
    assert sorted(p.name for p in out.iterdir()) == [".narrate", "index.html"]  # the cache
    assert not built.work_dir.exists()


@pytest.mark.slow
def test_two_publishers_at_once_both_end_in_the_feed(
    tmp_path: Path, tone_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found in review: a publisher that read the catalog first but wrote the site last put its
    # older feed (one episode) over the newer one (two).
    out = tone_settings.output_dir
    slow_done = threading.Event()
    real_write_site = publish_module._write_site

    def slow_write_site(*args: object) -> None:
        if threading.current_thread().name == "slow":
            time.sleep(1.0)
        real_write_site(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(publish_module, "_write_site", slow_write_site)
    a = build_episode(str(_story(tmp_path, "a.txt", "Harbour wall to be repaired")), tone_settings)
    b = build_episode(str(_story(tmp_path, "b.txt", "Ferry fares to rise")), tone_settings)
    slow = threading.Thread(
        target=lambda: (publish(a, tone_settings), slow_done.set()), name="slow"
    )
    slow.start()
    time.sleep(0.3)
    publish(b, tone_settings)
    slow.join()
    assert slow_done.is_set()
    assert len(_parse(out)["episodes"]) == 2


def test_remove_takes_the_episode_out_of_feed_pages_and_folder(
    tmp_path: Path, tone_settings: Settings
) -> None:
    out = tone_settings.output_dir
    keep = _publish_story(tmp_path, tone_settings, "a.txt", "Harbour wall to be repaired")
    gone = _publish_story(tmp_path, tone_settings, "b.txt", "Ferry fares to rise")
    assert remove(tone_settings, gone.slug) == gone
    assert [e["guid"] for e in _parse(out)["episodes"]] == [keep.guid]
    assert not (out / "episodes" / gone.slug).exists()
    assert gone.title not in (out / "index.html").read_text(encoding="utf-8")
    assert (out / keep.audio_path).is_file()
    with pytest.raises(InputError, match="no episode") as info:
        remove(tone_settings, gone.guid)
    assert keep.slug in info.value.hint  # names what there is to remove
    assert remove(tone_settings, keep.guid).slug == keep.slug  # by guid too
    assert _parse(out)["episodes"] == []


def test_an_aac_copy_is_published_beside_the_mp3(tmp_path: Path, tone_settings: Settings) -> None:
    settings = replace(tone_settings, audio=replace(tone_settings.audio, aac=True))
    out = settings.output_dir
    record = _publish_story(tmp_path, settings, "a.txt", "Harbour wall to be repaired")
    aac = out / record.aac_path
    assert aac.suffix == ".m4a" and aac.stat().st_size == record.aac_size_bytes
    mp4 = MP4(str(aac))
    assert mp4.tags is not None and mp4.tags["\xa9nam"] == ["Harbour wall to be repaired"]
    assert mp4.tags["covr"] and mp4.info.channels == 1
    assert abs(mp4.info.length * 1000 - record.duration_ms) < 100
    lufs, peak = measure_loudness(aac)
    assert lufs is not None and abs(lufs + 16) <= 1.0 and peak is not None and peak <= -1.0
    xml = (out / "feed.xml").read_bytes()
    assert b'<podcast:alternateEnclosure type="audio/mp4"' in xml
    assert record.aac_path.encode() in xml
    remove(settings, record.slug)
    assert not aac.exists()


def test_remove_also_deletes_what_failed_builds_left_in_the_folder(
    tmp_path: Path, tone_settings: Settings
) -> None:
    # Regression (review): a stray MP3 kept the removed episode's folder, and its audio, online.
    out = tone_settings.output_dir
    record = _publish_story(tmp_path, tone_settings, "a.txt", "Harbour wall to be repaired")
    folder = out / "episodes" / record.slug
    (folder / f"{record.slug}-0000000000.mp3").write_bytes(b"left by a failed build")
    (folder / ".feed.xml.abc.tmp").write_bytes(b"")
    remove(tone_settings, record.slug)
    assert not folder.exists()


def _count_writes(monkeypatch: pytest.MonkeyPatch, out: Path) -> list[str]:
    written: list[str] = []
    real = publish_module._write_beside

    def counted(path: Path, data: bytes) -> Path:
        written.append(path.relative_to(out).as_posix())
        return real(path, data)

    monkeypatch.setattr(publish_module, "_write_beside", counted)
    return written


def _pages(record: EpisodeRecord) -> set[str]:
    return {record.page_path, record.embed_path, oembed_path(record)}


def _pages_of_the_one_before(out: Path, record: EpisodeRecord) -> set[str]:
    """The pages of the episode just before ``record`` in the feed (none when it is first)."""
    with open_catalog(out) as catalog:
        guids = [e.guid for e in catalog.newest()]
        episodes = {e.guid: e for e in catalog.episodes()}
    at = guids.index(record.guid)
    return _pages(episodes[guids[at - 1]]) if at > 0 else set()


def test_a_publish_writes_only_its_episode_the_index_and_the_feed(
    tmp_path: Path, tone_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tone_settings.output_dir
    first = _publish_story(tmp_path, tone_settings, "a.txt", "Harbour wall to be repaired")
    _publish_story(tmp_path, tone_settings, "b.txt", "Ferry fares to rise in spring")
    page_before = (out / first.page_path).read_bytes()
    written = _count_writes(monkeypatch, out)
    third = _publish_story(tmp_path, tone_settings, "c.txt", "Library opens on Sundays")
    before_third = _pages_of_the_one_before(out, third)  # its embed's "next" is now the third
    assert set(written) == {"feed.xml", "index.html", *_pages(third), *before_third}
    assert len(_parse(out)["episodes"]) == 3
    assert third.title.encode() in (out / "index.html").read_bytes()
    if _pages(first).isdisjoint(before_third):
        assert (out / first.page_path).read_bytes() == page_before

    written.clear()
    before_third = _pages_of_the_one_before(out, third)
    remove(tone_settings, third.slug)
    assert set(written) == {"feed.xml", "index.html", *before_third}
    assert not (out / third.page_path).exists()
    assert len(_parse(out)["episodes"]) == 2


def test_a_change_every_page_shows_rewrites_every_page(
    tmp_path: Path, tone_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tone_settings.output_dir
    first = _publish_story(tmp_path, tone_settings, "a.txt", "Harbour wall to be repaired")
    renamed = replace(tone_settings, show=replace(tone_settings.show, title="The Harbour Hour"))
    written = _count_writes(monkeypatch, out)
    second = _publish_story(tmp_path, renamed, "b.txt", "Ferry fares to rise in spring")
    assert _pages(first) | _pages(second) <= set(written)
    assert renamed.show.image in written
    assert b"The Harbour Hour" in (out / first.page_path).read_bytes()
    # Once rewritten, the next publish is back to its own files.
    written.clear()
    third = _publish_story(tmp_path, renamed, "c.txt", "Library opens on Sundays")
    before_third = _pages_of_the_one_before(out, third)
    assert set(written) == {"feed.xml", "index.html", *_pages(third), *before_third}
    # narrate feed rewrites everything, always.
    written.clear()
    rebuild(renamed)
    assert _pages(first) | _pages(second) | _pages(third) <= set(written)


def test_the_feed_and_index_list_the_newest_max_episodes(
    tmp_path: Path, tone_settings: Settings
) -> None:
    out = tone_settings.output_dir
    settings = replace(tone_settings, show=replace(tone_settings.show, max_episodes=2))
    records = [
        _publish_story(tmp_path, settings, f"{n}.txt", f"Story number {n} of the week")
        for n in range(3)
    ]
    listed = {e["guid"] for e in _parse(out)["episodes"]}
    with open_catalog(out) as catalog:
        newest = catalog.newest(2)
        everything = catalog.episodes()
    assert listed == {e.guid for e in newest}
    assert len(everything) == 3
    left_out = next(r for r in records if r.guid not in listed)
    assert left_out.title.encode() not in (out / "index.html").read_bytes()
    assert (out / left_out.page_path).is_file()  # its page stays
