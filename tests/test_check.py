"""Published shows checked as podcast apps see them, over real HTTP and on disk.

Two real episodes (the pyttsx3 engine): the bundled example, and an article with sections. Their
MP3s are read back by mutagen and decoded by ffmpeg, their loudness measured, and the show served
by ``narrate serve``'s server is probed by ``narrate check``. A server that ignores ranges, CORS
and validators (Python's plain ``http.server``) must fail the same checks.
"""

from __future__ import annotations

import http.server
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode
from PIL import Image
from pydub import AudioSegment
from typer.testing import CliRunner

from conftest import EXAMPLE
from narrate.audio.ffmpeg import ffmpeg_exe
from narrate.audio.master import measure_loudness
from narrate.check import check
from narrate.cli import app
from narrate.config import load_settings
from narrate.errors import ExitStatus, InputError
from narrate.models import EpisodeRecord
from narrate.pipeline import build_episode
from narrate.publishing.writer import publish
from narrate.serve import make_server, server_url

SECTIONS = """# Tide gauges return to the harbour

By Ada Quill

The harbour board has put new tide gauges on all three piers. They report every minute.

## Why the old gauges failed

Salt got into the old gauges' wiring. Two of them stopped in the storms of last winter.

## What boaters will see

The readings go to a board by the ferry terminal and to the harbour's website.
"""


