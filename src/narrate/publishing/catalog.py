"""The show's catalog: every published episode, in SQLite (embedded, no server).

It lives at ``<output>/.narrate/catalog.sqlite3``: kept with the show, never served (the preview
server refuses dot-folders) and never published (README's deploy command leaves it out). One
writer at a time: ``record`` runs in an immediate transaction, so two builds into the same output
cannot both claim a guid or a slug.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from anyascii import anyascii

from narrate import layout
from narrate.errors import InputError, PublishError
from narrate.layout import catalog_path
from narrate.models import Chapter, Cue, EpisodeRecord

SCHEMA_VERSION = 6
BASE_URL_SETTING = "base_url"
GUID_NAMESPACE = uuid.UUID("2f0c1f4e-6f0b-4d59-9a57-8a4b1c3e7d21")  # narrate's own

_SCHEMA = """
CREATE TABLE IF NOT EXISTS episodes (
    guid TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    author TEXT,
    published TEXT NOT NULL,
    source_url TEXT,
    audio_path TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    transcript_path TEXT NOT NULL,
    chapters_path TEXT NOT NULL,
    page_path TEXT NOT NULL,
    embed_path TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    narrate_version TEXT NOT NULL,
    cues TEXT NOT NULL,
    chapters TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    srt_path TEXT NOT NULL DEFAULT '',
    json_transcript_path TEXT NOT NULL DEFAULT '',
    aac_path TEXT NOT NULL DEFAULT '',
    aac_size_bytes INTEGER NOT NULL DEFAULT 0,
    image_url TEXT,
    language TEXT NOT NULL DEFAULT '',
    episode_number INTEGER NOT NULL DEFAULT 0,
    season INTEGER,
    episode_type TEXT NOT NULL DEFAULT 'full',
    publish_at TEXT,
    art_path TEXT NOT NULL DEFAULT ''
);
"""
# What the show's commands were told that must stick (the base URL given with --base-url).
_SETTINGS_TABLE = "CREATE TABLE IF NOT EXISTS show_settings (name TEXT PRIMARY KEY, value TEXT)"
# What each version adds to the one before (a catalog is upgraded when it is next written).
_MIGRATIONS = {
    2: (
        "ALTER TABLE episodes ADD COLUMN srt_path TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE episodes ADD COLUMN json_transcript_path TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE episodes ADD COLUMN aac_path TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE episodes ADD COLUMN aac_size_bytes INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE episodes ADD COLUMN image_url TEXT",
    ),
    # 3: the article's language, for its page's <html lang> ('': recorded before, the show's)
    3: ("ALTER TABLE episodes ADD COLUMN language TEXT NOT NULL DEFAULT ''",),
    # 4: episode numbers (those recorded before numbered in the order they were published),
    # season and type, a schedule, the episode's own cover; the show's remembered settings
    4: (
        "ALTER TABLE episodes ADD COLUMN episode_number INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE episodes ADD COLUMN season INTEGER",
        "ALTER TABLE episodes ADD COLUMN episode_type TEXT NOT NULL DEFAULT 'full'",
        "ALTER TABLE episodes ADD COLUMN publish_at TEXT",
        "ALTER TABLE episodes ADD COLUMN art_path TEXT NOT NULL DEFAULT ''",
        "UPDATE episodes SET episode_number = (SELECT COUNT(*) FROM episodes AS e"
        " WHERE julianday(e.published) < julianday(episodes.published)"
        " OR (julianday(e.published) = julianday(episodes.published) AND e.guid <= episodes.guid))",
        _SETTINGS_TABLE,
    ),
    # 5: the feed's order as an index, so the newest ``max_episodes`` are read without the rest
    # (by julianday: ``published`` keeps each article's own zone, so its text does not sort)
    5: (
        "DROP INDEX IF EXISTS episodes_newest",
        "CREATE INDEX episodes_newest ON episodes (julianday(published) DESC, guid DESC)",
    ),
    # 6: episode numbers as an index: a new episode's number (one more than the largest) was a
    # scan of every row, cues and all (20 ms in a show of 10,000)
    6: ("CREATE INDEX IF NOT EXISTS episodes_number ON episodes (episode_number)",),
}
# What a new catalog gets besides the table (the indexes that migrations add to older ones).
_NEW_INDEXES = _MIGRATIONS[5] + _MIGRATIONS[6]


# Names Windows reserves for devices, whatever the extension: a folder "con" cannot be made
# or copied there (https://learn.microsoft.com/windows/win32/fileio/naming-a-file).
_WINDOWS_DEVICES = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)")


# Chinese characters, written without spaces between words: each is a syllable of its own in the
# slug ("北京新闻" -> "bei-jing-xin-wen", not "beijingxinwen"). Kana and Hangul come out as words.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Apostrophes join a word ("Europe's" -> "europes"); other punctuation separates words.
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u02b9`\u00b4]")


def slugify(title: str, max_length: int = 60) -> str:
    """A safe folder name: ASCII letters, digits and hyphens only (never ``..`` or ``/``), at
    most ``max_length`` characters, and never a name Windows reserves (``con``, ``nul``...).

    Titles in any script are transliterated (anyascii), so that "Київ відновлює нічний пором"
    gets a slug that says something ("kiiv-vidnovlyuie-nichniy-porom"), not "episode-7".
    Emoji and other symbols are left out, not spelled (":ocean:").
    """
    title = _APOSTROPHES.sub("", title)
    letters = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in title)
    ascii_title = anyascii(_HAN.sub(lambda m: f" {m.group()} ", letters))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    if _WINDOWS_DEVICES.fullmatch(slug):
        slug += "-episode"
    return slug or "episode"


def article_key(title: str, source_url: str | None, published: date | None = None) -> str:
    """What makes two builds "the same article": its URL, else its title and date.

    Without the date, two days' "Morning briefing" would be one episode, the second replacing
    the first under its guid (podcast apps would never fetch it).
    """
    if source_url:
        parts = urlsplit(source_url.strip())
        # Scheme and host are case-blind and http/https the same page; the path is not.
        return (
            "url:"
            + parts.netloc.lower()
            + parts.path.rstrip("/")
            + ("?" + parts.query if parts.query else "")
        )
    key = "title:" + " ".join(title.lower().split())
    return key + (f"|{published.isoformat()}" if published else "")


@contextmanager
def show_lock(output_dir: Path) -> Iterator[None]:
    """One writer at a time for the whole output folder, across processes.

    Held from reading the catalog to the last file written, so that a publisher that read the
    catalog earlier never writes its older view of the feed over a newer one.
    """
    path = layout.lock_path(output_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+b")
    except OSError as exc:
        raise PublishError(f"cannot lock {output_dir}: {exc}", "check the folder") from exc
    with handle:
        _lock(handle, True)
        try:
            yield
        finally:
            _lock(handle, False)


def _lock(handle: BinaryIO, take: bool) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK if take else msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX if take else fcntl.LOCK_UN)


# What may already be in a folder narrate has not written to (a checked-in output/ has a note).
_ALLOWED_STRANGERS = {"README.md", "README", ".gitignore", ".gitkeep", layout.STATE_DIR}


def check_output_folder(output_dir: Path) -> None:
    """Refuse to write into a folder that holds someone else's files (a website, say)."""
    if catalog_path(output_dir).exists() or not output_dir.exists():
        return
    if not output_dir.is_dir():
        raise PublishError(
            f"{output_dir} is a file, not a folder", "give --output a folder for the show"
        )
    strangers = sorted(p.name for p in output_dir.iterdir() if p.name not in _ALLOWED_STRANGERS)
    if strangers:
        raise PublishError(
            f"{output_dir} already holds files narrate did not write ({', '.join(strangers[:3])}"
            + (", ..." if len(strangers) > 3 else "")
            + ")",
            "give --output an empty or new folder: narrate would overwrite index.html and more",
        )


