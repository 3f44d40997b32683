"""The player in a real headless Chromium: metadata, seeking, cue highlighting, no other hosts.

Needs a Chromium binary (``apt-get install chromium``; or set NARRATE_CHROMIUM to its path).
Without one the test is skipped, unless NARRATE_REQUIRE_BROWSER=1 (CI), where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import imageio_ffmpeg
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from narrate.models import Cue, EpisodeRecord, Show
from narrate.player import render_embed_page, render_episode_page
from narrate.serve import make_server
from narrate.transcript import render_webvtt

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
CUES = (
    Cue(0, 1500, "First sentence."),
    Cue(1500, 3000, "Second sentence."),
    Cue(3000, 4500, "Third sentence."),
    Cue(4500, 6000, "Fourth & last <sentence>."),
)
SCREENSHOT = Path("/tmp/narrate-episode-page.png")


def find_chromium() -> str:
    candidates = [os.environ.get("NARRATE_CHROMIUM")]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    reason = "no Chromium found (install it: apt-get install chromium, or set NARRATE_CHROMIUM)"
    if os.environ.get("NARRATE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + "; NARRATE_REQUIRE_BROWSER=1 requires the browser test to run")
    pytest.skip(reason)


@dataclass
class Site:
    root: str  # http://127.0.0.1:<port>/
    episode: EpisodeRecord
    show: Show


@dataclass
class Watch:
    """Everything a page did that the test must check: console errors and requested hosts."""

    errors: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    output = tmp_path_factory.mktemp("output")
    slug = "tone"
    folder = output / "episodes" / slug
    folder.mkdir(parents=True)
    mp3 = folder / f"{slug}-0123abcd.mp3"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
        + ["-f", "lavfi", "-i", "sine=frequency=440:duration=6"]
        + ["-ac", "1", "-ar", "44100", "-b:a", "64k", str(mp3)],
        check=True,
    )
    server = make_server(output, "127.0.0.1", 0)
    port = server.server_address[1]
    show = Show(
        title="Tone Desk",
        description="Six seconds of A.",
        author="Test Desk",
        base_url=f"http://127.0.0.1:{port}/",
    )
    episode = EpisodeRecord(
        guid="urn:narrate:tone",
        key=slug,
        slug=slug,
        title="A tone, with a transcript",
        description="Four cues over six seconds.",
        author="Ada Writer",
        published=datetime(2024, 5, 3, 8, 0, tzinfo=UTC),
        source_url="https://news.example.org/tone",
        audio_path=f"episodes/{slug}/{mp3.name}",
        size_bytes=mp3.stat().st_size,
        duration_ms=6000,
        transcript_path=f"episodes/{slug}/{slug}.vtt",
        chapters_path=f"episodes/{slug}/{slug}.chapters.json",
        page_path=f"episodes/{slug}/index.html",
        embed_path=f"episodes/{slug}/embed.html",
        text_sha256="0" * 64,
        narrate_version="0.1.0",
        cues=CUES,
    )
    (output / episode.transcript_path).write_text(render_webvtt(CUES), encoding="utf-8")
    (output / episode.page_path).write_text(render_episode_page(show, episode), encoding="utf-8")
    (output / episode.embed_path).write_text(render_embed_page(show, episode), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Site(root=show.base_url, episode=episode, show=show)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Browser]:
    executable = find_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, url: str, watch: Watch, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.on("request", lambda r: watch.hosts.add(urlsplit(r.url).netloc))
    page.goto(url)
    return page


def wait_for_metadata(page: Page) -> float:
    page.wait_for_function(
        "() => { const a = document.querySelector('audio');"
        " return a.readyState >= 1 && isFinite(a.duration) && a.duration > 0; }",
        timeout=15_000,
    )
    return float(page.evaluate("document.querySelector('audio').duration"))


def active_starts(page: Page) -> list[str]:
    return list(
        page.evaluate("Array.from(document.querySelectorAll('.cue.active'), e => e.dataset.start)")
    )


def check_seek_and_highlight(page: Page) -> None:
    cues = page.locator("[data-narrate-transcript] [data-start]")
    assert cues.count() == len(CUES)
    third = cues.nth(2)
    third.click()
    assert page.evaluate("document.querySelector('audio').currentTime") == pytest.approx(3.0)
    assert "active" in (third.get_attribute("class") or "")
    assert third.get_attribute("aria-current") == "true"
    assert active_starts(page) == ["3.000"]
    # a timeupdate at 4.6 s moves the highlight to the fourth cue, and only there
    page.evaluate(
        "() => { const a = document.querySelector('audio'); a.currentTime = 4.6;"
        " a.dispatchEvent(new Event('timeupdate')); }"
    )
    assert active_starts(page) == ["4.500"]
    assert cues.nth(2).get_attribute("aria-current") is None


def test_episode_page_in_chromium(browser: Browser, site: Site) -> None:
    watch = Watch()
    page = open_page(browser, site.root + site.episode.page_path, watch, 900, 900)
    assert wait_for_metadata(page) == pytest.approx(6.0, abs=0.15)
    check_seek_and_highlight(page)
    # real playback: from 1.2 s the highlight must reach the second cue (1.5 s - 3.0 s) by itself
    page.evaluate(
        "() => { const a = document.querySelector('audio'); a.currentTime = 1.2; return a.play(); }"
    )
    page.wait_for_function(
        "() => document.querySelector('audio').currentTime > 1.6", timeout=10_000
    )
    page.wait_for_function(
        "() => document.querySelector('.cue.active')?.dataset.start === '1.500'", timeout=5_000
    )
    page.evaluate("document.querySelector('audio').pause()")
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert watch.errors == []
    assert watch.hosts == {urlsplit(site.root).netloc}


def test_embed_page_in_chromium(browser: Browser, site: Site) -> None:
    watch = Watch()
    page = open_page(browser, site.root + site.episode.embed_path, watch, 480, 200)
    assert wait_for_metadata(page) == pytest.approx(6.0, abs=0.15)
    # folded, the player fits an iframe 200 px high without scrolling
    assert page.evaluate("document.documentElement.scrollHeight") <= 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 480
    page.locator("summary").click()
    check_seek_and_highlight(page)
    assert watch.errors == []
    assert watch.hosts == {urlsplit(site.root).netloc}