@pytest.fixture(scope="module")
def show(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path, list[EpisodeRecord]]]:
    """The two episodes built and published into a folder its own server is serving."""
    root = tmp_path_factory.mktemp("show")
    out = root / "output"
    out.mkdir()
    server = make_server(out, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = server_url(server)
    settings = load_settings(output_dir=out, base_url=url, cwd=root)
    article = root / "tide-gauges.md"
    article.write_text("---\nimage: lead.png\n---\n" + SECTIONS, encoding="utf-8")
    Image.new("RGB", (1024, 576), (30, 90, 160)).save(root / "lead.png")  # the episode's art
    records = [publish(build_episode(str(p), settings), settings) for p in (EXAMPLE, article)]
    yield url, out, records
    server.shutdown()
    server.server_close()


def failures(findings: list) -> list:  # type: ignore[type-arg]
    return [f for f in findings if not f.ok]


@pytest.mark.slow
@pytest.mark.engine
def test_the_served_show_passes_every_check(show: tuple[str, Path, list[EpisodeRecord]]) -> None:
    url, _, records = show
    findings = check(url)
    assert failures(findings) == []
    details = " ".join(f.detail for f in findings)
    for expected in ("range 0-1: status 206", "range past the end: status 416",
                     "conditional GET: status 304", "CORS header *",
                     "type application/x-subrip", "type application/json+chapters",
                     "cover art: ok", "art: ok"):  # fmt: skip
        assert expected in details
    assert (
        sum(f.detail.startswith("episode ") and f.detail.endswith("art: ok") for f in findings) == 1
    )
    assert sum("Content-Length" in f.detail for f in findings) == len(records)


@pytest.mark.slow
@pytest.mark.engine
def test_the_folder_passes_and_a_truncated_mp3_fails(
    show: tuple[str, Path, list[EpisodeRecord]], tmp_path: Path
) -> None:
    _, out, records = show
    assert failures(check(str(out))) == []
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-a", str(out), str(copy)], check=True)
    mp3 = copy / records[0].audio_path
    mp3.write_bytes(mp3.read_bytes()[:1000])
    found = failures(check(str(copy)))
    assert any(f.what == str(mp3) and "1000 bytes" in f.detail for f in found), found


def test_a_server_without_ranges_or_cors_fails_the_checks(
    tmp_path: Path, article_file: Path
) -> None:
    out = tmp_path / "plain"
    out.mkdir()
    plain = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(out))
    )
    thread = threading.Thread(target=plain.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = server_url(plain)
        settings = load_settings(output_dir=out, base_url=url, voice="test-tone", cwd=tmp_path)
        publish(build_episode(str(article_file), settings), settings)
        found = failures(check(url))
    finally:
        plain.shutdown()
        plain.server_close()
    details = " | ".join(f.detail for f in found)
    assert "range 0-1: status 200" in details  # http.server ignores Range
    assert "CORS header missing" in details
    assert "the feed says application/json+chapters" in details


@pytest.mark.slow
@pytest.mark.engine
def test_the_mp3s_are_cbr_tagged_and_decode_cleanly(
    show: tuple[str, Path, list[EpisodeRecord]],
) -> None:
    _, out, records = show
    for record in records:
        mp3 = out / record.audio_path
        info = MP3(str(mp3)).info
        assert info.bitrate_mode == BitrateMode.CBR and info.bitrate == 64000
        assert info.sample_rate == 44100 and info.channels == 1
        tags = ID3(str(mp3))
        # The Info (CBR Xing) header in the first frame, with a frame count, is what players
        # read the duration from and seek by; ffmpeg's LAME extension carries "Lavc".
        first_frame = mp3.read_bytes()[tags.size : tags.size + 417]
        assert first_frame[:2] == b"\xff\xfb"  # MPEG-1 layer III sync
        assert first_frame[21:25] == b"Info"  # after the 17-byte mono side info
        flags, frames = struct.unpack(">II", first_frame[25:33])
        assert flags & 1 and abs(frames * 1152 / 44.1 - record.duration_ms) < 60
        assert first_frame[141:145] in {b"LAME", b"Lavc"}  # the LAME tag's encoder string
        assert abs(info.length * 1000 - record.duration_ms) < 50
        assert tags.version[:2] == (2, 3)
        apic = tags.getall("APIC")[0]
        assert apic.type == 3 and len(apic.data) <= 300 * 1024
        decoded = subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-nostdin", "-i", str(mp3), "-f", "null", "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert decoded.stderr == ""
        lufs, peak = measure_loudness(mp3)
        assert lufs is not None and abs(lufs + 16) <= 1.0, lufs
        assert peak is not None and peak <= -1.0, peak


@pytest.mark.slow
@pytest.mark.engine
def test_sections_become_chapters_in_the_mp3_and_the_json(
    show: tuple[str, Path, list[EpisodeRecord]],
) -> None:
    _, out, records = show
    record = records[1]
    tags = ID3(str(out / record.audio_path))
    (toc,) = tags.getall("CTOC")
    chapters = [tags[f"CHAP:{child}"] for child in toc.child_element_ids]
    titles = [str(c.sub_frames["TIT2"]) for c in chapters]
    assert titles == [
        "Introduction",
        "Article",
        "Why the old gauges failed",
        "What boaters will see",
        "About this episode",
    ]
    assert [c.start_time for c in chapters] == sorted(c.start_time for c in chapters)
    assert [c.title for c in record.chapters] == titles


def test_check_names_what_it_cannot_check(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="neither an http"):
        check(str(tmp_path))
    result = CliRunner().invoke(app, ["check", "http://127.0.0.1:9/"])
    assert result.exit_code == ExitStatus.CHECK_FAILED
    assert "FAIL\thttp://127.0.0.1:9/feed.xml\tcannot be fetched" in result.stdout


@pytest.mark.slow
@pytest.mark.engine
def test_no_level_jumps_between_segments(
    show: tuple[str, Path, list[EpisodeRecord]], tmp_path: Path
) -> None:
    _, out, records = show
    for record in records:
        wav = tmp_path / "decoded.wav"
        subprocess.run(
            [ffmpeg_exe(), "-v", "error", "-y", "-i", str(out / record.audio_path), str(wav)],
            check=True,
        )
        audio = AudioSegment.from_wav(str(wav))
        levels = [
            audio[c.start_ms : c.end_ms].dBFS for c in record.cues if c.end_ms - c.start_ms > 800
        ]
        assert max(levels) - min(levels) < 3.0, sorted(levels)  # measured: 1.4 and 1.6 dB


def test_a_malformed_enclosure_length_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    # Regression (review): int("12.5") ended the whole check with a traceback.
    (tmp_path / "feed.xml").write_text(
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>'
        '<atom:link rel="self" href="https://x.example/p/feed.xml"/>'
        '<item><title>a</title><enclosure url="https://x.example/p/a.mp3" length="12.5" '
        'type="audio/mpeg"/></item></channel></rss>',
        encoding="utf-8",
    )
    found = [f.detail for f in check(str(tmp_path)) if not f.ok]
    assert "episode 'a' enclosure length is '12.5'" in found


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    '<rss version="2.0"><channel><title>&c;</title></channel></rss>'
)


def test_a_feed_with_entity_declarations_is_refused_not_expanded(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text(BOMB, encoding="utf-8")
    found = [f.detail for f in check(str(tmp_path)) if not f.ok]
    assert any("declares entities or a DTD, refused" in detail for detail in found), found


class _Drip(http.server.BaseHTTPRequestHandler):
    """Answers at once and then sends its feed a byte every 50 ms: every read is quick."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        body = b'<rss version="2.0"><channel><title>slow</title></channel></rss>'
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for offset in range(len(body)):
            self.wfile.write(body[offset : offset + 1])
            time.sleep(0.05)


def test_a_server_that_drips_its_answer_is_given_up_on(tmp_path: Path) -> None:
    # Regression (issue 17): --timeout limited each read, not the request.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
        found = [f.detail for f in check(url, timeout=0.5) if not f.ok]
    finally:
        server.shutdown()
        server.server_close()
    assert found == ["did not answer within 0.5 seconds"]
