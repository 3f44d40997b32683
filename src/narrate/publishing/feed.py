"""The podcast feed: RSS 2.0 with the iTunes, Podcasting 2.0, Atom and content namespaces.

Specs, linked again beside the code that implements them:

* RSS 2.0: https://www.rssboard.org/rss-specification
* Apple Podcasts tags: https://podcasters.apple.com/support/823-podcast-requirements
* Podcasting 2.0 namespace: https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md
* Atom self link (RSS best practice): https://www.rssboard.org/rss-profile#namespace-elements-atom-link
* content:encoded: https://web.resource.org/rss/1.0/modules/content/

The XML is written by ``_Writer``, which takes element names and values, never markup: it cleans
and escapes every text and attribute value itself (``<script>``, ``]]>``, quotes), exactly as
``xml.etree`` does, and indents as ``ET.indent`` does, so the feed's bytes are those ElementTree
wrote before (building a tree of 1,700 elements for 100 items, then serializing it, was most of
the time of publishing an episode). The feed is validated as it is written: every missing or
invalid field, of the show and of each episode, is listed in one ``PublishError``.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

from narrate.errors import PublishError
from narrate.layout import CHAPTERS_TYPE, FEED_NAME, media_type
from narrate.models import EPISODE_TYPES, EpisodeRecord, Show
from narrate.version import __version__

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"

# https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/guid.md :
# "a UUIDv5 ... generated from the RSS feed url, with the protocol scheme and trailing slashes
# stripped off, combined with a unique 'podcast' namespace of ead4c236-bf58-58c6-a2c6-a6b28d128cb6"
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

# XML 1.0 forbids most control characters (https://www.w3.org/TR/xml/#charsets): drop them
# rather than write a feed that no parser will read.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")  # Apple accepts JPEG or PNG artwork only


XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"  # as ET writes it for UTF-8


def _clean(text: str) -> str:
    return _INVALID_XML_CHARS.sub("", text).strip()


def is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def podcast_guid(feed_url: str) -> str:
    """The feed's ``podcast:guid``: UUIDv5 of its URL without scheme and trailing slashes."""
    stripped = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, stripped))


def duration_seconds(duration_ms: int) -> int:
    """Whole seconds, rounded half up (``itunes:duration``)."""
    return (duration_ms + 500) // 1000


def _show_problems(show: Show) -> list[str]:
    problems: list[str] = []
    for name in ("title", "description", "author", "language", "category"):
        if not _clean(getattr(show, name)):
            problems.append(f"show.{name} is empty")
    if not is_http_url(show.base_url):
        problems.append(f"show.base_url {show.base_url!r} is not an absolute http(s) URL")
    if not show.image.strip():
        problems.append("show.image is missing (the cover art, required by Apple Podcasts)")
    elif not show.image.lower().endswith(_IMAGE_SUFFIXES):
        problems.append(f"show.image {show.image!r} is not a .jpg or .png file")
    if show.link is not None and not is_http_url(show.link):
        problems.append(f"show.link {show.link!r} is not an absolute http(s) URL")
    if show.max_episodes < 0:
        problems.append(f"show.max_episodes must be 0 (all) or more, not {show.max_episodes}")
    if show.owner_email is not None and "@" not in show.owner_email:
        problems.append(f"show.owner_email {show.owner_email!r} is not an email address")
    return problems


