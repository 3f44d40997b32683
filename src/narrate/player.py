"""Web pages for the output folder: the show's index, each episode's page and its embed player.

Layout of the output folder (paths in ``EpisodeRecord`` are relative to it)::

    index.html                      render_index_page
    feed.xml                        narrate.feed.render_feed
    episodes/<slug>/index.html      render_episode_page (record.page_path)
    episodes/<slug>/embed.html      render_embed_page (record.embed_path), for an <iframe>
    episodes/<slug>/<file>.mp3|vtt|json

Pages link to each other and to the audio with *relative* URLs (see :func:`relative_url`), so
the folder works on any host and from a local preview; only the embed snippet, pasted on
another site, and the feed URL shown for copying are absolute. Templates are Jinja2 with
autoescape on; the pages load nothing from other hosts (inline CSS and script, no CDN).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

from narrate import __version__
from narrate.feed import newest_first
from narrate.models import Cue, EpisodeRecord, Show

FEED_PATH = "feed.xml"
INDEX_PATH = "index.html"


@dataclass(frozen=True)
class _CueView:
    start_s: str  # seconds, for data-start (the player script compares with currentTime)
    end_s: str
    clock: str  # "m:ss" shown beside the cue
    text: str


@dataclass(frozen=True)
class _EpisodeView:
    record: EpisodeRecord
    href: str
    published_iso: str
    published_text: str
    duration_text: str


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("narrate", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@cache
def _static(name: str) -> Markup:
    """A packaged static file (our own CSS or script), inlined into a page unescaped."""
    env = _environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    if "</" in source:  # "</script>" or "</style>" would end the element early
        raise ValueError(f"{name} must not contain '</'")
    return Markup(source.strip())


def relative_url(from_page: str, to_path: str) -> str:
    """URL of ``to_path`` as seen from the page at ``from_page`` (both relative to the output).

    >>> relative_url("episodes/a-b/index.html", "episodes/a-b/a-b-1234.mp3")
    'a-b-1234.mp3'
    >>> relative_url("episodes/a-b/index.html", "feed.xml")
    '../../feed.xml'
    """
    start = posixpath.dirname(posixpath.normpath(from_page.lstrip("/")))
    target = posixpath.normpath(to_path.lstrip("/"))
    relative = posixpath.relpath(target, start or ".")
    if to_path.endswith("/") and not relative.endswith("/"):
        relative += "/"
    return quote(relative, safe="/")


def _clock(ms: int) -> str:
    """``m:ss`` (or ``h:mm:ss``) for people."""
    seconds = ms // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _duration_text(ms: int) -> str:
    minutes = round(ms / 60000)
    return f"{minutes} min" if minutes >= 1 else f"{round(ms / 1000)} s"


def _date_text(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def _cue_views(cues: Sequence[Cue]) -> list[_CueView]:
    return [
        _CueView(f"{c.start_ms / 1000:.3f}", f"{c.end_ms / 1000:.3f}", _clock(c.start_ms), c.text)
        for c in cues
        if c.text.strip()
    ]


def _episode_context(show: Show, episode: EpisodeRecord, page_path: str) -> dict[str, object]:
    links = {
        "audio": relative_url(page_path, episode.audio_path),
        "transcript": relative_url(page_path, episode.transcript_path),
        "feed": relative_url(page_path, FEED_PATH),
        "index": relative_url(page_path, INDEX_PATH),
        "page": relative_url(page_path, episode.page_path),
    }
    source = episode.source_url or ""
    # Only http(s) links to the article: a "javascript:" URL must never become a link.
    links["source"] = source if urlsplit(source).scheme in ("http", "https") else ""
    return {
        "show": show,
        "episode": episode,
        "links": links,
        "cues": _cue_views(episode.cues),
        "published_iso": episode.published.isoformat(),
        "published_text": _date_text(episode.published),
        "duration_text": _duration_text(episode.duration_ms),
        "css": _static("_base.css"),
        "script": _static("player.js"),
        "version": __version__,
    }


def embed_snippet(show: Show, episode: EpisodeRecord) -> str:
    """The ``<iframe>`` to paste into the article's page (absolute URL of the embed player)."""
    template = _environment().get_template("embed_snippet.html")
    return template.render(src=show.url(episode.embed_path), title=episode.title).strip()


def render_episode_page(show: Show, episode: EpisodeRecord) -> str:
    """The episode's page (``episode.page_path``): player, clickable transcript, links, embed."""
    context = _episode_context(show, episode, episode.page_path)
    context["snippet"] = embed_snippet(show, episode)
    return _environment().get_template("episode.html").render(context)


def render_embed_page(show: Show, episode: EpisodeRecord) -> str:
    """The bare player for an iframe (``episode.embed_path``): audio and a folding transcript."""
    context = _episode_context(show, episode, episode.embed_path)
    return _environment().get_template("embed.html").render(context)


def render_index_page(show: Show, episodes: Sequence[EpisodeRecord]) -> str:
    """``index.html`` of the output folder: the show, its feed and its episodes, newest first."""
    items = [
        _EpisodeView(
            record=record,
            href=relative_url(INDEX_PATH, record.page_path),
            published_iso=record.published.isoformat(),
            published_text=_date_text(record.published),
            duration_text=_duration_text(record.duration_ms),
        )
        for record in newest_first(episodes)
    ]
    return (
        _environment()
        .get_template("index.html")
        .render(
            show=show,
            episodes=items,
            feed_href=relative_url(INDEX_PATH, FEED_PATH),
            feed_url=show.url(FEED_PATH),
            image_href=relative_url(INDEX_PATH, show.image),
            css=_static("_base.css"),
            version=__version__,
        )
    )
