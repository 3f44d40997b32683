"""Record built episodes in the catalog and (re)write the published files.

The one writer of an output folder. Its order keeps published files whole whatever happens:
everything is rendered (and the feed validated) before anything is moved; the episode's files
take new, content-derived names, so they never overwrite what the live feed points to; the
catalog commits; only then are the feed and pages replaced, each by an atomic rename; the audio
the feed no longer points to goes last.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path

from narrate import __version__
from narrate.catalog import (
    Catalog,
    article_key,
    catalog_path,
    new_guid,
    open_catalog,
    show_lock,
    slugify,
)
from narrate.config import Settings
from narrate.errors import PublishError
from narrate.feed import is_http_url, render_feed
from narrate.models import EpisodeRecord
from narrate.pipeline import (
    AAC_NAME,
    CHAPTERS_NAME,
    JSON_TRANSCRIPT_NAME,
    SRT_NAME,
    TRANSCRIPT_NAME,
    BuiltEpisode,
    discard_staging,
)
from narrate.player import (
    oembed_path,
    render_embed_page,
    render_episode_page,
    render_index_page,
    render_oembed,
    static_files,
)

log = logging.getLogger(__name__)

FEED_NAME = "feed.xml"
INDEX_NAME = "index.html"
# The episode's files besides the MP3: (name in staging, record field, published name's stem;
# "" for the episode's slug). A file the build did not make (the AAC copy) leaves its field "".
_SIDE_FILES = (
    (AAC_NAME, "aac_path", ""),
    (TRANSCRIPT_NAME, "transcript_path", "transcript"),
    (SRT_NAME, "srt_path", "transcript"),
    (JSON_TRANSCRIPT_NAME, "json_transcript_path", "transcript"),
    (CHAPTERS_NAME, "chapters_path", "chapters"),
)
_FILE_FIELDS = ("audio_path", *(name for _, name, _ in _SIDE_FILES))
_EPISODE_SUFFIXES = {".mp3", ".m4a", ".vtt", ".srt", ".json", ".html"}


def _write_beside(path: Path, data: bytes) -> Path:
    """``data`` in a new, synced temporary file beside ``path``: renaming it over ``path`` is
    then atomic and needs no more room on the disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _published(built: BuiltEpisode, old: EpisodeRecord | None) -> datetime:
    if built.article.published:
        return datetime.combine(built.article.published, time(12, 0), tzinfo=UTC)
    if old is not None:
        return old.published  # a rebuild doesn't make an old episode new
    return datetime.now(UTC).replace(microsecond=0)


def _new_record(
    built: BuiltEpisode, catalog: Catalog
) -> tuple[EpisodeRecord, EpisodeRecord | None]:
    """The built episode's record, and the one it replaces (same article), if any."""
    article = built.article
    key = article_key(article.title, article.source_url, article.published)
    old = catalog.get(key)
    slug = old.slug if old else catalog.free_slug(slugify(article.title), key)
    folder = f"episodes/{slug}"
    staged = built.staging_dir
    aac = staged / AAC_NAME

    def named(stem: str, file: Path) -> str:
        # Content-derived names: a new file never overwrites one the live feed points to.
        return f"{folder}/{stem}-{_file_digest(file)[:10]}{file.suffix}"

    record = EpisodeRecord(
        guid=old.guid if old else new_guid(key),
        key=key,
        slug=slug,
        title=article.title,
        description=built.description,
        author=article.byline,
        published=_published(built, old),
        source_url=article.source_url,
        audio_path=named(slug, built.mp3_path),
        size_bytes=built.size_bytes,
        duration_ms=built.duration_ms,
        page_path=f"{folder}/index.html",
        embed_path=f"{folder}/embed.html",
        text_sha256=article.text_sha256,
        narrate_version=__version__,
        cues=built.audio.cues,
        chapters=built.audio.chapters,
        aac_size_bytes=aac.stat().st_size if aac.is_file() else 0,
        image_url=article.image_url if is_http_url(article.image_url or "") else None,
        **{
            name: named(stem or slug, staged / staged_name)
            for staged_name, name, stem in _SIDE_FILES
            if (staged / staged_name).is_file()
        },
    )
    return record, old


def _rendered_site(settings: Settings, episodes: list[EpisodeRecord]) -> dict[str, bytes]:
    """Every published text file of the show, by path under the output folder."""
    show, side_px = settings.show, settings.cover.side_px or None
    files = {
        FEED_NAME: render_feed(show, episodes, feed_path=FEED_NAME),
        INDEX_NAME: render_index_page(show, episodes).encode("utf-8"),
        **static_files(),
    }
    for record in episodes:
        files[record.page_path] = render_episode_page(show, record).encode("utf-8")
        files[record.embed_path] = render_embed_page(show, record).encode("utf-8")
        oembed = render_oembed(show, record, cover_side_px=side_px)
        files[oembed_path(record)] = oembed.encode("utf-8")
    return files


