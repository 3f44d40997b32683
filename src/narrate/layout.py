"""The names narrate gives files, in one place: a built episode's work folder, the show's output
folder, and the content type each file is served with.

A show's output folder (paths in :class:`~narrate.models.EpisodeRecord` are relative to it)::

    feed.xml                          the podcast feed
    index.html                        the show's page
    cover.png | cover.jpg             the show's cover
    narrate-player.js                 <narrate-player>, for other sites' pages
    episodes/<slug>/                  an episode: its audio, transcripts and chapters under
                                      content-derived names, index.html, embed.html, oembed.json
    .narrate/catalog.sqlite3          the catalog (never served, never deployed)
    .narrate/lock                     held by the one writer
    .narrate/cache/segments/          spoken segments kept for rebuilds (the CLI's default)

A built episode's work folder (``build_episode``'s, before ``publish`` moves the files in) holds
``episode.mp3``, ``episode.m4a`` (with ``[audio] aac``), ``transcript.vtt``, ``transcript.srt``,
``transcript.json``, ``chapters.json`` and ``cover.jpg`` (the episode's art, when the article
has an image).
"""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePath

# --- a built episode's files, in its work folder ------------------------------------------
AUDIO_NAME = "episode.mp3"
AAC_NAME = "episode.m4a"
TRANSCRIPT_NAME = "transcript.vtt"
SRT_NAME = "transcript.srt"
JSON_TRANSCRIPT_NAME = "transcript.json"
CHAPTERS_NAME = "chapters.json"
ART_NAME = "cover.jpg"  # the episode's own square cover, from the article's image
# All of them, those a build may make (the AAC copy only when asked for, the art when the
# article has a usable image).
BUILT_NAMES = (
    AUDIO_NAME,
    AAC_NAME,
    TRANSCRIPT_NAME,
    SRT_NAME,
    JSON_TRANSCRIPT_NAME,
    CHAPTERS_NAME,
    ART_NAME,
)
SEGMENTS_DIR = ".segments"  # the engine's audio while a build runs (removed when it ends)

# --- the show's output folder -------------------------------------------------------------
FEED_NAME = "feed.xml"
INDEX_NAME = "index.html"
COVER_STEM = "cover"  # cover.png or cover.jpg, as the image is
PLAYER_SCRIPT_NAME = "narrate-player.js"
EPISODES_DIR = "episodes"
EPISODE_PAGE_NAME = "index.html"
EMBED_PAGE_NAME = "embed.html"
OEMBED_NAME = "oembed.json"
STATE_DIR = ".narrate"
CATALOG_NAME = "catalog.sqlite3"
LOCK_NAME = "lock"
CACHE_DIR = "cache/segments"  # under STATE_DIR
# What narrate writes in an episode's folder, by suffix (anything else there is left alone).
EPISODE_SUFFIXES = frozenset({".mp3", ".m4a", ".vtt", ".srt", ".json", ".html", ".jpg"})


def episode_folder(slug: str) -> str:
    """``episodes/<slug>``: where an episode's files are published."""
    return posixpath.join(EPISODES_DIR, slug)


def state_dir(output_dir: Path) -> Path:
    return output_dir / STATE_DIR


def catalog_path(output_dir: Path) -> Path:
    return state_dir(output_dir) / CATALOG_NAME


def lock_path(output_dir: Path) -> Path:
    return state_dir(output_dir) / LOCK_NAME


def cache_dir(output_dir: Path) -> Path:
    """The show's segment cache (what ``narrate build`` uses unless told otherwise)."""
    return state_dir(output_dir) / CACHE_DIR


def cover_name(suffix: str) -> str:
    """``cover.png`` or ``cover.jpg``: the show's cover under the output folder."""
    return COVER_STEM + suffix


# --- content types --------------------------------------------------------------------------
# What each file is served as, and said to be in the feed (without the charset).
CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/rss+xml; charset=utf-8",  # the only XML in the output is the feed
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain; charset=utf-8",
}
# Podcasting 2.0 JSON chapters have a type of their own:
# https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/chapters.md
CHAPTERS_TYPE = "application/json+chapters"
# What podcast apps and web players fetch from other origins: transcripts, chapters, the feed.
CORS_SUFFIXES = frozenset({".vtt", ".srt", ".json", ".xml"})


def content_type(path: str | PurePath) -> str:
    """The ``Content-Type`` a file of narrate's output is served with."""
    # posixpath, not PurePath: the feed asks this of every file of 100 episodes at each publish
    name = path.name if isinstance(path, PurePath) else posixpath.basename(path)
    suffix = posixpath.splitext(name)[1].lower()
    if suffix == ".json" and name.startswith("chapters"):
        return CHAPTERS_TYPE
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


def media_type(path: str | PurePath) -> str:
    """The file's type without parameters, as the feed states it: ``text/vtt``."""
    return content_type(path).split(";")[0].strip()
