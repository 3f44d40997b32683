"""URL sources, against a server on 127.0.0.1: pages, redirects, and every way a fetch fails."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date

import pytest

from narrate.errors import InputError
from narrate.intake.fetch import fetch, is_url
from narrate.intake.source import load_article

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Pier lights repaired | Bay Post</title>
<meta name="author" content="Lou Marsh">
<meta property="article:published_time" content="2025-02-01">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article>
<h1>Pier lights repaired</h1>
<p>The lights along the pier were switched on again on Saturday, a month after a storm broke
half of them. The caf\xe9 at the end of the pier stayed open late to celebrate.</p>
<p>Engineers replaced forty lamps and the cables under the boardwalk, the council said.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>
""".encode("cp1252")

DUMP = (
    b"Menu\nPier lights repaired\nBy Lou Marsh\n\n"
    b"The lights along the pier were switched on again on Saturday, a month after a storm "
    b"broke half of them.\n\n"
    b"Engineers replaced forty lamps and the cables under the boardwalk, the council said.\n\n"
    b"Subscribe\n"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drip(self, data: bytes, every_s: float = 0.05) -> None:
        for offset in range(len(data)):
            self.wfile.write(data[offset : offset + 1])
            time.sleep(every_s)

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        routes = {
            "/pier.html": (PAGE, "text/html; charset=windows-1252"),
            "/pier.txt": (DUMP, "text/plain; charset=utf-8"),
            "/paper.pdf": (b"%PDF-1.4 not a page", "application/pdf"),
        }
        if self.path in routes:
            self._send(*routes[self.path])
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/pier.html")
            self.end_headers()
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path == "/huge":  # says how big it is
            self._send(b"<p>" + b"x" * 5000 + b"</p>", "text/html")
        elif self.path == "/endless":  # does not say: the cap must hold while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"<p>" + b"x" * 1000 + b"</p>")
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(PAGE, "text/html")
        elif self.path == "/drip":  # every read is quick, the whole answer is not
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self._drip(PAGE)
        elif self.path == "/drip-headers":
            self._drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-Pad: y\r\n" * 40)
        else:
            self._send(b"not here", "text/plain", status=404)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that stops reading at the size cap breaks the pipe: expected


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_an_html_page_is_fetched_and_read(server: str) -> None:
    article = load_article(f"{server}/pier.html")
    assert article.title == "Pier lights repaired"
    assert article.byline == "Lou Marsh"
    assert article.published == date(2025, 2, 1)
    assert article.paragraphs[0].text.endswith(
        "The café at the end of the pier stayed open late to celebrate."
    )
    assert article.source_url == f"{server}/pier.html"
    assert article.source_name == f"{server}/pier.html"
    assert "Subscribe" not in article.body_text


def test_a_text_dump_is_fetched_and_read(server: str) -> None:
    article = load_article(f"{server}/pier.txt")
    assert article.title == "Pier lights repaired"
    assert article.byline == "Lou Marsh"
    assert len(article.paragraphs) == 2
    assert article.source_url == f"{server}/pier.txt"


def test_a_redirect_is_followed_and_the_final_url_kept(server: str) -> None:
    page = fetch(f"{server}/moved", max_bytes=100_000)
    assert page.url == f"{server}/pier.html"
    assert page.content_type == "text/html" and page.charset == "windows-1252"


def _refused(url: str, **kwargs: float) -> InputError:
    with pytest.raises(InputError) as caught:
        if kwargs:
            fetch(url, max_bytes=100_000, **kwargs)
        else:
            load_article(url, max_bytes=4000)
    error = caught.value
    assert error.message and error.hint and "\n" not in error.message
    return error


def test_http_errors(server: str) -> None:
    assert "answered HTTP 404" in _refused(f"{server}/gone").message


def test_size_cap_with_and_without_a_length(server: str) -> None:
    assert "bigger than 4,000 bytes" in _refused(f"{server}/huge").message
    assert "bigger than 4,000 bytes" in _refused(f"{server}/endless").message


def test_not_a_page(server: str) -> None:
    assert "application/pdf" in _refused(f"{server}/paper.pdf").message


def test_timeout(server: str) -> None:
    error = _refused(f"{server}/slow", timeout_s=0.3)
    assert "did not answer within 0.3 seconds" in error.message


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_the_time_limit_is_for_the_whole_request(server: str, path: str) -> None:
    # Regression (issue 17): the timeout was per socket read, so a server sending a byte every
    # 50 ms (here, for a minute) held the build as long as it liked.
    error = _refused(f"{server}{path}", timeout_s=0.5)
    assert "did not answer within 0.5 seconds" in error.message


def test_redirect_to_another_scheme_is_refused(server: str) -> None:
    assert "only http and https" in _refused(f"{server}/to-file").message


def test_offline_or_nothing_listening() -> None:
    with socket.socket() as probe:  # a port on this machine where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = _refused(f"http://127.0.0.1:{port}/article")
    assert error.message.startswith(f"could not fetch http://127.0.0.1:{port}/article")
    assert "network" in error.hint


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/a.html", "file:///etc/hostname", "gopher://x"])
def test_only_http_and_https(url: str) -> None:
    assert "only http and https" in _refused(url).message


def test_is_url() -> None:
    assert is_url("https://example.org/a") and is_url("ftp://x")
    assert not is_url("story.html") and not is_url("-") and not is_url("C:\\news\\a.html")
