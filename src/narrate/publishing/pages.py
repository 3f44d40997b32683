"""Web pages for the output folder: the show's index, each episode's page and its embed player.

What renders which file of the output folder (its names are in :mod:`narrate.layout`)::

    index.html                      render_index_page
    episodes/<slug>/index.html      render_episode_page (record.page_path)
    episodes/<slug>/embed.html      render_embed_page (record.embed_path), for an <iframe>
    episodes/<slug>/oembed.json     render_oembed (oembed_path(record)), https://oembed.com/
    narrate-player.js               static_files(): <narrate-player> for other sites' pages

Pages link to each other and to the audio with *relative* URLs (see :func:`relative_url`), so
the folder works on any host and from a local preview; only what is pasted on or read by other
sites (the two embed snippets, oEmbed, Open Graph and player-card tags, the feed URL shown for
copying) is absolute. Templates are Jinja2 with autoescape on; the pages load nothing from
other hosts (inline CSS and script, no CDN, no web fonts, no trackers).

The player (``templates/player.js`` and ``player.css``, plain ES2015 and CSS, no build step)
turns the ``<audio controls>`` of a page into play/pause, skip, seek, speed, chapters and a
transcript that follows playback; without JavaScript the page keeps the browser's own controls
and links to the transcript and the MP3. ``narrate-player.js`` adds ``narrate-element.js`` and
the CSS to that script: it defines ``<narrate-player>``, which fetches the episode's JSON
transcript and chapters (served with CORS) and builds the same player in another site's page.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache, partial
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

from narrate.layout import FEED_NAME, INDEX_NAME, OEMBED_NAME, PLAYER_SCRIPT_NAME
from narrate.models import Chapter, Cue, EpisodeRecord, PlayerLook, Show
from narrate.months import month_name
from narrate.publishing.cover import EPISODE_SIDE_PX
from narrate.publishing.feed import newest_first
from narrate.version import __version__

EMBED_WIDTH_PX = 480  # the iframe's size in oEmbed and player cards (the snippet is 100% wide)
# The iframe's height before its script says its own (and for ever without it): the folded
# player at any width from 320 px, a three-line title included (the browser tests measure it).
EMBED_HEIGHT_PX = 272


@dataclass(frozen=True)
class _CueView:
    start_s: str  # seconds, for data-start (the player script compares with currentTime)
    end_s: str
    clock: str  # "m:ss" shown beside the cue
    text: str


@dataclass(frozen=True)
class _PlayerView:
    """What the player macro needs; URLs as seen from the page (absolute in the script snippet)."""

    key: str  # localStorage key of the listening position
    title: str
    artist: str
    album: str
    artwork: str
    audio: str
    size: str
    transcript: str  # where a reader finds the transcript
    new_tab: bool = False
    transcript_json: str = ""  # only <narrate-player>: it fetches these
    chapters_json: str = ""


@dataclass(frozen=True)
class _NextView:
    title: str
    href: str  # its embed page, from this one: the next story plays in the same iframe


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
        loader=jinja2.PackageLoader("narrate.publishing", "templates"),
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
    >>> relative_url("index.html", "episodes/a-b/./index.html"), relative_url("index.html", ".")
    ('episodes/a-b/index.html', '.')
    """
    start = posixpath.dirname(posixpath.normpath(from_page.lstrip("/")))
    target = posixpath.normpath(to_path.lstrip("/"))
    # From a page at the top (the show's index, once per listed episode), the path is the URL:
    # relpath, which makes both absolute first, is most of the index page's time.
    at_top = not start and not target.startswith("../") and target != ".."
    relative = target if at_top else posixpath.relpath(target, start or ".")
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
    return f"{when.day} {month_name(when.month)} {when.year}"


def _size_text(size_bytes: int) -> str:
    if size_bytes >= 1_000_000:
        return f"{size_bytes / 1_000_000:.1f} MB"
    return f"{max(1, round(size_bytes / 1000))} kB"


def _cue_views(spans: Iterable[tuple[int, int, str]]) -> list[_CueView]:
    """Cues or chapters as the player lists them: ``(start_ms, end_ms, text)``, blanks left out."""
    return [
        _CueView(f"{start / 1000:.3f}", f"{end / 1000:.3f}", _clock(start), text)
        for start, end, text in spans
        if text.strip()
    ]


def _transcript_views(cues: Sequence[Cue]) -> list[_CueView]:
    return _cue_views((c.start_ms, c.end_ms, c.text) for c in cues)


def _chapter_views(chapters: Sequence[Chapter]) -> list[_CueView]:
    """The chapters to list: none when there is only one (a list of one helps nobody)."""
    views = _cue_views((c.start_ms, c.end_ms, c.title) for c in chapters)
    return views if len(views) > 1 else []


