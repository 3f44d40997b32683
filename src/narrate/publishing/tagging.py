"""ID3v2.3 tags on the episode MP3 (mutagen is imported here and nowhere else).

Frames (https://id3.org/id3v2.3.0): TIT2 title, TALB show, TPE1 author, TPE2 show author,
TYER/TDAT date (mutagen writes TDRC down to them for v2.3), TCON "Podcast", COMM and TIT3
description, TLAN language, APIC cover (front), WOAS source URL, PCST podcast flag (iTunes),
TXXX "NARRATE_TEXT_SHA256" and "NARRATE_VERSION" (to trace an episode to its text), CTOC + CHAP
chapters (https://id3.org/id3v2-chapters-1.0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    PCST,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TIT3,
    TLAN,
    TPE1,
    TPE2,
    TXXX,
    WOAS,
    CTOCFlags,
    ID3NoHeaderError,
)
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Cover

from narrate.errors import AudioError
from narrate.language import iso639_2
from narrate.models import Chapter, Cover

TEXT_HASH_KEY = "NARRATE_TEXT_SHA256"
VERSION_KEY = "NARRATE_VERSION"


@dataclass(frozen=True)
class Tags:
    title: str
    show: str
    author: str
    show_author: str
    published: date | None
    description: str
    language: str
    source_url: str | None
    text_sha256: str
    narrate_version: str
    cover: Cover  # at most 300 KB: cover.tag_art makes it so
    chapters: Sequence[Chapter] = ()


def mp3_duration_ms(path: Path) -> int:
    """The MP3's playing time, as players compute it (from its Xing/Info header)."""
    try:
        info = MP3(str(path)).info
    except (MutagenError, OSError) as exc:  # a truncated file fails in the ID3 reader too
        raise AudioError(f"not a readable MP3: {path}", "rebuild the episode") from exc
    if info is None:
        raise AudioError(f"not a readable MP3: {path}", "rebuild the episode")
    return round(float(info.length) * 1000)


def embedded_cover(path: Path) -> bytes | None:
    """The front cover the MP3 carries (APIC), or None."""
    try:
        frames = ID3(str(path)).getall("APIC")
    except (MutagenError, OSError):
        return None
    return next((bytes(f.data) for f in frames if f.type == 3), None)


def write_tags(path: Path, tags: Tags) -> None:
    try:
        id3 = ID3(str(path))
        id3.delete()
    except ID3NoHeaderError:
        pass
    id3 = ID3()
    id3.add(TIT2(encoding=1, text=tags.title))
    id3.add(TALB(encoding=1, text=tags.show))
    id3.add(TPE1(encoding=1, text=tags.author))
    id3.add(TPE2(encoding=1, text=tags.show_author))
    id3.add(TCON(encoding=1, text="Podcast"))
    id3.add(PCST(value=1))
    if tags.published:
        id3.add(TDRC(encoding=1, text=tags.published.isoformat()))
    id3.add(COMM(encoding=1, lang="eng", desc="", text=tags.description))
    id3.add(TIT3(encoding=1, text=tags.description[:250]))
    id3.add(TLAN(encoding=1, text=iso639_2(tags.language)))
    if tags.source_url:
        id3.add(WOAS(url=tags.source_url))
    id3.add(TXXX(encoding=1, desc=TEXT_HASH_KEY, text=tags.text_sha256))
    id3.add(TXXX(encoding=1, desc=VERSION_KEY, text=tags.narrate_version))
    id3.add(APIC(encoding=0, mime=tags.cover.mime, type=3, desc="Cover", data=tags.cover.data))
    _add_chapters(id3, tags.chapters)
    try:
        id3.save(str(path), v2_version=3, v1=0)
    except OSError as exc:
        raise AudioError(f"cannot write tags to {path}: {exc}", "check the disk") from exc


def write_mp4_tags(path: Path, tags: Tags) -> None:
    """iTunes-style atoms on the AAC copy: title, artists, show, date, description, cover.

    (Chapters stay in the MP3 and the JSON chapters: mutagen does not write MP4 chapters.)
    """
    try:
        mp4 = MP4(str(path))
        if mp4.tags is None:
            mp4.add_tags()
        assert mp4.tags is not None
        mp4.tags.update(
            {
                "\xa9nam": [tags.title],
                "\xa9ART": [tags.author],
                "aART": [tags.show_author],
                "\xa9alb": [tags.show],
                "\xa9gen": ["Podcast"],
                "desc": [tags.description],
                "\xa9cmt": [tags.source_url or tags.description],
                "----:com.apple.iTunes:" + TEXT_HASH_KEY: [tags.text_sha256.encode()],
            }
        )
        if tags.published:
            mp4.tags["\xa9day"] = [tags.published.isoformat()]
        kind = MP4Cover.FORMAT_PNG if tags.cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
        mp4.tags["covr"] = [MP4Cover(tags.cover.data, imageformat=kind)]
        mp4.save()
    except (MutagenError, OSError) as exc:
        raise AudioError(f"cannot write tags to {path}: {exc}", "check the disk") from exc


def _add_chapters(id3: ID3, chapters: Sequence[Chapter]) -> None:
    if not chapters:
        return
    ids = [f"chp{i}" for i in range(len(chapters))]
    id3.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=1, text="Chapters")],
        )
    )
    for element_id, chapter in zip(ids, chapters, strict=True):
        id3.add(
            CHAP(
                element_id=element_id,
                start_time=chapter.start_ms,
                end_time=chapter.end_ms,
                sub_frames=[TIT2(encoding=1, text=chapter.title)],
            )
        )
