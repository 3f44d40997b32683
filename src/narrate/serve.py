"""A preview web server over the output folder (``narrate serve``).

Serves files only (no directory listings), with the types podcast players and browsers expect,
validators for conditional requests (ETag and Last-Modified, answered 304 when unchanged), CORS
on transcripts, chapters and the feed, and HTTP Range requests (RFC 9110 section 14, https://www.rfc-editor.org/rfc/rfc9110#name-range-requests),
which browsers need to seek in audio. Any path with a component starting with "." (``..``, the
catalog in ``.narrate/``, ``.git``) or leading outside the folder is answered 404.
It is a preview: bind it to localhost, put a real web server or object storage in production.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

from narrate.errors import ConfigError, PublishError
from narrate.layout import CONTENT_TYPES, CORS_SUFFIXES, INDEX_NAME, content_type

logger = logging.getLogger(__name__)

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


def entity_tag(size: int, mtime_ns: int) -> str:
    """A strong validator for a file that changes only by being replaced (an atomic rename)."""
    return f'"{mtime_ns:x}-{size:x}"'


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``(first, last)`` byte positions (inclusive) of a single-range ``Range`` header.

    Returns ``None`` when the header should be ignored (not bytes, several ranges, malformed:
    the full file is then sent, as RFC 9110 allows) and raises ``ValueError`` when the range
    cannot be satisfied (the caller answers 416).
    """
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # "bytes=-500": the last 500 bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise ValueError("empty suffix range")
        return max(0, size - suffix), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size:
        raise ValueError("range starts after the end of the file")
    if last < first:
        return None
    return first, min(last, size - 1)


class PreviewHandler(SimpleHTTPRequestHandler):
    """GET and HEAD for files under ``directory``; 404 for hidden or escaping paths."""

    server_version = "narrate-preview"
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def resolve(self) -> Path | None:
        """The file the request path names, or ``None`` when it must not be served."""
        raw = unquote(urlsplit(self.path).path)
        if "\\" in raw or "\x00" in raw:
            return None
        parts = [part for part in raw.split("/") if part]
        if any(part.startswith(".") for part in parts):  # "..", ".narrate", ".git", ...
            return None
        root = Path(self.directory).resolve()
        target = root.joinpath(*parts).resolve()
        if not target.is_relative_to(root):  # a symlink leading out of the folder
            return None
        if target.is_dir():
            index = target / INDEX_NAME
            return index if index.is_file() else None
        return target if target.is_file() else None

    def send_head(self) -> BinaryIO | None:
        path = self.resolve()
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        request_path = urlsplit(self.path).path
        if path.name == INDEX_NAME and not request_path.endswith(("/", ".html")):
            # a folder without its slash: redirect so that relative links resolve
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", request_path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        stat = path.stat()
        size = stat.st_size
        etag = entity_tag(size, stat.st_mtime_ns)
        modified = formatdate(stat.st_mtime, usegmt=True)
        if self._not_modified(etag, stat.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._send_validators(path, etag, modified)
            self.end_headers()
            return None
        byte_range: tuple[int, int] | None = None
        range_header = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if range_header and if_range and if_range.strip() not in {etag, modified}:
            range_header = None  # the client's copy is stale: send the whole new file
        if range_header:
            try:
                byte_range = parse_range(range_header, size)
            except ValueError:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
        file = path.open("rb")
        try:
            if byte_range is None:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Length", str(size))
                self._remaining = size
            else:
                first, last = byte_range
                file.seek(first)
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
                self.send_header("Content-Length", str(last - first + 1))
                self._remaining = last - first + 1
            self.send_header("Content-Type", content_type(path))
            self.send_header("Accept-Ranges", "bytes")
            self._send_validators(path, etag, modified)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
        except Exception:
            file.close()
            raise
        return file

    def _not_modified(self, etag: str, mtime: float) -> bool:
        """RFC 9110 section 13.2.2: If-None-Match first; If-Modified-Since only without it."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _send_validators(self, path: Path, etag: str, modified: str) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Cache-Control", "no-cache")  # use the copy, but ask if it is current
        if path.suffix.lower() in CORS_SUFFIXES:
            self.send_header("Access-Control-Allow-Origin", "*")

    def do_OPTIONS(self) -> None:  # noqa: N802 - the http.server naming
        """CORS preflight: a web player asking to fetch a transcript with a Range header."""
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Range, If-None-Match, If-Modified-Since")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def copyfile(self, source: Any, outputfile: Any) -> None:
        """Send ``self._remaining`` bytes (the whole file, or the requested range)."""
        remaining = self._remaining
        try:
            while remaining > 0:
                chunk = source.read(min(_CHUNK, remaining))
                if not chunk:
                    break
                outputfile.write(chunk)
                remaining -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # browsers drop media requests as soon as they have what they need
            logger.debug("client closed the connection during %s", self.path)

    def list_directory(self, path: Any) -> None:  # never list folders
        self.send_error(HTTPStatus.NOT_FOUND, "Not found")
        return None

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)


def make_server(output_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A preview server over ``output_dir`` (not started: call ``serve_forever``).

    ``port=0`` picks a free port (read it from ``server.server_address``).
    """
    if not output_dir.is_dir():
        raise PublishError(
            f"no output folder at {output_dir}",
            "build an episode first, or point --output at the folder narrate wrote",
        )
    handler = partial(PreviewHandler, directory=str(output_dir.resolve()))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise ConfigError(  # a --host or --port that can't be used: an option value
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            "choose another port with --port (or stop the program using this one)",
        ) from exc
    server.daemon_threads = True
    return server


def server_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    host_text = host.decode() if isinstance(host, bytes) else str(host)
    if ":" in host_text:
        host_text = f"[{host_text}]"
    return f"http://{host_text}:{port}/"


def serve(
    output_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``output_dir`` until interrupted; ``ready(url)`` is called once it listens."""
    server = make_server(output_dir, host, port)
    url = server_url(server)
    logger.info("serving %s at %s", output_dir, url)
    if ready is not None:
        ready(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()


__all__ = [
    "PreviewHandler",
    "entity_tag",
    "make_server",
    "parse_range",
    "serve",
    "server_url",
]