def oembed_path(episode: EpisodeRecord) -> str:
    """Where the episode's oEmbed JSON is published: beside its page."""
    return posixpath.join(posixpath.dirname(episode.page_path), OEMBED_NAME)


def artwork_path(show: Show, episode: EpisodeRecord) -> str:
    """The episode's cover under the output folder: its own, else the show's."""
    return episode.art_path or show.image


def _player_view(show: Show, episode: EpisodeRecord, url: Callable[[str], str]) -> _PlayerView:
    return _PlayerView(
        key=episode.guid,
        title=episode.title,
        artist=episode.author or show.author,
        album=show.title,
        artwork=url(artwork_path(show, episode)),
        audio=url(episode.audio_path),
        size=_size_text(episode.size_bytes),
        transcript=url(episode.page_path) + "#transcript",
    )


def _episode_context(
    show: Show, episode: EpisodeRecord, page_path: str, view: _PlayerView
) -> dict[str, object]:
    links = {
        "audio": relative_url(page_path, episode.audio_path),
        "transcript": relative_url(page_path, episode.transcript_path),
        "feed": relative_url(page_path, FEED_NAME),
        "index": relative_url(page_path, INDEX_NAME),
        "page": relative_url(page_path, episode.page_path),
        "srt": relative_url(page_path, episode.srt_path) if episode.srt_path else "",
        "aac": relative_url(page_path, episode.aac_path) if episode.aac_path else "",
        "art": relative_url(page_path, artwork_path(show, episode)),
    }
    source = episode.source_url or ""
    # Only http(s) links to the article: a "javascript:" URL must never become a link.
    links["source"] = source if urlsplit(source).scheme in ("http", "https") else ""
    return {
        "show": show,
        "episode": episode,
        "links": links,
        "urls": {
            "page": show.url(episode.page_path),
            "embed": show.url(episode.embed_path),
            "audio": show.url(episode.audio_path),
            "oembed": show.url(oembed_path(episode)),
            "image": show.url(artwork_path(show, episode)),
        },
        "view": view,
        "cues": _transcript_views(episode.cues),
        "chapters": _chapter_views(episode.chapters),
        "published_iso": episode.published.isoformat(),
        "published_text": _date_text(episode.published),
        "duration_text": _duration_text(episode.duration_ms),
        "css": Markup(_static("_base.css") + "\n" + _static("player.css")),
        "brand_css": brand_css(show.player),
        "script": _static("player.js"),
        "embed_width": EMBED_WIDTH_PX,
        "embed_height": EMBED_HEIGHT_PX,
        "version": __version__,
    }


