"""ID3v2.3 tags: every frame the issue asks for, read back by mutagen."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from narrate.audio.ffmpeg import ffmpeg_exe
from narrate.models import Chapter
from narrate.publishing.cover import default_cover
from narrate.publishing.tagging import TEXT_HASH_KEY, VERSION_KEY, Tags, mp3_duration_ms, write_tags


def _mp3(path: Path) -> Path:
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=3",
            "-ac",
            "1",
            "-ar",
            "44100",
            "-b:a",
            "64k",
            str(path),
        ],
        check=True,
    )
    return path


COVER = default_cover("Ledger Audio")


def test_tags_are_id3v23_with_every_frame(tmp_path: Path) -> None:
    mp3 = _mp3(tmp_path / "a.mp3")
    tags = Tags(
        title="Ferry <b>returns</b>",
        show="Ledger Audio",
        author="Maren Okafor",
        show_author="The Ledger",
        published=date(2026, 3, 3),
        description="The night ferry is back.",
        language="en",
        source_url="https://example.org/ferry",
        text_sha256="ab" * 32,
        narrate_version="9.9.9",
        cover=COVER,
        chapters=[Chapter(0, 1000, "Introduction"), Chapter(1000, 3000, "Article")],
    )
    write_tags(mp3, tags)
    id3 = ID3(str(mp3))
    assert id3.version[:2] == (2, 3)
    assert str(id3["TIT2"]) == "Ferry <b>returns</b>"
    assert str(id3["TALB"]) == "Ledger Audio"
    assert str(id3["TPE1"]) == "Maren Okafor"
    assert str(id3["TCON"]) == "Podcast"
    assert str(id3.getall("TYER")[0] if id3.getall("TYER") else id3["TDRC"]).startswith("2026")
    assert id3.getall("COMM")[0].text[0] == "The night ferry is back."
    assert id3.getall("WOAS")[0].url == "https://example.org/ferry"
    txxx = {f.desc: f.text[0] for f in id3.getall("TXXX")}
    assert txxx[TEXT_HASH_KEY] == "ab" * 32
    assert txxx[VERSION_KEY] == "9.9.9"
    cover = id3.getall("APIC")[0]
    assert cover.mime == "image/png" and cover.data == COVER.data and cover.type == 3
    toc = id3.getall("CTOC")[0]
    assert str(toc.sub_frames["TIT2"]) == "Chapters"  # apps show no chapters without a title
    chapters = sorted(id3.getall("CHAP"), key=lambda c: c.start_time)
    assert [(c.start_time, c.end_time, str(c.sub_frames["TIT2"])) for c in chapters] == [
        (0, 1000, "Introduction"),
        (1000, 3000, "Article"),
    ]
    assert id3.getall("CTOC")[0].child_element_ids == ["chp0", "chp1"]
    assert abs(mp3_duration_ms(mp3) - 3000) < 60


def test_retagging_replaces_old_frames(tmp_path: Path) -> None:
    mp3 = _mp3(tmp_path / "b.mp3")
    base = Tags("One", "Show", "A", "S", None, "d", "en", None, "0" * 64, "1", COVER)
    write_tags(mp3, base)
    write_tags(
        mp3,
        Tags("Two", "Show", "A", "S", None, "d", "en", None, "1" * 64, "1", COVER),
    )
    id3 = ID3(str(mp3))
    assert str(id3["TIT2"]) == "Two"
    assert len(id3.getall("APIC")) == 1
    assert not id3.getall("WOAS")


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("en", "eng"),
        ("de-AT", "deu"),
        ("pt_BR", "por"),
        ("sw", "swa"),
        ("haw", "haw"),
        ("xx", "und"),
    ],
)
def test_the_language_frame_has_the_iso_639_2_code_of_any_language(
    tmp_path: Path, language: str, code: str
) -> None:
    # Regression (issue 11): every language outside six was tagged "eng".
    mp3 = _mp3(tmp_path / "c.mp3")
    write_tags(mp3, Tags("T", "Show", "A", "S", None, "d", language, None, "0" * 64, "1", COVER))
    assert ID3(str(mp3))["TLAN"].text == [code]
