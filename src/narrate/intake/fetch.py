"""URL sources: fetch one http(s) page, within a deadline and a size cap, and nothing else.

Only ``http`` and ``https`` are fetched, redirects included (at most five, never to another
scheme). The standard library does the work: no cookies, no JavaScript, no other request.

The time limit is for the whole request, redirects and body included: a socket timeout alone
limits each read, so a server that drips a byte at a time could keep a build busy for hours.
At the deadline a watchdog shuts the request's sockets, which ends whatever read is waiting.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import re
import socket
import ssl
import threading
import time
import typing
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from narrate.errors import InputError
from narrate.version import __version__

logger = logging.getLogger(__name__)

TIMEOUT_S = 20.0
MAX_REDIRECTS = 5
USER_AGENT = f"narrate/{__version__} (+article to podcast)"
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_OFFLINE_HINT = "check the address and the network, or save the page and give narrate the file"


@dataclass(frozen=True)
class Fetched:
    """A fetched page: its bytes, the URL it ended at, and what the server said it is."""

    data: bytes
    url: str
    content_type: str  # e.g. "text/html" ("" when the server did not say)
    charset: str | None


def is_url(source: str) -> bool:
    """Whether ``source`` names a URL (any scheme) rather than a file."""
    return bool(_URL.match(source))


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: typing.IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
    ) -> typing.Any:
        location = headers.get("Location") or headers.get("URI") or ""
        target = urllib.parse.urljoin(req.full_url, location)
        _check_scheme(target, f"{req.full_url} redirects to {target}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _check_scheme(url: str, what: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(
            f"{what}: narrate fetches only http and https URLs, not {scheme or 'this'}",
            "give an http(s) address, or a saved file",
        )


class Deadline:
    """A whole request's time limit: each socket the request opens is shut when it passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(0.001, self.ends - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if not self.expired:
                return
        self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # a read waiting on it returns at once

    def opener(self, *handlers: urllib.request.BaseHandler) -> urllib.request.OpenerDirector:
        """An opener whose connections this deadline watches."""
        deadline = self

        class Watched(http.client.HTTPConnection):
            def connect(self) -> None:
                self.timeout = min(float(self.timeout or TIMEOUT_S), deadline.remaining())
                super().connect()
                deadline.watch(self.sock)

        class WatchedTLS(http.client.HTTPSConnection):
            def connect(self) -> None:
                self.timeout = min(float(self.timeout or TIMEOUT_S), deadline.remaining())
                super().connect()
                deadline.watch(self.sock)

        class HTTP(urllib.request.HTTPHandler):
            def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(Watched, req)

        class HTTPS(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(WatchedTLS, req, context=self._context)  # type: ignore[attr-defined]

        return urllib.request.build_opener(HTTP(), HTTPS(), *handlers)


def fetch(url: str, *, max_bytes: int, timeout_s: float = TIMEOUT_S) -> Fetched:
    """GET ``url``; :class:`InputError` with a hint for every way that can fail (taking more
    than ``timeout_s`` in all is one)."""
    _check_scheme(url, url)
    if not urllib.parse.urlsplit(url).hostname:
        raise InputError(f"{url} has no host name", "give a full address: https://host/path")
    with Deadline(timeout_s) as deadline:
        try:
            return _get(url, max_bytes, deadline)
        except InputError:
            raise
        except Exception:
            if deadline.expired:  # whatever the shut sockets made the read raise
                raise _timed_out(url, timeout_s) from None
            raise


def _get(url: str, max_bytes: int, deadline: Deadline) -> Fetched:
    timeout_s = deadline.seconds
    opener = deadline.opener(_Redirects())
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,text/markdown;q=0.9",
        },
    )
    logger.debug("fetching %s", url)
    try:
        with opener.open(request, timeout=timeout_s) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise _too_big(url, max_bytes)
            data = response.read(max_bytes + 1)
            if deadline.expired:  # the body was cut short at the deadline
                raise _timed_out(url, timeout_s)
            if len(data) > max_bytes:
                raise _too_big(url, max_bytes)
            headers = response.headers
            final_url = response.geturl()
    except InputError:
        raise
    except urllib.error.HTTPError as exc:
        raise InputError(
            f"{url} answered HTTP {exc.code} ({exc.reason})",
            "check the address; a page behind a login or paywall must be saved from a browser",
        ) from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or deadline.expired:
            raise _timed_out(url, timeout_s) from exc
        if isinstance(reason, ssl.SSLError):
            raise InputError(
                f"could not fetch {url}: TLS failed ({reason})", _OFFLINE_HINT
            ) from exc
        raise InputError(f"could not fetch {url}: {_reason(reason)}", _OFFLINE_HINT) from exc
    except TimeoutError as exc:
        raise _timed_out(url, timeout_s) from exc
    except (OSError, ValueError, http.client.HTTPException) as exc:  # resets, malformed answers
        if deadline.expired:
            raise _timed_out(url, timeout_s) from exc
        raise InputError(f"could not fetch {url}: {exc}", _OFFLINE_HINT) from exc
    content_type = headers.get_content_type() if headers.get("Content-Type") else ""
    return Fetched(data, final_url, content_type, headers.get_content_charset())


def _reason(reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        return "the host name could not be resolved (offline?)"
    if isinstance(reason, ConnectionRefusedError):
        return "the connection was refused"
    return str(getattr(reason, "strerror", None) or reason)


def _too_big(url: str, max_bytes: int) -> InputError:
    return InputError(
        f"{url} is bigger than {max_bytes:,} bytes",
        "narrate reads one article at a time; give the article's own page",
    )


def _timed_out(url: str, timeout_s: float) -> InputError:
    return InputError(f"{url} did not answer within {timeout_s:g} seconds", _OFFLINE_HINT)