def new_guid(key: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, key))


def remembered_base_url(output_dir: Path) -> str | None:
    """The base URL an earlier ``--base-url`` gave this show, if any (None: no catalog yet)."""
    if not catalog_path(output_dir).exists():
        return None
    with open_catalog(output_dir) as catalog:
        return catalog.setting(BASE_URL_SETTING)


def remember_base_url(output_dir: Path, base_url: str) -> None:
    """Keep ``base_url`` for the show's later commands (in its catalog, made if need be)."""
    with open_catalog(output_dir, write=True) as catalog:
        catalog.remember(BASE_URL_SETTING, base_url)


class Catalog:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    def get(self, key: str) -> EpisodeRecord | None:
        row = self.db.execute("SELECT * FROM episodes WHERE key = ?", (key,)).fetchone()
        return _record(row) if row else None

    def episodes(self) -> list[EpisodeRecord]:
        """All episodes, newest first."""
        rows = self.db.execute(
            "SELECT * FROM episodes ORDER BY julianday(published) DESC, title"
        ).fetchall()
        return [_record(row) for row in rows]

    def newest(
        self, limit: int = 0, *, with_cues: bool = True, now: datetime | None = None
    ) -> list[EpisodeRecord]:
        """The newest ``limit`` episodes (0: all), newest first, ties by guid as the feed
        orders them: what a feed of ``max_episodes`` lists, read without the rest; with
        ``now``, only those out by then (scheduled ones appear from ``publish_at``). Without
        ``with_cues``, their cues and chapters are left empty (the feed and the index show
        neither), which is most of the reading."""
        columns = "*"
        if not with_cues:  # the longest columns by far, not even read
            names = [row[1] for row in self.db.execute("PRAGMA table_info(episodes)")]
            columns = ", ".join(name for name in names if name not in ("cues", "chapters"))
        query, args = f"SELECT {columns} FROM episodes", list[str | int]()
        if now is not None:
            query += " WHERE publish_at IS NULL OR julianday(publish_at) <= julianday(?)"
            args.append(now.isoformat())
        query += " ORDER BY julianday(published) DESC, guid DESC"
        if limit:
            query, args = query + " LIMIT ?", [*args, limit]
        rows = self.db.execute(query, args)
        return [_record(row, with_cues=with_cues) for row in rows.fetchall()]

    def find(self, ref: str) -> EpisodeRecord | None:
        """The episode ``ref`` names: its slug, its guid, or its article's URL."""
        ref = ref.strip()
        for column, value in (("slug", ref), ("guid", ref), ("key", article_key("", ref))):
            row = self.db.execute(f"SELECT * FROM episodes WHERE {column} = ?", (value,)).fetchone()
            if row:
                return _record(row)
        return None

    def next_episode_number(self) -> int:
        """The number a new episode gets: one more than the highest (numbers are never reused)."""
        row = self.db.execute("SELECT MAX(episode_number) FROM episodes").fetchone()
        return int(row[0] or 0) + 1

    def setting(self, name: str) -> str | None:
        """A remembered show setting (``base_url``), or None (also for a catalog not yet
        upgraded: reading never migrates)."""
        known = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'show_settings'"
        if self.db.execute(known).fetchone() is None:
            return None
        row = self.db.execute("SELECT value FROM show_settings WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row and row[0] else None

    def remember(self, name: str, value: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO show_settings (name, value) VALUES (?, ?)", (name, value)
        )

    def delete(self, guid: str) -> None:
        self.db.execute("DELETE FROM episodes WHERE guid = ?", (guid,))

    def free_slug(self, wanted: str, key: str) -> str:
        """``wanted``, or ``wanted-2``, ``-3``... if another article has it."""
        slug, n = wanted, 1
        while True:
            row = self.db.execute("SELECT key FROM episodes WHERE slug = ?", (slug,)).fetchone()
            if row is None or row[0] == key:
                return slug
            n += 1
            slug = f"{wanted}-{n}"

    def put(self, record: EpisodeRecord) -> None:
        values = asdict(record)
        values["published"] = record.published.isoformat()
        values["publish_at"] = record.publish_at.isoformat() if record.publish_at else None
        values["cues"] = json.dumps([asdict(c) for c in record.cues])
        values["chapters"] = json.dumps([asdict(c) for c in record.chapters])
        values["updated_at"] = datetime.now().astimezone().isoformat()
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        self.db.execute(f"INSERT OR REPLACE INTO episodes ({columns}) VALUES ({marks})", values)


# The record's fields (the catalog's columns besides these are its own, like updated_at).
_RECORD_FIELDS = frozenset(f.name for f in fields(EpisodeRecord))


def _record(row: sqlite3.Row, *, with_cues: bool = True) -> EpisodeRecord:
    values = {k: v for k, v in zip(row.keys(), row, strict=True) if k in _RECORD_FIELDS}
    values["published"] = datetime.fromisoformat(row["published"])
    if values.get("publish_at"):  # absent from a catalog not yet upgraded
        values["publish_at"] = datetime.fromisoformat(values["publish_at"])
    values["cues"] = tuple(Cue(**c) for c in json.loads(row["cues"])) if with_cues else ()
    values["chapters"] = (
        tuple(Chapter(**c) for c in json.loads(row["chapters"])) if with_cues else ()
    )
    return EpisodeRecord(**values)


@contextmanager
def open_catalog(output_dir: Path, *, write: bool = False) -> Iterator[Catalog]:
    """The catalog of an output folder; with ``write``, one immediate transaction."""
    path = catalog_path(output_dir)
    if not write and not path.exists():
        raise InputError(
            f"no catalog in {output_dir}", "build an episode there first: narrate build ARTICLE"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise PublishError(f"cannot open the catalog {path}: {exc}", "check the folder") from exc
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        db.execute(_SCHEMA)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and write:
            db.execute(_SETTINGS_TABLE)  # a new catalog (an older one gets it by migration)
        if version > SCHEMA_VERSION:
            raise PublishError(
                f"the catalog {path} is from a newer narrate", "upgrade narrate: pip install -U ."
            )
        if write and version < SCHEMA_VERSION:
            if version >= 1:  # made by an older narrate (0: the table was just created)
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in _MIGRATIONS[step]:
                        db.execute(statement)
            else:
                for statement in _NEW_INDEXES:
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        yield Catalog(db)
        db.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(db)
        raise PublishError(f"the catalog {path} failed: {exc}", _catalog_hint(exc)) from exc
    except BaseException:
        _rollback(db)
        raise
    finally:
        db.close()


# SQLite's result codes for a disk that is full, read-only or failing:
# https://sqlite.org/rescode.html
_DISK_ERRORS = {"SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN"}


def _catalog_hint(error: sqlite3.Error) -> str:
    name = getattr(error, "sqlite_errorname", None) or ""
    if "_".join(name.split("_")[:2]) in _DISK_ERRORS:  # SQLITE_IOERR_WRITE: an SQLITE_IOERR
        return "free some disk space or make the folder writable; nothing was published"
    return "is it a narrate catalog?"


def _rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:
        db.execute("ROLLBACK")
