"""Record built episodes in the catalog and (re)write the published files.

The one writer of an output folder. Its order keeps published files whole whatever happens:
everything is rendered (and the feed validated) before anything is moved; the episode's files
take new, content-derived names, so they never overwrite what the live feed points to, and come
in from the build's work folder (wherever it is: a copy beside the target, then a rename); the
catalog commits; only then are the feed and pages replaced, each by an atomic rename; the audio
the feed no longer points to goes last.

A publish writes what changed: the episode's own files and pages, the show's index and the
feed, whatever the show's size (the feed and the index list the newest ``[show] max_episodes``,
read from the catalog newest first, so a show of 10,000 episodes costs what a show of 300
does). What every page shows besides its episode (the show's settings and cover, narrate's
version, the templates and the code that fills them) is summed up in a stamp kept in the
show's state folder: when it differs from the last full write's, the publish rewrites every
page, as ``narrate feed`` always does.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import shutil
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path

from narrate import layout
from narrate.errors import InputError, PublishError
from narrate.layout import FEED_NAME, INDEX_NAME, catalog_path, state_dir
from narrate.models import BuiltEpisode, EpisodeRecord, Settings
from narrate.publishing.catalog import (
    Catalog,
    article_key,
    check_output_folder,
    new_guid,
    open_catalog,
    show_lock,
    slugify,
)
from narrate.publishing.cover import show_cover
from narrate.publishing.feed import is_http_url, newest_first, render_feed
from narrate.publishing.pages import (
    oembed_path,
    render_embed_page,
    render_episode_page,
    render_index_page,
    render_oembed,
    static_files,
)
from narrate.version import __version__

log = logging.getLogger(__name__)

# The episode's files: (name in the build's work folder, record field, published name's stem;
# "" for the episode's slug). A file the build did not make (the AAC copy) leaves its field "".
_FILES = (
    (layout.AUDIO_NAME, "audio_path", ""),
    (layout.AAC_NAME, "aac_path", ""),
    (layout.TRANSCRIPT_NAME, "transcript_path", "transcript"),
    (layout.SRT_NAME, "srt_path", "transcript"),
    (layout.JSON_TRANSCRIPT_NAME, "json_transcript_path", "transcript"),
    (layout.CHAPTERS_NAME, "chapters_path", "chapters"),
    (layout.ART_NAME, "art_path", "cover"),
)
_FILE_FIELDS = tuple(name for _, name, _ in _FILES)
SITE_STAMP_NAME = "site.sha256"  # in the state folder: what the pages were last all made from
_PUBLISHING = Path(__file__).parent  # this package: its code and templates make the pages


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


def _move_in(source: Path, target: Path) -> None:
    """Move a built file into the show: a rename on the same file system; else a synced copy
    beside the target, renamed over it (never a half-copied file under the target's name)."""
    try:
        os.replace(source, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle, source.open("rb") as original:
            shutil.copyfileobj(original, handle, 1 << 20)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    source.unlink(missing_ok=True)


def discard_built(built: BuiltEpisode) -> None:
    """Remove what is left of a built episode's files, and its work folder if that is then
    empty (it is narrate's own temporary folder unless the caller named one)."""
    for path in built.files():
        with contextlib.suppress(OSError):
            path.unlink()
    with contextlib.suppress(OSError):
        built.work_dir.rmdir()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _schedule(built: BuiltEpisode, old: EpisodeRecord | None) -> datetime | None:
    """When the episode is to appear: the build's (or front matter's) time, else an earlier
    build's (a rebuild to fix a typo neither releases a held episode nor redates a released
    one; ``--publish-at now`` releases it)."""
    if built.article.release.publish_at is not None:
        return built.article.release.publish_at
    return old.publish_at if old is not None else None


def _published(
    built: BuiltEpisode, old: EpisodeRecord | None, schedule: datetime | None
) -> datetime:
    """The episode's pubDate: when it is scheduled, else the article's own time (with its
    zone), else noon UTC of the article's date, else the first publish's, else now."""
    when = schedule or built.article.published_at
    if when is not None:
        return when if when.utcoffset() is not None else when.replace(tzinfo=UTC)
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
    folder = layout.episode_folder(slug)
    built_dir = built.work_dir
    schedule = _schedule(built, old)
    aac = built.aac_path

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
        published=_published(built, old, schedule),
        source_url=article.source_url,
        size_bytes=built.size_bytes,
        duration_ms=built.duration_ms,
        page_path=f"{folder}/{layout.EPISODE_PAGE_NAME}",
        embed_path=f"{folder}/{layout.EMBED_PAGE_NAME}",
        text_sha256=article.text_sha256,
        narrate_version=__version__,
        cues=built.audio.cues,
        chapters=built.audio.chapters,
        aac_size_bytes=aac.stat().st_size if aac is not None else 0,
        image_url=article.image_url if is_http_url(article.image_url or "") else None,
        language=article.language,
        episode_number=old.episode_number if old else catalog.next_episode_number(),
        # what an earlier build said stands unless this one says otherwise
        season=article.release.season if article.release.season or not old else old.season,
        episode_type=article.release.episode_type or (old.episode_type if old else "full"),
        publish_at=schedule,
        **{
            name: named(stem or slug, built_dir / built_name)
            for built_name, name, stem in _FILES
            if (built_dir / built_name).is_file()
        },
    )
    return record, old


def _rendered_site(
    settings: Settings,
    listed: list[EpisodeRecord],
    pages_of: list[EpisodeRecord],
    *,
    whole: bool,
    order: list[EpisodeRecord] | None = None,
) -> dict[str, bytes]:
    """The show's feed and index (listing ``listed``), the pages of ``pages_of``, and, when
    ``whole``, the show's static files and cover: by path under the output folder. An embed's
    "next" is the episode after it in ``order`` (the released episodes newest first; default
    ``listed``)."""
    show, cover = settings.show, show_cover(settings)
    files = {
        FEED_NAME: render_feed(show, listed, feed_path=FEED_NAME),
        INDEX_NAME: render_index_page(show, listed).encode("utf-8"),
    }
    if whole:
        files = {show.image: cover.data, **static_files(), **files}
    side_px = cover.side_px or None
    ordered = listed if order is None else order
    following = {
        e.guid: ordered[i + 1] if i + 1 < len(ordered) else None for i, e in enumerate(ordered)
    }
    for record in pages_of:
        files[record.page_path] = render_episode_page(show, record).encode("utf-8")
        embed = render_embed_page(show, record, following.get(record.guid))
        files[record.embed_path] = embed.encode("utf-8")
        oembed = render_oembed(show, record, cover_side_px=side_px)
        files[oembed_path(record)] = oembed.encode("utf-8")
    return files


def _site_stamp(settings: Settings) -> str:
    """What every page is made of besides its own episode: the show's settings and cover,
    narrate's version, and this package's code and templates."""
    digest = hashlib.sha256(repr((settings.show, __version__)).encode("utf-8"))
    digest.update(show_cover(settings).data)
    for path in sorted([*_PUBLISHING.glob("*.py"), *(_PUBLISHING / "templates").rglob("*")]):
        if path.is_file():
            digest.update(path.name.encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stamp_path(out: Path) -> Path:
    return state_dir(out) / SITE_STAMP_NAME


def _write_stamp(out: Path, stamp: str) -> None:
    """Record that every page is now made from ``stamp`` (after they were all written)."""
    _write_site(out, {_stamp_path(out).relative_to(out).as_posix(): stamp.encode("utf-8")})


def _pages_are_current(out: Path, settings: Settings, stamp: str) -> bool:
    """Whether every page was last written from ``stamp`` (and the shared files are there)."""
    try:
        written = _stamp_path(out).read_text(encoding="utf-8").strip()
    except OSError:
        return False
    shared = [settings.show.image, *static_files()]
    return written == stamp and all((out / name).is_file() for name in shared)


def _listed(
    catalog: Catalog,
    settings: Settings,
    changed: EpisodeRecord | None = None,
    gone: str = "",
    *,
    extra: int = 0,
) -> list[EpisodeRecord]:
    """The episodes the feed and index list: the newest ``max_episodes`` (0: all) of those out
    now (a scheduled one appears from its time), with ``changed`` in place of its catalog
    record and ``gone`` (a guid) left out; ``extra`` more after them (for "next" links)."""
    cap = settings.show.max_episodes
    skip = {changed.key if changed else "", gone}
    now = datetime.now(UTC)
    fetched = catalog.newest(cap + len(skip) + extra if cap else 0, with_cues=False, now=now)
    kept = [e for e in fetched if e.key not in skip and e.guid not in skip]
    out = [changed] if changed is not None and changed.released(now) else []
    ordered = newest_first([*out, *kept])
    return ordered[: cap + extra] if cap else ordered


def _out_now(episodes: list[EpisodeRecord]) -> list[EpisodeRecord]:
    """Those of ``episodes`` that are out now, newest first (as the feed orders them)."""
    now = datetime.now(UTC)
    return newest_first([e for e in episodes if e.released(now)])


def _pages_due(
    out: Path, window: list[EpisodeRecord], changed: EpisodeRecord | None, *, before: bool
) -> list[EpisodeRecord]:
    """The pages an incremental publish writes: ``changed``'s, with ``before`` the one before
    it in the feed too (whose "next" it now is), and those of listed episodes that have none
    yet (scheduled ones whose time has come since the last publish)."""
    guids = [e.guid for e in window]
    due = {e.guid for e in window if not (out / e.page_path).is_file()}
    if changed is not None and changed.guid in guids:
        at = guids.index(changed.guid)
        due |= {changed.guid, *([guids[at - 1]] if before and at > 0 else [])}
    return [e for e in window if e.guid in due]


def publish(built: BuiltEpisode, settings: Settings) -> EpisodeRecord:
    """Put a built episode in the show: catalog, files, feed and pages. Returns its record.

    Writes the episode's files and pages, the index and the feed (every page when what they
    all show has changed: see ``_site_stamp``). The built files are moved in (and the build's
    work folder removed), whether or not it succeeds: a failed publish leaves the show as it
    was and nothing of the build behind."""
    out = settings.output_dir
    try:
        check_output_folder(out)
        with show_lock(out):
            stamp = _site_stamp(settings)
            whole = not _pages_are_current(out, settings, stamp)
            with open_catalog(out, write=True) as catalog:
                record, _ = _new_record(built, catalog)
                order = _listed(catalog, settings, record, extra=1)
                listed = order[: settings.show.max_episodes or None]
                if whole:
                    others = [e for e in catalog.episodes() if e.key != record.key]
                    order = pages_of = _out_now([record, *others])
                else:
                    pages_of = _pages_due(out, order, record, before=True)
                site = _rendered_site(settings, listed, pages_of, whole=whole, order=order)
                (out / record.page_path).parent.mkdir(parents=True, exist_ok=True)
                for built_name, name, _ in _FILES:
                    if getattr(record, name):
                        _move_in(built.work_dir / built_name, out / getattr(record, name))
                catalog.put(record)
            _write_site(out, site)
            if whole:
                _write_stamp(out, stamp)
            _prune(out, record)  # what the feed no longer points to
    except OSError as exc:
        raise PublishError(
            f"cannot write to {out}: {exc}", "check the folder and disk space"
        ) from exc
    finally:
        discard_built(built)
    return record


def rebuild(settings: Settings) -> list[EpisodeRecord]:
    """Rewrite the feed and every page from the catalog (``narrate feed``)."""
    out = settings.output_dir
    if not catalog_path(out).exists():
        raise InputError(
            f"no catalog in {out}", "build an episode there first: narrate build ARTICLE"
        )
    try:
        with show_lock(out):
            stamp = _site_stamp(settings)
            with open_catalog(out) as catalog:
                episodes = catalog.episodes()
                listed = _listed(catalog, settings)
            out_now = _out_now(episodes)
            missing = [e.audio_path for e in episodes if not (out / e.audio_path).is_file()]
            if missing:
                raise PublishError(
                    f"{len(missing)} episode file(s) are missing, first {missing[0]}",
                    "rebuild those articles with narrate build, or restore the files",
                )
            site = _rendered_site(settings, listed, out_now, whole=True, order=out_now)
            _write_site(out, site)
            _write_stamp(out, stamp)
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
        raise InputError(f"no catalog in {out}", "check --output: it is the show's folder")
    try:
        with show_lock(out):
            with open_catalog(out, write=True) as catalog:
                record = catalog.find(ref)
                if record is None:
                    slugs = [e.slug for e in catalog.episodes()]
                    raise InputError(
                        f"no episode {ref!r} in {out}",
                        "name it by slug, guid or article URL; slugs: "
                        + (", ".join(slugs[:5]) + (", ..." if len(slugs) > 5 else "") or "none"),
                    )
                before = _listed(catalog, settings, extra=1)  # still with it: whose "next" it was
                catalog.delete(record.guid)
                stamp = _site_stamp(settings)
                whole = not _pages_are_current(out, settings, stamp)
                order = _listed(catalog, settings, gone=record.guid, extra=1)
                listed = order[: settings.show.max_episodes or None]
                if whole:
                    order = pages_of = _out_now(
                        [e for e in catalog.episodes() if e.guid != record.guid]
                    )
                else:
                    pairs = zip(before, before[1:], strict=False)
                    previous = [a for a, b in pairs if b.guid == record.guid]
                    pages_of = _pages_due(
                        out, order, previous[0] if previous else None, before=False
                    )
                site = _rendered_site(settings, listed, pages_of, whole=whole, order=order)
            _write_site(out, site)
            if whole:
                _write_stamp(out, stamp)
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
        ours = path.suffix in layout.EPISODE_SUFFIXES or path.name.endswith(".tmp")
        if path.is_file() and ours and path.name not in live:
            log.info("removing %s: no live page or feed points to it", path)
            path.unlink(missing_ok=True)


def _write_site(out: Path, files: dict[str, bytes]) -> None:
    """Every file is written beside the live one first (a full disk fails here, before any
    live file changes), then renamed over it: pages first, the feed last, so a podcast app
    never sees an item whose page isn't there yet."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_write_beside(out / path, data), out / path))
        for tmp, target in sorted(staged, key=lambda item: item[1] == out / FEED_NAME):
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