def publish(built: BuiltEpisode, settings: Settings) -> EpisodeRecord:
    """Put a built episode in the show: catalog, files, feed and pages. Returns its record."""
    out = settings.output_dir
    try:
        with show_lock(out):
            with open_catalog(out, write=True) as catalog:
                record, old = _new_record(built, catalog)
                others = [e for e in catalog.episodes() if e.key != record.key]
                episodes = sorted([record, *others], key=lambda e: e.published, reverse=True)
                site = _rendered_site(settings, episodes)  # validates before anything moves
                (out / record.page_path).parent.mkdir(parents=True, exist_ok=True)
                os.replace(built.mp3_path, out / record.audio_path)
                for staged_name, name, _ in _SIDE_FILES:
                    if getattr(record, name):
                        os.replace(built.staging_dir / staged_name, out / getattr(record, name))
                catalog.put(record)
            _write_site(out, settings, site)
            _prune(out, record)  # what the feed no longer points to
    except OSError as exc:
        raise PublishError(
            f"cannot write to {out}: {exc}", "check the folder and disk space"
        ) from exc
    finally:
        discard_staging(built.staging_dir, out)
    return record


def rebuild(settings: Settings) -> list[EpisodeRecord]:
    """Rewrite the feed and every page from the catalog (``narrate feed``)."""
    out = settings.output_dir
    if not catalog_path(out).exists():
        raise PublishError(
            f"no catalog in {out}", "build an episode there first: narrate build ARTICLE"
        )
    try:
        with show_lock(out):
            with open_catalog(out) as catalog:
                episodes = catalog.episodes()
            missing = [e.audio_path for e in episodes if not (out / e.audio_path).is_file()]
            if missing:
                raise PublishError(
                    f"{len(missing)} episode file(s) are missing, first {missing[0]}",
                    "rebuild those articles with narrate build, or restore the files",
                )
            _write_site(out, settings, _rendered_site(settings, episodes))
            for record in episodes:
                _prune(out, record)
    except OSError as exc:
        raise PublishError(
            f"cannot write to {out}: {exc}", "check the folder and disk space"
        ) from exc
    return episodes


def remove(settings: Settings, ref: str) -> EpisodeRecord:
    """Take an episode out of the show (``narrate remove``): catalog, feed, pages, then files.

    ``ref`` is the episode's slug, guid or article URL. The feed and pages are rewritten without
    it before its files are deleted, so no published page ever points to a missing file.
    """
    out = settings.output_dir
    if not catalog_path(out).exists():
        raise PublishError(f"no catalog in {out}", "check --output: it is the show's folder")
    try:
        with show_lock(out):
            with open_catalog(out, write=True) as catalog:
                record = catalog.find(ref)
                if record is None:
                    slugs = [e.slug for e in catalog.episodes()]
                    raise PublishError(
                        f"no episode {ref!r} in {out}",
                        "name it by slug, guid or article URL; slugs: "
                        + (", ".join(slugs[:5]) + (", ..." if len(slugs) > 5 else "") or "none"),
                    )
                catalog.delete(record.guid)
                episodes = [e for e in catalog.episodes() if e.guid != record.guid]
                site = _rendered_site(settings, episodes)
            _write_site(out, settings, site)
            _prune(out, record, keep_live=False)  # leftovers of failed builds go too
            with contextlib.suppress(OSError):
                (out / record.page_path).parent.rmdir()  # only if nothing else is in it
    except OSError as exc:
        raise PublishError(
            f"cannot write to {out}: {exc}", "check the folder and disk space"
        ) from exc
    return record


def _prune(out: Path, record: EpisodeRecord, *, keep_live: bool = True) -> None:
    """Delete what the episode's folder holds besides its live files (or, for a removed
    episode, everything narrate writes there): the files an edit replaced, and those a build
    that failed after the catalog committed left behind (the next publish or ``narrate feed``
    cleans them up). Only narrate's own kinds of file are touched."""
    folder = (out / record.page_path).parent
    live: set[str] = set()
    if keep_live:
        live = {Path(getattr(record, n)).name for n in _FILE_FIELDS if getattr(record, n)}
        live |= {Path(p).name for p in (record.page_path, record.embed_path, oembed_path(record))}
    for path in folder.iterdir() if folder.is_dir() else ():
        ours = path.suffix in _EPISODE_SUFFIXES or path.name.endswith(".tmp")
        if path.is_file() and ours and path.name not in live:
            log.info("removing %s: no live page or feed points to it", path)
            path.unlink(missing_ok=True)


def _write_site(out: Path, settings: Settings, site: dict[str, bytes]) -> None:
    """Every file of the site is written beside the live one first (a full disk fails here,
    before any live file changes), then renamed over it: pages first, the feed last, so a
    podcast app never sees an item whose page isn't there yet."""
    files = {settings.show.image: settings.cover.data, **site}
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_write_beside(out / path, data), out / path))
        for tmp, target in sorted(staged, key=lambda item: item[1] == out / FEED_NAME):
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
