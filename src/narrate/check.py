"""``narrate check``: is a published show what podcast apps need, wherever it is hosted?

Given the URL of a deployed show (its folder or its feed) the checks go over real HTTP, as an app
would: the feed's type and contents, then for each episode the enclosure (HEAD, its
``Content-Length`` equal to the feed's ``length``, ``audio/mpeg``, byte ranges answered 206 with
``Content-Range`` and 416 past the end, a conditional request answered 304), each transcript and
the chapters (type, CORS, readable), and the show's cover and every episode's art (Apple's artwork
rules). Given a folder, the
same feed is checked against the files on disk (sizes, types, MP3 durations, the art each MP3
carries).

Each check gives a ``Finding``; nothing is raised for a failed check, so every problem is listed.
Whatever a server sends is read as hostile: each request has a deadline for the whole of it
(``--timeout``), bodies are capped, and the feed is parsed by defusedxml, which refuses entity
declarations (the "billion laughs") and external references instead of expanding them.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from narrate.errors import InputError, NarrateError
from narrate.intake.fetch import Deadline
from narrate.layout import FEED_NAME, content_type, media_type
from narrate.publishing.feed import ATOM_NS, ITUNES_NS, PODCAST_NS

MAX_FEED_BYTES = 20 * 1024 * 1024
MAX_SIDE_FILE_BYTES = 20 * 1024 * 1024  # transcripts, chapters, the cover
USER_AGENT = "narrate-check"


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str  # the file or URL checked
    detail: str  # what was checked, and what was found when it failed


@dataclass(frozen=True)
class _Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class _Link:
    url: str
    mime: str
    length: int | None = None  # the enclosure's declared length
    about: str = "cover art"  # an image's: the show's cover, or an episode's art


def check(target: str, *, timeout: float = 15.0) -> list[Finding]:
    """Check the show at ``target``: an http(s) URL (the folder or the feed) or a folder."""
    if urlsplit(target).scheme in {"http", "https"}:
        return _HttpCheck(target, timeout).run()
    folder = Path(target)
    if not (folder / FEED_NAME).is_file():
        raise InputError(
            f"{target} is neither an http(s) URL nor a folder with a {FEED_NAME}",
            "give the show's public URL (https://host/podcast/) or its output folder",
        )
    return _FolderCheck(folder).run()


def _mime(header: str | None) -> str:
    return (header or "").split(";")[0].strip().lower()


class _Checker:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def note(self, ok: bool, what: str, detail: str) -> bool:
        self.findings.append(Finding(ok, what, detail))
        return ok

    def feed(self, data: bytes, where: str) -> tuple[list[_Link], list[_Link], str | None]:
        """Parse the feed: (enclosures, side files (transcripts, chapters, cover), self link)."""
        try:
            channel = SafeET.fromstring(data).find("channel")
        except ET.ParseError as exc:
            self.note(False, where, f"the feed is not well-formed XML: {exc}")
            return [], [], None
        except DefusedXmlException as exc:
            self.note(False, where, f"the feed declares entities or a DTD, refused: {exc}")
            return [], [], None
        if channel is None:
            self.note(False, where, "the feed has no <channel>")
            return [], [], None
        items = channel.findall("item")
        self.note(bool(items), where, f"the feed lists {len(items)} episode(s)")
        for tag in ("title", "description", "language", f"{{{ITUNES_NS}}}image"):
            self.note(channel.find(tag) is not None, where, f"channel has <{_short(tag)}>")
        side: list[_Link] = []
        image = channel.find(f"{{{ITUNES_NS}}}image")
        if image is not None and image.get("href"):
            side.append(_Link(str(image.get("href")), "image"))
        enclosures: list[_Link] = []
        for item in items:
            title = item.findtext("title") or "?"
            enclosure = item.find("enclosure")
            if enclosure is None or not enclosure.get("url"):
                self.note(False, where, f"episode {title!r} has no enclosure")
                continue
            length = enclosure.get("length") or ""
            ok = length.isdigit() and int(length) > 0
            self.note(ok, where, f"episode {title!r} enclosure length is {length!r}")
            enclosures.append(
                _Link(
                    str(enclosure.get("url")),
                    _mime(enclosure.get("type")),
                    int(length) if ok else 0,
                )
            )
            art = item.find(f"{{{ITUNES_NS}}}image")
            if art is not None and art.get("href"):  # held to the show cover's rules
                side.append(_Link(str(art.get("href")), "image", about=f"episode {title!r} art"))
            for tag in ("transcript", "chapters"):
                for link in item.findall(f"{{{PODCAST_NS}}}{tag}"):
                    side.append(_Link(str(link.get("url")), _mime(link.get("type"))))
        self_link = channel.find(f"{{{ATOM_NS}}}link[@rel='self']")
        return enclosures, side, None if self_link is None else self_link.get("href")

    def side_file(self, link: _Link, served_type: str, body: bytes) -> None:
        """A transcript, the chapters or the cover, as fetched or read."""
        if link.mime == "image":
            from narrate.publishing.cover import cover_problems

            problems = cover_problems(body)
            self.note(not problems, link.url, f"{link.about}: " + ("; ".join(problems) or "ok"))
            return
        self.note(
            served_type == link.mime,
            link.url,
            f"type {served_type or 'none'} (the feed says {link.mime})",
        )
        if "json" in link.mime:
            try:
                json.loads(body)
                self.note(True, link.url, "valid JSON")
            except ValueError as exc:
                self.note(False, link.url, f"not valid JSON: {exc}")
        elif link.mime == "text/vtt":
            self.note(body.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"), link.url, "WebVTT header")


def _short(tag: str) -> str:
    return tag.replace(f"{{{ITUNES_NS}}}", "itunes:")


class _HttpCheck(_Checker):
    def __init__(self, target: str, timeout: float) -> None:
        super().__init__()
        self.feed_url = target if target.endswith(".xml") else urljoin(target + "/", FEED_NAME)
        self.timeout = timeout

    def fetch(
        self, url: str, method: str = "GET", headers: dict[str, str] | None = None, limit: int = 0
    ) -> _Response | None:
        if urlsplit(url).scheme not in {"http", "https"}:
            self.note(False, url, "not an http(s) URL")
            return None
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": USER_AGENT, **(headers or {})}
        )
        with Deadline(self.timeout) as deadline:
            try:
                with deadline.opener().open(request, timeout=self.timeout) as response:
                    body = response.read(limit + 1) if limit else b""
                    found = {k.lower(): v for k, v in response.headers.items()}
                    if not deadline.expired:
                        return _Response(response.status, found, body)
            except urllib.error.HTTPError as exc:
                found = {k.lower(): v for k, v in exc.headers.items()}
                return _Response(exc.code, found, b"")
            except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
                if not deadline.expired:
                    self.note(False, url, f"cannot be fetched: {getattr(exc, 'reason', exc)}")
                    return None
        self.note(False, url, f"did not answer within {self.timeout:g} seconds")
        return None

    def run(self) -> list[Finding]:
        response = self.fetch(self.feed_url, limit=MAX_FEED_BYTES)
        if response is None:
            return self.findings
        if not self.note(response.status == 200, self.feed_url, f"status {response.status}"):
            return self.findings
        mime = _mime(response.headers.get("content-type"))
        ok = mime in {"application/rss+xml", "application/xml", "text/xml"}
        self.note(ok, self.feed_url, f"type {mime or 'none'}")
        enclosures, side, self_link = self.feed(response.body, self.feed_url)
        if self_link is not None:
            self.note(self_link == self.feed_url, self.feed_url, f"atom self link is {self_link}")
        for enclosure in enclosures:
            self.enclosure(enclosure)
        for link in side:
            got = self.fetch(link.url, limit=MAX_SIDE_FILE_BYTES)
            if got is not None and self.note(got.status == 200, link.url, f"status {got.status}"):
                if link.mime != "image":
                    cors = got.headers.get("access-control-allow-origin")
                    self.note(cors is not None, link.url, f"CORS header {cors or 'missing'}")
                self.side_file(link, _mime(got.headers.get("content-type")), got.body)
        return self.findings

    def enclosure(self, link: _Link) -> None:
        url, length = link.url, link.length or 0
        head = self.fetch(url, "HEAD")
        if head is None or not self.note(head.status == 200, url, f"HEAD status {head.status}"):
            return
        size = head.headers.get("content-length")
        self.note(size == str(length), url, f"Content-Length {size} (the feed says {length})")
        mime = _mime(head.headers.get("content-type"))
        self.note(mime == link.mime, url, f"type {mime or 'none'} (the feed says {link.mime})")
        ranges = head.headers.get("accept-ranges")
        self.note(ranges == "bytes", url, f"Accept-Ranges {ranges or 'missing'}")
        part = self.fetch(url, headers={"Range": "bytes=0-1"}, limit=2)
        if part is not None:
            content_range = part.headers.get("content-range")
            ok = part.status == 206 and content_range == f"bytes 0-1/{length}"
            self.note(ok, url, f"range 0-1: status {part.status}, Content-Range {content_range}")
        past = self.fetch(url, headers={"Range": f"bytes={length}-"}, limit=1)
        if past is not None:
            self.note(past.status == 416, url, f"range past the end: status {past.status}")
        etag, modified = head.headers.get("etag"), head.headers.get("last-modified")
        if not self.note(bool(etag or modified), url, "has an ETag or Last-Modified"):
            return
        condition = {"If-None-Match": etag} if etag else {"If-Modified-Since": str(modified)}
        again = self.fetch(url, headers=condition, limit=1)
        if again is not None:
            self.note(again.status == 304, url, f"conditional GET: status {again.status}")


class _FolderCheck(_Checker):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def local(self, url: str, base: str) -> Path | None:
        if not url.startswith(base):
            self.note(False, url, f"is not under the show's base URL {base}")
            return None
        parts = [p for p in url[len(base) :].split("/") if p]
        path = self.folder.joinpath(*parts)
        if any(p in {"..", "."} for p in parts) or not path.is_file():
            self.note(False, url, f"no file {path}")
            return None
        return path

    def run(self) -> list[Finding]:
        feed_path = self.folder / FEED_NAME
        enclosures, side, self_link = self.feed(feed_path.read_bytes(), str(feed_path))
        if not self_link:
            self.note(False, str(feed_path), "no atom self link: cannot map URLs to files")
            return self.findings
        base = self_link.rsplit("/", 1)[0] + "/"
        from narrate.publishing.cover import tag_art_problems
        from narrate.publishing.tagging import embedded_cover, mp3_duration_ms

        for link in enclosures:
            path = self.local(link.url, base)
            if path is None:
                continue
            size = path.stat().st_size
            self.note(size == link.length, str(path), f"{size} bytes (the feed says {link.length})")
            self.note(content_type(path) == link.mime, str(path), f"served as {content_type(path)}")
            try:
                self.note(mp3_duration_ms(path) > 0, str(path), "a readable MP3")
            except NarrateError as exc:
                self.note(False, str(path), exc.message)
            art = embedded_cover(path)
            problems = tag_art_problems(art) if art else ["there is none"]
            self.note(not problems, str(path), "the MP3's art: " + ("; ".join(problems) or "ok"))
        for link in side:
            path = self.local(link.url, base)
            if path is not None:
                self.side_file(link, media_type(path), path.read_bytes())
        return self.findings
