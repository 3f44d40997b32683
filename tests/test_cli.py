"""The command line, through typer's CliRunner: real builds, and bad input handled cleanly."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import feedparser
import podcastparser
import pytest
from mutagen.id3 import ID3
from typer.testing import CliRunner

from conftest import (
    EXAMPLE,
    KYIV_PAGE_FURNITURE,
    REPO,
    SAMPLE_ARTICLE,
    leftover_builds,
    modules_loaded_by,
    sample_script,
)
from narrate.audio.master import measure_loudness
from narrate.cli import app, extracted_record, extracted_text, format_script, script_records
from narrate.errors import ExitStatus
from narrate.intake.source import load_article
from narrate.models import Article, Paragraph, Person, Script
from narrate.publishing.tagging import TEXT_HASH_KEY, mp3_duration_ms
from webvtt import parse_webvtt

runner = CliRunner()


def _one_line_error(result: object, status: ExitStatus) -> str:
    assert result.exit_code == status, (result.exit_code, result.stdout, result.stderr)  # type: ignore[attr-defined]
    err = result.stderr.strip()  # type: ignore[attr-defined]
    assert err.startswith("error: ") and "\n" not in err, err
    assert "hint:" in err
    assert "Traceback" not in err + result.stdout  # type: ignore[attr-defined]
    return err


def test_kyiv_script_speaks_the_article_and_none_of_the_page(kyiv: Path) -> None:
    result = runner.invoke(app, ["script", str(kyiv)])
    assert result.exit_code == 0, result.stderr
    assert [s for s in KYIV_PAGE_FURNITURE if s in result.stdout] == []
    assert "North Korean troops joining Russian assaults in Kursk" in result.stdout
    assert "By Abbey Fenbert." in result.stdout
    assert "December fourteenth, twenty twenty-four" in result.stdout
    assert "taken back forty percent of the territory" in result.stdout
    assert "⟨pause" in result.stdout


@pytest.mark.slow
@pytest.mark.engine
def test_real_build_of_the_bundled_example_makes_a_feed_podcast_apps_read(
    tmp_path: Path,
) -> None:
    out = tmp_path / "output"
    result = runner.invoke(app, ["build", str(EXAMPLE), "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    title, clock, path = result.stdout.strip().split("\t")
    assert title.startswith("Riverton's night ferry returns")
    mp3 = Path(path)
    assert mp3.is_file() and mp3.parent.parent == out / "episodes"

    xml = (out / "feed.xml").read_bytes()
    feed = podcastparser.parse("http://127.0.0.1:8000/feed.xml", io.BytesIO(xml))
    assert len(feed["episodes"]) == 1
    episode = feed["episodes"][0]
    duration_s = mp3_duration_ms(mp3) / 1000
    assert episode["enclosures"][0]["file_size"] == mp3.stat().st_size
    assert abs(episode["total_time"] - duration_s) <= 1
    assert 60 < duration_s < 300
    parsed = feedparser.parse(xml)
    assert not parsed.bozo and len(parsed.entries) == 1
    assert int(parsed.entries[0].enclosures[0].length) == mp3.stat().st_size

    lufs, peak = measure_loudness(mp3)
    assert lufs is not None and abs(lufs + 16) <= 1.0, lufs
    assert peak is not None and peak <= -1.0, peak
    tags = ID3(str(mp3))
    assert tags.version[:2] == (2, 3)
    assert len({f.desc for f in tags.getall("TXXX")} & {TEXT_HASH_KEY}) == 1

    folder = mp3.parent
    (transcript,) = folder.glob("transcript-*.vtt")
    cues = parse_webvtt(transcript.read_text(encoding="utf-8"))
    assert cues[0].start_ms >= 0 and cues[-1].end_ms <= duration_s * 1000 + 50
    assert any("electric boats" in c.text for c in cues)
    assert all(a.end_ms <= b.start_ms for a, b in zip(cues, cues[1:], strict=False))
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert mp3.name in page and "<iframe" in page.replace("&lt;iframe", "<iframe")

    # Built again from nothing (no cache), the episode is the same file, byte for byte: each
    # segment is said by a fresh engine, so neither worker count nor order changes a sample.
    again = runner.invoke(app, ["build", str(EXAMPLE), "--output", str(tmp_path / "again")])
    assert again.exit_code == 0, again.stderr
    assert re.search(r"(\d+) of \1 segments spoken, 0 from the cache", again.stderr), again.stderr
    assert Path(again.stdout.strip().split("\t")[2]).read_bytes() == mp3.read_bytes()


def test_a_quick_tone_build_from_stdin(tmp_path: Path, article_file: Path) -> None:
    out = tmp_path / "output"
    result = runner.invoke(
        app,
        [
            "build",
            "-",
            "--output",
            str(out),
            "--voice",
            "test-tone",
            "--source-url",
            "https://news.example.org/harbour-lights",
        ],
        input=article_file.read_bytes(),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Harbour lights switched on for winter\t")
    feed = podcastparser.parse("x", io.BytesIO((out / "feed.xml").read_bytes()))
    assert feed["episodes"][0]["link"].startswith("http://127.0.0.1:8000/episodes/")


def test_markup_and_dot_dot_in_a_title_stay_text(tmp_path: Path) -> None:
    source = tmp_path / "evil.txt"
    source.write_text(
        "<script>alert('x')</script> ../../etc/passwd & friends\n\n"
        "The council met on Tuesday to discuss the harbour, and voted to repair the sea wall.\n\n"
        "Work will start in May and last about six weeks, officials said on Tuesday evening.\n",
        encoding="utf-8",
    )
    out = tmp_path / "output"
    result = runner.invoke(app, ["build", str(source), "-o", str(out), "--voice", "test-tone"])
    assert result.exit_code == 0, result.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(out in p.parents or p == source for p in written)
    assert not any("<" in p.name or ".." in p.name for p in written)
    xml = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in xml
    for page in out.rglob("*.html"):
        assert "<script>alert" not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t\n", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("latin1.txt", "Caf\u00e9 news\n\nA story about a caf\u00e9.\n".encode("latin-1"), "UTF-8"),
        ("menu.txt", b"Home\nNews\nSport\nSubscribe\nSign in\n", "no article"),
        ("picture.png", b"\x89PNG\r\n\x1a\n", "unsupported"),
    ],
)
def test_bad_input_is_one_line_a_hint_and_nothing_written(
    tmp_path: Path, name: str, content: bytes, fragment: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "output"
    result = runner.invoke(app, ["build", str(source), "-o", str(out)])
    err = _one_line_error(result, ExitStatus.BAD_INPUT)
    assert fragment.lower() in err.lower()
    assert not out.exists()


def test_a_missing_file_and_a_huge_file_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "output"
    result = runner.invoke(app, ["build", str(tmp_path / "nope.txt"), "-o", str(out)])
    _one_line_error(result, ExitStatus.BAD_INPUT)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: no disk used
        handle.seek(0)
        handle.write(b"Title\n\n")
    result = runner.invoke(app, ["build", str(huge), "-o", str(out)])
    assert "bigger than" in _one_line_error(result, ExitStatus.BAD_INPUT)
    assert not out.exists()


def test_one_bad_source_does_not_stop_the_others(tmp_path: Path, article_file: Path) -> None:
    out = tmp_path / "output"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(
        app, ["build", str(empty), str(article_file), "-o", str(out), "--voice", "test-tone"]
    )
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert result.stdout.count("\n") == 1 and "Harbour lights" in result.stdout
    assert (out / "feed.xml").is_file()


def test_bad_config_and_voice_are_config_errors(tmp_path: Path, article_file: Path) -> None:
    result = runner.invoke(app, ["build", str(article_file), "--voice", "nobody"])
    _one_line_error(result, ExitStatus.CONFIG)
    bad = tmp_path / "bad.toml"
    bad.write_text("[show]\nbase_url = 'not a url'\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(article_file), "--config", str(bad)])
    _one_line_error(result, ExitStatus.CONFIG)


def test_feed_rebuilds_from_the_catalog_and_needs_one(tmp_path: Path, article_file: Path) -> None:
    out = tmp_path / "output"
    result = runner.invoke(app, ["feed", "-o", str(out)])
    _one_line_error(result, ExitStatus.BAD_INPUT)
    runner.invoke(app, ["build", str(article_file), "-o", str(out), "--voice", "test-tone"])
    os.remove(out / "feed.xml")
    result = runner.invoke(app, ["feed", "-o", str(out), "--base-url", "https://x.example/p"])
    assert result.exit_code == 0, result.stderr
    assert "1 episode" in result.stdout
    assert "https://x.example/p/episodes/" in (out / "feed.xml").read_text(encoding="utf-8")


def test_remove_then_check_the_folder(tmp_path: Path, article_file: Path) -> None:
    out = tmp_path / "output"
    runner.invoke(app, ["build", str(article_file), "-o", str(out), "--voice", "test-tone"])
    result = runner.invoke(app, ["check", str(out)])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("ok\t") and "FAIL" not in result.stdout
    result = runner.invoke(app, ["remove", "no-such-episode", "-o", str(out)])
    _one_line_error(result, ExitStatus.BAD_INPUT)
    result = runner.invoke(app, ["remove", "harbour-lights-switched-on-for-winter", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("removed\tHarbour lights switched on for winter\t")
    assert not (out / "episodes" / "harbour-lights-switched-on-for-winter").exists()
    result = runner.invoke(app, ["check", str(out)])  # an empty feed is a finding
    assert result.exit_code == ExitStatus.CHECK_FAILED
    assert "FAIL\t" in result.stdout and "0 episode(s)" in result.stdout


@pytest.mark.slow
@pytest.mark.engine
def test_voices_lists_the_offline_voices() -> None:
    result = runner.invoke(app, ["voices"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "id\tname\tlanguage\tgender"
    assert any(line.split("\t")[0].endswith("en-us") for line in lines[1:])


@pytest.mark.parametrize(
    "command",
    ["build", "script", "normalize", "extract", "voices", "feed", "remove", "serve", "check"],
)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_serve_refuses_a_missing_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "-o", str(tmp_path / "none")])
    _one_line_error(result, ExitStatus.BAD_INPUT)


def test_an_interrupted_build_publishes_nothing_and_keeps_the_show(
    tmp_path: Path, article_file: Path, monkeypatch: pytest.MonkeyPatch, build_tmp: Path
) -> None:
    from narrate.engines.tone import ToneEngine

    out = tmp_path / "output"
    first = runner.invoke(app, ["build", str(article_file), "-o", str(out), "--voice", "test-tone"])
    assert first.exit_code == 0, first.stderr
    before = {
        p: p.read_bytes() for p in out.rglob("*") if p.is_file() and ".narrate" not in p.parts
    }

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ToneEngine, "render", interrupted)
    other = tmp_path / "other.txt"
    other.write_text(article_file.read_text(encoding="utf-8").replace("Harbour", "Market"))
    result = runner.invoke(app, ["build", str(other), "-o", str(out), "--voice", "test-tone"])
    _one_line_error(result, ExitStatus.INTERRUPTED)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and ".narrate" not in p.parts}
    assert after == before
    assert leftover_builds(build_tmp) == []


def test_a_silent_voice_fails_instead_of_publishing_noise(
    tmp_path: Path, article_file: Path
) -> None:
    # Found in review: -70 LUFS of silence was raised by 54 dB to near full-scale noise.
    silent = tmp_path / "silent.toml"
    silent.write_text('engine = "tone"\nvolume = 0.0\nrate_wpm = 300\n', encoding="utf-8")
    out = tmp_path / "output"
    result = runner.invoke(
        app, ["build", str(article_file), "-o", str(out), "--voice", str(silent)]
    )
    assert "silent" in _one_line_error(result, ExitStatus.AUDIO)
    # Nothing published and no staging left; only the segment cache, for the next attempt.
    assert sorted(p.name for p in out.iterdir()) == [".narrate"]
    assert sorted(p.name for p in (out / ".narrate").iterdir()) == ["cache"]


def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = runner.invoke(app, ["serve", "-o", str(tmp_path / "out"), "--port", "99999"])
    assert result.exit_code == ExitStatus.USAGE
    assert "Traceback" not in result.stdout + result.stderr


RECORD_KEYS = [
    "source",
    "title",
    "byline",
    "authors",
    "deck",
    "date",
    "published_at",
    "language",
    "body",
]


def test_extract_prints_what_extraction_kept(kyiv: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(kyiv)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[:4] == [
        "North Korean troops joining Russian assaults in Kursk, Zelensky says",
        "By Abbey Fenbert",
        "2024-12-14T19:15:00",  # the page's "December 14, 2024 7:15 PM", no zone given
        "",
    ]
    assert "40% of the territory" in result.stdout  # as written, before normalization
    assert [s for s in KYIV_PAGE_FURNITURE if s in result.stdout] == []
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["extract", "--json", str(kyiv), str(missing), str(EXAMPLE)])
    assert result.exit_code == ExitStatus.BAD_INPUT  # the one bad source; the others printed
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == [str(kyiv), str(EXAMPLE)]
    assert list(records[0]) == RECORD_KEYS
    assert records[0]["authors"] == [{"name": "Abbey Fenbert", "role": None, "outlet": None}]
    assert records[0]["date"] == "2024-12-14" and records[0]["language"] == "en"
    assert "\n\n" in records[0]["body"]
    assert "does not exist" in result.stderr


def test_normalize_prints_one_spoken_line_per_written_line() -> None:
    result = runner.invoke(app, ["normalize", "-"], input="Dec. 14, 2024\n\nin Qatar at 7:15 PM\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "December fourteenth, twenty twenty-four",
        "",
        "in kuh-tar at seven fifteen p m",  # the starter lexicon
    ]
    result = runner.invoke(app, ["normalize", "$5 million"])
    assert result.stdout == "five million dollars\n"


def test_normalize_explain_names_the_rule_or_entry_behind_each_word() -> None:
    result = runner.invoke(app, ["normalize", "--explain", "Qatar at 10 a.m."])
    assert result.exit_code == 0, result.stderr
    spoken, *explained = result.stdout.splitlines()
    assert spoken == "kuh-tar at ten eh m."  # what the line alone prints, then the reasons
    assert spoken + "\n" == runner.invoke(app, ["normalize", "Qatar at 10 a.m."]).stdout
    assert explained == [
        '  kuh-tar\t<- Qatar\tlexicon: "Qatar" from narrate\'s starter lexicon (lexicon-en.toml)',
        "  at\t(as written)",
        "  ten\t<- 10 a.m\ttimes_en.times",
        "  eh m\t<- 10 a.m\ttimes_en.times, spoken forms for pyttsx3",
    ]


def test_normalize_in_another_language_uses_its_voice_and_rules(tmp_path: Path) -> None:
    result = runner.invoke(app, ["normalize", "--language", "de", "am 1. September"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "am ersten September\n"


def test_help_does_not_import_the_heavy_stages() -> None:
    loaded = modules_loaded_by(
        "from typer.testing import CliRunner; from narrate.cli import app; "
        "assert CliRunner().invoke(app, ['--help']).exit_code == 0"
    )
    heavy = {"pydub", "mutagen", "pyttsx3", "PIL", "trafilatura", "lxml", "pysbd", "num2words"}
    assert not loaded & (heavy | {"jinja2", "langcodes"})


def test_script_json_prints_one_record_per_segment() -> None:
    result = runner.invoke(app, ["script", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["index"] for r in records] == list(range(len(records)))
    assert {"index", "kind", "text", "pause_after_ms", "section"} <= set(records[0])
    assert records[0]["kind"] == "intro" and records[1]["kind"] == "title"
    assert records[-1]["kind"] == "outro" and records[-1]["pause_after_ms"] == 0
    plain = runner.invoke(app, ["script", str(EXAMPLE)]).stdout
    assert [f"⟨pause {r['pause_after_ms']} ms⟩" in plain for r in records] == [True] * len(records)


# What the presenters print: `narrate script` and `narrate extract`


def test_format_script() -> None:
    assert format_script(sample_script()) == (
        "[intro] Newsroom Audio.  ⟨pause 400 ms⟩\n"
        "[intro] North Korean troops join assaults, Zelensky says.  ⟨pause 1400 ms⟩\n"
        "\n"
        "[body] Zelensky said on December fourteenth that troops had begun fighting."
        "  ⟨pause 400 ms⟩\n"
        "[body] Over ten thousand came.  ⟨pause 1300 ms⟩\n"
        "\n"
        "[body] What happens next  ⟨pause 1000 ms⟩\n"
        "\n"
        "[body] Russia took back forty percent of the territory.  ⟨pause 1400 ms⟩\n"
        "\n"
        "[outro] Thanks for listening.  ⟨pause 0 ms⟩\n"
    )


def test_format_empty_script() -> None:
    assert format_script(Script(article=SAMPLE_ARTICLE, segments=())) == ""


def test_script_records_for_json() -> None:
    records = script_records(sample_script())
    assert [r["index"] for r in records] == list(range(len(records)))
    assert set(records[0]) == {"index", "kind", "text", "spoken", "pause_after_ms", "section"}
    heading = next(r for r in records if r["kind"] == "heading")
    assert heading["text"] == heading["section"] == "What happens next"
    assert records[-2]["section"] == "What happens next" and records[-1]["kind"] == "outro"


def test_extracted_text_and_record() -> None:
    article = load_article(str(REPO / "tests" / "fixtures" / "marsh-page-dump.txt"))
    text = extracted_text(article)
    assert text.startswith(
        "Bitterns boom again on Holme Marsh\nBy Priya Lund\n2025-05-09T07:02:00\n\n"
    )
    assert text.endswith("until the chicks have fledged in July.")
    record = extracted_record("marsh.txt", article)
    assert list(record) == RECORD_KEYS
    assert record["byline"] == "Priya Lund" and record["deck"] is None
    assert record["date"] == "2025-05-09" and record["language"] == "en"
    assert json.loads(json.dumps(record)) == record
    assert record["body"] == article.body_text


def test_extract_shows_the_people_the_deck_and_the_time() -> None:
    article = Article(
        title="Apple delays its new laptop",
        paragraphs=(Paragraph("Apple said on Monday that the laptop would come in spring."),),
        authors=(Person("Jill Disis", outlet="CNN Business"), Person("Bo Chen", role="Editor")),
        deck="Supply problems keep it out of shops",
        published=date(2026, 3, 3),
        published_at=datetime(2026, 3, 3, 7, 15, tzinfo=timezone(timedelta(hours=-5))),
    )
    record = extracted_record("laptop.html", article)
    assert record["byline"] == "Jill Disis and Bo Chen"
    assert record["authors"] == [
        {"name": "Jill Disis", "role": None, "outlet": "CNN Business"},
        {"name": "Bo Chen", "role": "Editor", "outlet": None},
    ]
    assert record["deck"] == "Supply problems keep it out of shops"
    assert record["published_at"] == "2026-03-03T07:15:00-05:00"
    assert extracted_text(article).split("\n")[:4] == [
        "Apple delays its new laptop",
        "Supply problems keep it out of shops",
        "By Jill Disis and Bo Chen",
        "2026-03-03T07:15:00-05:00",
    ]


def test_script_takes_the_source_url_as_build_does(article_file: Path) -> None:
    # Regression (issue 17): a page dump's outro could not be proofread before building.
    url = "https://www.harbour-news.example/lights"
    result = runner.invoke(app, ["script", str(article_file), "--source-url", url])
    assert result.exit_code == 0, result.stderr
    assert "[outro] This article came from harbour-news.example." in result.stdout
    plain = runner.invoke(app, ["script", str(article_file)])
    assert "came from" not in plain.stdout  # no URL, no publisher: no such line


def test_real_times_schedules_and_episode_numbers_reach_the_feed(tmp_path: Path) -> None:
    """The bug: every pubDate was 12:00 UTC and an episode could not be scheduled."""
    out = tmp_path / "output"
    body = "The council met to discuss the harbour wall. Members voted to repair it soon.\n"
    timed = tmp_path / "timed.md"
    timed.write_text(
        "---\ntitle: Harbour wall to be repaired\ndate: 2026-03-03T19:15:00+02:00\n"
        "season: 2\n---\n\n" + body,
        encoding="utf-8",
    )
    later = tmp_path / "later.md"
    later.write_text("---\ntitle: Ferry fares rise\ndate: 2026-03-04\n---\n\n" + body)
    tone = ["-o", str(out), "--voice", "test-tone"]
    assert runner.invoke(app, ["build", str(timed), *tone]).exit_code == 0
    held = ["--publish-at", "2999-01-01T06:00+01:00", "--episode-type", "bonus"]
    result = runner.invoke(app, ["build", str(later), *tone, *held])
    assert result.exit_code == 0, result.stderr

    def items() -> list[dict[str, str]]:
        return feedparser.parse((out / "feed.xml").read_bytes()).entries  # type: ignore[no-any-return]

    (shown,) = items()  # the scheduled one is held back, from the feed and the index
    assert shown.published == "Tue, 03 Mar 2026 19:15:00 +0200"  # the article's time and zone
    assert (shown.itunes_episode, shown.itunes_season) == ("1", "2")
    assert "Ferry fares rise" not in (out / "index.html").read_text(encoding="utf-8")
    assert runner.invoke(app, ["build", str(later), *tone]).exit_code == 0  # a fix: still held
    assert [e.title for e in items()] == [shown.title]
    with sqlite3.connect(out / ".narrate" / "catalog.sqlite3") as db:  # as if its time came
        due = "'2026-03-05T06:00:00+01:00'"
        db.execute(f"UPDATE episodes SET publish_at = {due}, published = {due} WHERE publish_at")
    assert runner.invoke(app, ["feed", "-o", str(out)]).exit_code == 0
    newest, oldest = items()
    assert newest.title == "Ferry fares rise"
    assert newest.published == "Thu, 05 Mar 2026 06:00:00 +0100"  # from the time it was due
    assert (newest.itunes_episode, newest.itunes_episodetype) == ("2", "bonus")
    assert oldest.title == shown.title
    assert "Ferry fares rise" in (out / "index.html").read_text(encoding="utf-8")
    assert runner.invoke(app, ["build", str(later), *tone]).exit_code == 0  # not redated
    assert items()[0].published == "Thu, 05 Mar 2026 06:00:00 +0100"
    assert runner.invoke(app, ["build", str(timed), *tone, "--publish-at", "now"]).exit_code == 0
    assert items()[0].title == shown.title  # released now: the newest
    bad = runner.invoke(app, ["build", str(later), *tone, "--publish-at", "next tuesday"])
    _one_line_error(bad, ExitStatus.USAGE)


def test_a_base_url_given_once_sticks_and_one_narrate_toml_contradicts_is_refused(
    tmp_path: Path, article_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bug: `narrate feed --base-url URL`, then `narrate build` went back to the preview."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "output"
    tone = ["-o", str(out), "--voice", "test-tone"]
    assert runner.invoke(app, ["build", str(article_file), *tone]).exit_code == 0
    result = runner.invoke(
        app, ["feed", "-o", str(out), "--base-url", "https://pods.example.org/a"]
    )
    assert result.exit_code == 0, result.stderr
    other = tmp_path / "other.txt"
    other.write_text(article_file.read_text().replace("Harbour lights", "Ferry lights"))
    result = runner.invoke(app, ["build", str(other), *tone])
    assert result.exit_code == 0, result.stderr
    assert "note: the feed's URLs start with" not in result.stderr
    links = [e.link for e in feedparser.parse((out / "feed.xml").read_bytes()).entries]
    assert len(links) == 2 and all(x.startswith("https://pods.example.org/a/") for x in links)
    (tmp_path / "narrate.toml").write_text('[show]\nbase_url = "https://cdn.example.org/"\n')
    assert runner.invoke(app, ["feed", "-o", str(out)]).exit_code == 0  # the show's file wins
    assert "https://cdn.example.org/episodes/" in (out / "feed.xml").read_text()
    result = runner.invoke(app, ["feed", "-o", str(out), "--base-url", "https://else.example/"])
    assert "narrate.toml" in _one_line_error(result, ExitStatus.CONFIG)


def _story(folder: Path, n: int) -> Path:
    path = folder / f"story-{n}.txt"
    path.write_text(
        f"Story {n}: the harbour lights are on\n\nBy Ada Quill\n\n"
        f"The city switched on {n} harbour lights on Friday evening, a week earlier than usual. "
        "Crowds gathered along the quay to watch.\n",
        encoding="utf-8",
    )
    return path


def test_a_batch_builds_at_once_publishes_in_order_and_a_failure_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import narrate.pipeline

    # Two builds must be under way together: each waits (bounded) for the other to start.
    both = threading.Barrier(2, timeout=60)
    real = narrate.pipeline.build_episode
    started: list[str] = []

    def overlapping(source: str, *args: Any, **kwargs: Any) -> Any:
        started.append(source)
        if len(started) <= 2:
            both.wait()
        return real(source, *args, **kwargs)

    monkeypatch.setattr(narrate.pipeline, "build_episode", overlapping)
    out = tmp_path / "output"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    sources = [_story(tmp_path, 1), empty, _story(tmp_path, 3), _story(tmp_path, 4)]
    result = runner.invoke(
        app,
        ["build", *map(str, sources), "-o", str(out), "--voice", "test-tone", "--jobs", "2"],
    )
    assert result.exit_code == ExitStatus.BAD_INPUT, result.stderr
    titles = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert titles == [f"Story {n}: the harbour lights are on" for n in (1, 3, 4)]
    assert result.stderr.count("error: ") == 1 and "empty" in result.stderr
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert len(feed.entries) == 3
    assert leftover_builds(tmp_path / "tmp") == []
