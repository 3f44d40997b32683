"""The preview server: Range requests, content types, and what it must never serve."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from narrate.errors import ConfigError, PublishError
from narrate.serve import make_server, parse_range

AUDIO = bytes(range(256)) * 40  # 10,240 distinct-enough bytes


@pytest.fixture
def output(tmp_path: Path) -> Path:
    root = tmp_path / "output"
    (root / "episodes" / "a").mkdir(parents=True)
    (root / "episodes" / "a" / "a.mp3").write_bytes(AUDIO)
    (root / "episodes" / "a" / "a.vtt").write_text("WEBVTT\n")
    (root / "episodes" / "a" / "transcript-1.srt").write_text("1\n")
    (root / "episodes" / "a" / "transcript-1.json").write_text("{}")
    (root / "episodes" / "a" / "chapters-1.json").write_text("{}")
    (root / "episodes" / "a" / "index.html").write_text("<p>episode</p>")
    (root / "feed.xml").write_text("<rss/>")
    (root / "index.html").write_text("<p>show</p>")
    (root / ".narrate").mkdir()
    (root / ".narrate" / "catalog.db").write_bytes(b"SQLite format 3\x00")
    (tmp_path / "secret.txt").write_text("outside the output folder")
    (root / "link-out").symlink_to(tmp_path / "secret.txt")
    return root


@pytest.fixture
def port(output: Path) -> Iterator[int]:
    server = make_server(output, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def get(
    port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, path, headers=headers or {})  # path sent as is, no cleanup
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_whole_file_with_types(port: int) -> None:
    status, headers, body = get(port, "/episodes/a/a.mp3")
    assert status == 200 and body == AUDIO
    assert headers["Content-Type"] == "audio/mpeg"
    assert headers["Accept-Ranges"] == "bytes"
    assert get(port, "/episodes/a/a.vtt")[1]["Content-Type"].startswith("text/vtt")
    assert get(port, "/feed.xml")[1]["Content-Type"].startswith("application/rss+xml")
    status, headers, body = get(port, "/")
    assert status == 200 and body == b"<p>show</p>"
    assert headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=100-199", 100, 199), ("bytes=10000-", 10000, 10239), ("bytes=-40", 10200, 10239)],
)
def test_range_request(port: int, header: str, first: int, last: int) -> None:
    status, headers, body = get(port, "/episodes/a/a.mp3", {"Range": header})
    assert status == 206
    assert body == AUDIO[first : last + 1]
    assert headers["Content-Range"] == f"bytes {first}-{last}/{len(AUDIO)}"
    assert headers["Content-Length"] == str(last - first + 1)


def test_unsatisfiable_range(port: int) -> None:
    status, headers, _ = get(port, "/episodes/a/a.mp3", {"Range": "bytes=999999-"})
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{len(AUDIO)}"


def test_head_sends_no_body(port: int) -> None:
    status, headers, body = get(port, "/episodes/a/a.mp3", method="HEAD")
    assert status == 200 and body == b"" and headers["Content-Length"] == str(len(AUDIO))


@pytest.mark.parametrize(
    "path",
    [
        "/.narrate/catalog.db",
        "/.narrate/",
        "/%2enarrate/catalog.db",
        "/episodes/../.narrate/catalog.db",
        "/../secret.txt",
        "/episodes/a/../../../secret.txt",
        "/%2e%2e/secret.txt",
        "/link-out",
        "/missing.mp3",
        "/episodes/",  # no index.html there: no listing either
    ],
)
def test_refused_paths(port: int, path: str) -> None:
    status, _, body = get(port, path)
    assert status == 404
    assert b"SQLite" not in body and b"outside" not in body


def test_folder_without_slash_redirects(port: int) -> None:
    status, headers, _ = get(port, "/episodes/a")
    assert status == 301 and headers["Location"] == "/episodes/a/"


@pytest.mark.parametrize(
    ("path", "mime", "cors"),
    [
        ("/episodes/a/a.mp3", "audio/mpeg", False),
        ("/episodes/a/a.vtt", "text/vtt; charset=utf-8", True),
        ("/episodes/a/transcript-1.srt", "application/x-subrip; charset=utf-8", True),
        ("/episodes/a/transcript-1.json", "application/json", True),
        ("/episodes/a/chapters-1.json", "application/json+chapters", True),
        ("/feed.xml", "application/rss+xml; charset=utf-8", True),
        ("/index.html", "text/html; charset=utf-8", False),
    ],
)
def test_types_and_cors(port: int, path: str, mime: str, cors: bool) -> None:
    status, headers, _ = get(port, path, method="HEAD")
    assert status == 200 and headers["Content-Type"] == mime
    assert (headers.get("Access-Control-Allow-Origin") == "*") is cors


def test_conditional_requests_get_304_until_the_file_changes(port: int, output: Path) -> None:
    status, headers, _ = get(port, "/episodes/a/a.mp3")
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and etag.startswith('"')
    status, again, body = get(port, "/episodes/a/a.mp3", {"If-None-Match": etag})
    assert (status, body, again["ETag"]) == (304, b"", etag)
    assert get(port, "/episodes/a/a.mp3", {"If-Modified-Since": modified})[0] == 304
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
    mixed = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert get(port, "/episodes/a/a.mp3", mixed)[0] == 200
    path = output / "episodes" / "a" / "a.mp3"
    path.write_bytes(AUDIO + b"new")  # replaced: its validator changes
    status, headers, body = get(port, "/episodes/a/a.mp3", {"If-None-Match": etag})
    assert status == 200 and body == AUDIO + b"new" and headers["ETag"] != etag


def test_if_range_with_a_stale_validator_sends_the_whole_file(port: int) -> None:
    etag = get(port, "/episodes/a/a.mp3", method="HEAD")[1]["ETag"]
    status, _, body = get(port, "/episodes/a/a.mp3", {"Range": "bytes=0-9", "If-Range": etag})
    assert (status, body) == (206, AUDIO[:10])
    stale = {"Range": "bytes=0-9", "If-Range": '"stale"'}
    status, _, body = get(port, "/episodes/a/a.mp3", stale)
    assert (status, body) == (200, AUDIO)


def test_cors_preflight(port: int) -> None:
    status, headers, _ = get(port, "/episodes/a/a.vtt", method="OPTIONS")
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    assert "Range" in headers["Access-Control-Allow-Headers"]


def test_parse_range() -> None:
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=5-100", 10) == (5, 9)
    assert parse_range("bytes=0-1,4-5", 10) is None  # several ranges: send it all
    assert parse_range("items=0-1", 10) is None
    with pytest.raises(ValueError):
        parse_range("bytes=10-", 10)


def test_missing_folder_is_a_publish_error(tmp_path: Path) -> None:
    with pytest.raises(PublishError):
        make_server(tmp_path / "nope", "127.0.0.1", 0)


def test_a_busy_port_is_an_option_error(tmp_path: Path) -> None:
    first = make_server(tmp_path, "127.0.0.1", 0)
    try:
        with pytest.raises(ConfigError) as caught:
            make_server(tmp_path, "127.0.0.1", first.server_address[1])
        assert "--port" in caught.value.hint
    finally:
        first.server_close()