def _episode_problems(episodes: Sequence[EpisodeRecord]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for record in episodes:
        name = f"episode {record.slug or record.guid or '?'!r}"
        if not _clean(record.guid):
            problems.append(f"{name}: guid is empty")
        elif record.guid in seen:
            problems.append(f"{name}: guid {record.guid!r} is used by another episode")
        seen.add(record.guid)
        if not _clean(record.title):
            problems.append(f"{name}: title is empty")
        for path_name in ("audio_path", "page_path", "transcript_path", "chapters_path"):
            if not getattr(record, path_name).strip():
                problems.append(f"{name}: {path_name} is empty")
        if record.size_bytes <= 0:
            problems.append(f"{name}: size_bytes must be positive, not {record.size_bytes}")
        if record.duration_ms <= 0:
            problems.append(f"{name}: duration_ms must be positive, not {record.duration_ms}")
        if record.published.tzinfo is None or record.published.utcoffset() is None:
            problems.append(f"{name}: published has no time zone")
        if record.episode_type not in EPISODE_TYPES:
            problems.append(
                f"{name}: episode_type {record.episode_type!r} is not one of "
                + ", ".join(EPISODE_TYPES)
            )
        if record.season is not None and record.season < 1:
            problems.append(f"{name}: season must be 1 or more, not {record.season}")
    return problems


# What ElementTree (3.11 to 3.13) escapes in element content, and in an attribute's value.
_TEXT_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIBUTE_ENTITIES = (
    *_TEXT_ENTITIES, ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"),
)  # fmt: skip


def _escape(text: str, entities: tuple[tuple[str, str], ...]) -> str:
    for char, entity in entities:
        if char in text:
            text = text.replace(char, entity)
    return text


_MARGINS = tuple("\n" + "  " * depth for depth in range(8))  # the feed nests 5 deep


class _Writer:
    """XML text, an element at a time: names and values in, escaped markup out.

    Written as ElementTree writes a tree (``<a x="1">text</a>``, an empty one ``<a x="1" />``)
    indented as ``ET.indent(tree, space="  ")`` does: each element on a line of its own, two
    spaces deeper than its parent. Every value is cleaned of the characters XML forbids.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.depth = 0

    def _start(self, tag: str, attrib: dict[str, str]) -> str:
        start = f"{_MARGINS[self.depth] if self.parts else ''}<{tag}"
        for name, value in attrib.items():
            start += f' {name}="{_escape(_clean(value), _ATTRIBUTE_ENTITIES)}"'
        return start

    def leaf(self, tag: str, content: str | None = None, /, **attrib: str) -> None:
        """An element without children; positional-only ``content`` so that ``text=`` can be an
        attribute."""
        text = _clean(content) if content else ""
        end = f">{_escape(text, _TEXT_ENTITIES)}</{tag}>" if text else " />"
        self.parts.append(self._start(tag, attrib) + end)

    @contextmanager
    def element(self, tag: str, **attrib: str) -> Iterator[None]:
        """An element whose children are written inside the ``with`` block (one at least)."""
        self.parts.append(self._start(tag, attrib) + ">")
        self.depth += 1
        yield
        self.depth -= 1
        self.parts.append(f"{_MARGINS[self.depth]}</{tag}>")

    def text(self) -> str:
        return "".join(self.parts)


def _add_channel_head(xml: _Writer, show: Show, feed_url: str, last_build: datetime) -> None:
    link = show.link or show.base_url
    image_url = show.url(show.image)
    explicit = "true" if show.explicit else "false"
    # RSS 2.0 required channel elements: https://www.rssboard.org/rss-specification#requiredChannelElements
    xml.leaf("title", show.title)
    xml.leaf("link", link)
    xml.leaf("description", show.description)
    xml.leaf("language", show.language)
    xml.leaf("generator", f"narrate {__version__}")
    xml.leaf("lastBuildDate", format_datetime(last_build.astimezone(UTC), usegmt=True))
    # https://www.rssboard.org/rss-profile#namespace-elements-atom-link
    xml.leaf("atom:link", href=feed_url, rel="self", type="application/rss+xml")
    # https://www.rssboard.org/rss-specification#ltimagegtSubelementOfLtchannelgt
    with xml.element("image"):
        xml.leaf("url", image_url)
        xml.leaf("title", show.title)
        xml.leaf("link", link)
    # Apple: https://podcasters.apple.com/support/823-podcast-requirements (channel tags)
    xml.leaf("itunes:image", href=image_url)
    # Categories: https://podcasters.apple.com/support/1691-apple-podcasts-categories
    if show.subcategory:
        with xml.element("itunes:category", text=show.category):
            xml.leaf("itunes:category", text=show.subcategory)
    else:
        xml.leaf("itunes:category", text=show.category)
    xml.leaf("itunes:explicit", explicit)
    xml.leaf("itunes:author", show.author)
    if show.owner_email:
        with xml.element("itunes:owner"):
            xml.leaf("itunes:name", show.author)
            xml.leaf("itunes:email", show.owner_email)
    xml.leaf("itunes:type", "episodic")
    # https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/guid.md
    xml.leaf("podcast:guid", podcast_guid(feed_url))
    # https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/locked.md
    if show.owner_email:
        xml.leaf("podcast:locked", "no", owner=show.owner_email)
    else:
        xml.leaf("podcast:locked", "no")


def _content_html(record: EpisodeRecord, show: Show) -> str:
    """The show notes as HTML for ``content:encoded``: escaped here, then again by the XML."""
    parts = [f"<p>{html.escape(_clean(record.description or record.title))}</p>"]
    if record.source_url and is_http_url(record.source_url):
        href = html.escape(record.source_url, quote=True)
        parts.append(f'<p><a href="{href}">Read the original article</a></p>')
    transcript = html.escape(show.url(record.page_path), quote=True)
    parts.append(f'<p><a href="{transcript}">Transcript and player</a></p>')
    return "".join(parts)


def _add_item(xml: _Writer, show: Show, record: EpisodeRecord) -> None:
    with xml.element("item"):
        # RSS 2.0 items: https://www.rssboard.org/rss-specification#hrelementsOfLtitemgt
        xml.leaf("title", record.title)
        xml.leaf("description", record.description or record.title)
        xml.leaf("link", show.url(record.page_path))
        # guid: https://www.rssboard.org/rss-specification#ltguidgtSubelementOfLtitemgt
        xml.leaf("guid", record.guid, isPermaLink="false")
        xml.leaf("pubDate", format_datetime(record.published))
        # https://www.rssboard.org/rss-specification#ltenclosuregtSubelementOfLtitemgt
        xml.leaf(
            "enclosure",
            url=show.url(record.audio_path),
            length=str(record.size_bytes),
            type=media_type(record.audio_path),
        )
        # https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/alternate-enclosure.md
        if record.aac_path:
            with xml.element(
                "podcast:alternateEnclosure",
                type=media_type(record.aac_path),
                length=str(record.aac_size_bytes),
                title="AAC",
            ):
                xml.leaf("podcast:source", uri=show.url(record.aac_path))
        xml.leaf("content:encoded", _content_html(record, show))
        # Apple episode tags: https://podcasters.apple.com/support/823-podcast-requirements
        xml.leaf("itunes:duration", str(duration_seconds(record.duration_ms)))
        xml.leaf("itunes:author", record.author or show.author)
        xml.leaf("itunes:explicit", "true" if show.explicit else "false")
        # itunes:title is the episode's own title, without show name or numbers (Apple's rule);
        # the numbers go in itunes:episode and itunes:season
        xml.leaf("itunes:title", record.title)
        xml.leaf("itunes:episodeType", record.episode_type)
        if record.episode_number > 0:
            xml.leaf("itunes:episode", str(record.episode_number))
        if record.season is not None:
            xml.leaf("itunes:season", str(record.season))
        # The episode's own square cover, made from the article's image and published with it
        # (never the publisher's picture, hotlinked as it is); without one, apps show the show's.
        if record.art_path:
            xml.leaf("itunes:image", href=show.url(record.art_path))
        # https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/transcript.md
        # (rel="captions": the file has timings, so apps may show it as closed captions)
        for path in (record.transcript_path, record.srt_path, record.json_transcript_path):
            if path:
                url = show.url(path)
                xml.leaf("podcast:transcript", url=url, type=media_type(path), rel="captions")
        # https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/chapters.md
        xml.leaf("podcast:chapters", url=show.url(record.chapters_path), type=CHAPTERS_TYPE)
        # https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/person.md
        if record.author:
            xml.leaf("podcast:person", record.author, role="author", group="writing")


def newest_first(episodes: Sequence[EpisodeRecord]) -> list[EpisodeRecord]:
    """Episodes by ``published``, newest first (ties broken by guid, so the order is stable)."""
    return sorted(episodes, key=lambda r: (r.published, r.guid), reverse=True)


def render_feed(
    show: Show, episodes: Sequence[EpisodeRecord], *, feed_path: str = FEED_NAME
) -> bytes:
    """The RSS feed (UTF-8 bytes) of ``show`` with ``episodes``, newest first.

    Lists at most ``show.max_episodes`` episodes when that is set (0: all of them).
    ``feed_path`` is where the feed will live under the output folder (for the self link and
    ``podcast:guid``). ``lastBuildDate`` is the newest episode's date, so the same catalog
    always gives the same bytes. Raises ``PublishError`` naming every invalid field at once.
    """
    problems = _show_problems(show) + _episode_problems(episodes)
    if not feed_path.strip():
        problems.append("feed_path is empty")
    if problems:
        raise PublishError(
            f"cannot write the feed, {len(problems)} problem(s): " + "; ".join(problems),
            "fix [show] in narrate.toml (base_url must look like https://example.com/podcast/)"
            " or rebuild the listed episodes",
        )
    ordered = newest_first(episodes)
    if show.max_episodes:
        ordered = ordered[: show.max_episodes]
    last_build = ordered[0].published if ordered else datetime.now(UTC)
    xml = _Writer()
    # The namespaces in use, by prefix (as ElementTree declared them): content:encoded is an
    # item's.
    used = [("atom", ATOM_NS)] + ([("content", CONTENT_NS)] if ordered else [])
    used += [("itunes", ITUNES_NS), ("podcast", PODCAST_NS)]
    namespaces = {f"xmlns:{prefix}": uri for prefix, uri in used}
    with xml.element("rss", **namespaces, version="2.0"), xml.element("channel"):
        _add_channel_head(xml, show, show.url(feed_path), last_build)
        for record in ordered:
            _add_item(xml, show, record)
    return f"{XML_DECLARATION}{xml.text()}\n".encode()