def _luminance(colour: str) -> float:
    """WCAG relative luminance of "#rgb" or "#rrggbb" (0 black, 1 white)."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def brand_css(look: PlayerLook) -> Markup:
    """The show's colours over narrate's (config checked them: "#rgb" or "#rrggbb" only).

    The text on the accent is white or near-black, whichever reads better; the highlight is the
    accent, faint. With a background and text colour the player keeps them in dark mode too."""
    rules = []
    if look.accent:
        accent = look.accent
        on_accent = "#111111" if _luminance(accent) > 0.4 else "#ffffff"
        rules.append(
            f":root {{ --accent: {accent}; --np-accent: {accent}; --np-on-accent: {on_accent};"
            f" --np-hl: color-mix(in srgb, {accent} 16%, transparent); }}"
        )
    if look.background and look.text:
        scheme = "dark" if _luminance(look.background) < 0.2 else "light"
        muted = f"color-mix(in srgb, {look.text} 70%, {look.background})"
        rules.append(
            f":root {{ color-scheme: {scheme}; --muted: {muted}; }}"
            f" body, .np-bar button, .np-bar select {{ background: {look.background};"
            f" color: {look.text}; }}"
        )
    return Markup("\n".join(rules))


def embed_snippet(show: Show, episode: EpisodeRecord) -> str:
    """The ``<iframe>`` to paste into the article's page (absolute URL of the embed player), and
    the little script that sets its height to the player's (a message from the embed page; only
    from that iframe and its origin). Without the script (stripped by a CMS) the iframe keeps
    ``EMBED_HEIGHT_PX``, which fits the folded player."""
    template = _environment().get_template("embed_snippet.html")
    return template.render(
        src=show.url(episode.embed_path), title=episode.title, height=EMBED_HEIGHT_PX
    ).strip()


def script_snippet(show: Show, episode: EpisodeRecord) -> str:
    """The player without an iframe: ``<narrate-player>`` and the script that brings it to life.

    The element holds a working ``<audio controls>`` and links; ``narrate-player.js`` (from
    :func:`static_files`) adds the controls and fetches the chapters and JSON transcript, which
    the host must serve with ``Access-Control-Allow-Origin`` when the page is on another site.
    """
    view = replace(
        _player_view(show, episode, show.url),
        new_tab=True,
        transcript_json=show.url(episode.json_transcript_path)
        if episode.json_transcript_path
        else "",
        chapters_json=show.url(episode.chapters_path) if _chapter_views(episode.chapters) else "",
    )
    template = _environment().get_template("script_snippet.html")
    return template.render(view=view, script_src=show.url(PLAYER_SCRIPT_NAME)).strip()


def render_episode_page(show: Show, episode: EpisodeRecord) -> str:
    """The episode's page (``episode.page_path``): player, chapters, transcript, links, embeds.

    Its head carries the oEmbed discovery link and Open Graph and player-card tags, so that
    sites and apps a link is pasted into can show the player.
    """
    view = _player_view(show, episode, partial(relative_url, episode.page_path))
    context = _episode_context(
        show, episode, episode.page_path, replace(view, transcript="#transcript")
    )
    context["snippet"] = embed_snippet(show, episode)
    context["script_snippet"] = script_snippet(show, episode)
    return _environment().get_template("episode.html").render(context)


def render_embed_page(
    show: Show, episode: EpisodeRecord, next_episode: EpisodeRecord | None = None
) -> str:
    """The player for an iframe (``episode.embed_path``): the episode's art and title, the
    player, a share (copy-link) link, the next episode when there is one and the show wants it
    (``[player] next_episode``), the show's disclosure line and a folding transcript."""
    view = _player_view(show, episode, partial(relative_url, episode.embed_path))
    context = _episode_context(show, episode, episode.embed_path, replace(view, new_tab=True))
    following = next_episode if show.player.next_episode else None
    context["next"] = following and _NextView(
        following.title, relative_url(episode.embed_path, following.embed_path)
    )
    context["embed_css"] = _static("embed.css")
    context["embed_script"] = _static("embed.js")
    return _environment().get_template("embed.html").render(context)


def render_oembed(show: Show, episode: EpisodeRecord, *, cover_side_px: int | None = None) -> str:
    """The episode's oEmbed response (https://oembed.com/ section 2.3), a "rich" type whose
    ``html`` is the iframe snippet. The cover is its thumbnail when its size (a square's side,
    in pixels) is given: oEmbed requires a thumbnail's width and height with its URL.
    """
    document: dict[str, object] = {
        "type": "rich",
        "version": "1.0",
        "title": episode.title,
        "author_name": episode.author or show.author,
        "provider_name": show.title,
        "provider_url": show.link or show.url(""),
        "html": embed_snippet(show, episode),
        "width": EMBED_WIDTH_PX,
        "height": EMBED_HEIGHT_PX,
    }
    if episode.art_path:  # episode art is always EPISODE_SIDE_PX square
        cover_side_px = EPISODE_SIDE_PX
    if artwork_path(show, episode) and cover_side_px:
        document["thumbnail_url"] = show.url(artwork_path(show, episode))
        document["thumbnail_width"] = document["thumbnail_height"] = cover_side_px
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def static_files() -> dict[str, bytes]:
    """Files the show's folder needs besides the feed and pages, by path: ``narrate-player.js``,
    which the script snippet loads. It is player.js with narrate-element.js (``<narrate-player>``)
    and player.css inside its function, so that pages carry only the player they use."""
    script = str(_static("player.js"))
    if not script.endswith("})();"):
        raise ValueError("player.js must end with '})();' (narrate-element.js goes before it)")
    css = json.dumps(str(_static("player.css"))).replace("<", "\\u003c")
    parts = [  # plain str: adding to Markup would escape the JavaScript
        f"/*! narrate {__version__}: the player of {PLAYER_SCRIPT_NAME} for other sites */",
        script.removesuffix("})();"),
        f"const css = {css};",
        str(_static("narrate-element.js")),
        "})();\n",
    ]
    bundle = "\n".join(parts)
    return {PLAYER_SCRIPT_NAME: bundle.encode("utf-8")}


def render_index_page(show: Show, episodes: Sequence[EpisodeRecord]) -> str:
    """``index.html`` of the output folder: the show, its feed and its episodes, newest first."""
    items = [
        _EpisodeView(
            record=record,
            href=relative_url(INDEX_NAME, record.page_path),
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
            feed_href=relative_url(INDEX_NAME, FEED_NAME),
            feed_url=show.url(FEED_NAME),
            image_href=relative_url(INDEX_NAME, show.image),
            css=_static("_base.css"),
            version=__version__,
        )
    )
