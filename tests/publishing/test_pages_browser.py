"""The player in a real headless Chromium: what a listener does, checked on the audio element.

Needs a Chromium binary (``apt-get install chromium``; or set NARRATE_CHROMIUM to its path).
Without one the tests are skipped, unless NARRATE_REQUIRE_BROWSER=1 (CI), where they fail.

The episode is a 40 s tone with five cues and two chapters; every test opens its pages in a
fresh browser context (its own localStorage) and checks that nothing was logged as an error and
that no request left the local servers.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import imageio_ffmpeg
import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from conftest import make_show
from narrate.models import Chapter, Cue, EpisodeRecord, PlayerLook, Show
from narrate.publishing.cover import episode_cover
from narrate.publishing.pages import (
    EMBED_HEIGHT_PX,
    embed_snippet,
    render_embed_page,
    render_episode_page,
    script_snippet,
    static_files,
)
from narrate.publishing.transcript import (
    render_chapters_json,
    render_json_transcript,
    render_webvtt,
)
from narrate.serve import make_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
DURATION_S = 40
CUES = (
    Cue(0, 1500, "First sentence."),
    Cue(1500, 3000, "Second sentence."),
    Cue(3000, 4500, "Third sentence."),
    Cue(4500, 6000, "Fourth & last <sentence>."),
    Cue(6000, 40000, "A long tone to the end."),
)
CHAPTERS = (Chapter(0, 3000, "Opening"), Chapter(3000, 40000, "The <end> & after"))
AUDIO = "document.querySelector('audio')"
SCREENSHOTS = Path(os.environ.get("NARRATE_SCREENSHOTS", "/tmp/narrate-player"))
ACCENT = "#c8102e"  # the show's branding colour


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
    root: str  # http://127.0.0.1:<port>/ : the show's output folder
    other: str  # another origin, whose page embeds the player with <narrate-player>
    episode: EpisodeRecord
    show: Show

    @property
    def page(self) -> str:
        return self.root + self.episode.page_path

    @property
    def embed(self) -> str:
        return self.root + self.episode.embed_path


@dataclass
class Watch:
    """Everything a page did that a test must check: console errors and requested hosts."""

    errors: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)

    def check(self, *roots: str) -> None:
        assert self.errors == []
        assert self.hosts <= {urlsplit(root).netloc for root in roots}


def serve(folder: Path) -> tuple[str, Any, threading.Thread]:
    server = make_server(folder, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server, thread


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    output = tmp_path_factory.mktemp("output")
    other_folder = tmp_path_factory.mktemp("other-site")
    slug = "tone"
    folder = output / "episodes" / slug
    folder.mkdir(parents=True)
    mp3 = folder / f"{slug}-0123abcd.mp3"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
        + ["-f", "lavfi", "-i", f"sine=frequency=440:duration={DURATION_S}"]
        + ["-ac", "1", "-ar", "44100", "-b:a", "32k", str(mp3)],
        check=True,
    )
    Image.new("RGB", (64, 64), (18, 28, 48)).save(output / "cover.png")
    photo = io.BytesIO()
    Image.new("RGB", (1024, 576), (40, 140, 90)).save(photo, "PNG")
    art_path = f"episodes/{slug}/cover-1.jpg"
    (output / art_path).write_bytes(episode_cover(photo.getvalue()).data)
    root, server, thread = serve(output)
    other, other_server, other_thread = serve(other_folder)
    look = PlayerLook(ACCENT, None, None, disclosure="Read by an AI voice.", next_episode=True)
    show = make_show(
        title="Tone Desk", description="A tone.", author="Test Desk", base_url=root, player=look
    )
    episode = EpisodeRecord(
        guid="urn:narrate:tone",
        key=slug,
        slug=slug,
        title="A tone, with a transcript: the council's vote on the old harbour wall",
        description="Five cues over forty seconds.",
        author="Ada Writer",
        published=datetime(2024, 5, 3, 8, 0, tzinfo=UTC),
        source_url="https://news.example.org/tone",
        audio_path=f"episodes/{slug}/{mp3.name}",
        size_bytes=mp3.stat().st_size,
        duration_ms=DURATION_S * 1000,
        transcript_path=f"episodes/{slug}/transcript-1.vtt",
        chapters_path=f"episodes/{slug}/chapters-1.json",
        json_transcript_path=f"episodes/{slug}/transcript-1.json",
        page_path=f"episodes/{slug}/index.html",
        embed_path=f"episodes/{slug}/embed.html",
        text_sha256="0" * 64,
        narrate_version="0.1.0",
        cues=CUES,
        chapters=CHAPTERS,
        art_path=art_path,
    )
    earlier = replace(
        episode,
        guid="urn:narrate:earlier",
        slug="earlier",
        title="The story before it",
        page_path="episodes/earlier/index.html",
        embed_path="episodes/earlier/embed.html",
        art_path="",
    )
    (output / "episodes" / "earlier").mkdir()
    files = {
        episode.transcript_path: render_webvtt(CUES),
        episode.json_transcript_path: render_json_transcript(CUES),
        episode.chapters_path: render_chapters_json(CHAPTERS),
        episode.page_path: render_episode_page(show, episode),
        episode.embed_path: render_embed_page(show, episode, earlier),
        earlier.page_path: render_episode_page(show, earlier),
        earlier.embed_path: render_embed_page(show, earlier),
    }
    for path, text in files.items():
        (output / path).write_text(text, encoding="utf-8")
    for path, data in static_files().items():
        (output / path).write_bytes(data)
    (other_folder / "article.html").write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>An article</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,"></head><body><h1>An article</h1><p>Listen:</p>'
        f"{script_snippet(show, episode)}<p>The article goes on.</p></body></html>",
        encoding="utf-8",
    )
    (other_folder / "embedded.html").write_text(  # a news page that pastes the iframe snippet
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>A news story</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,"><style>body{font:17px Georgia,serif;margin:0 auto;'
        "max-width:720px;padding:12px}</style></head><body><h1>Council votes to repair the"
        f" harbour wall</h1><p>Listen to this story:</p>{embed_snippet(show, episode)}"
        "<p>The council met on Tuesday to discuss the harbour.</p></body></html>",
        encoding="utf-8",
    )
    try:
        yield Site(root=root, other=other, episode=episode, show=show)
    finally:
        for running, running_thread in ((server, thread), (other_server, other_thread)):
            running.shutdown()
            running.server_close()
            running_thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Browser]:
    executable = find_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 900, "height": 900})
    try:
        yield context
    finally:
        context.close()


def open_page(context: BrowserContext, url: str, watch: Watch) -> Page:
    page = context.new_page()
    page.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.on("request", lambda r: watch.hosts.add(urlsplit(r.url).netloc))
    page.goto(url)
    return page


def ready(page: Page) -> float:
    """Waits for the audio's metadata and the player's controls; returns the duration."""
    page.wait_for_function(
        f"() => {{ const a = {AUDIO}; return a.readyState >= 1 && isFinite(a.duration)"
        " && a.duration > 0 && !a.seeking && document.querySelector('.np-bar'); }",
        timeout=15_000,
    )
    # every seek the page makes is recorded at its start, where currentTime is the target
    page.evaluate(
        f"() => {{ const a = {AUDIO}; window.seeks = [];"
        " a.addEventListener('seeking', () => window.seeks.push(a.currentTime)); }"
    )
    return float(page.evaluate(f"{AUDIO}.duration"))


def now(page: Page) -> float:
    return float(page.evaluate(f"{AUDIO}.currentTime"))


def seek_by(page: Page, action: Callable[[], None]) -> float:
    """Does what should seek, waits until the browser has started and finished that seek
    (its "seeking" event is dispatched after the click returns), and returns its target."""
    count = page.evaluate("window.seeks.length")
    action()
    page.wait_for_function(f"() => window.seeks.length > {count} && !{AUDIO}.seeking")
    return float(page.evaluate("window.seeks[window.seeks.length - 1]"))


def pause_at(page: Page, seconds: float) -> None:
    """Pauses and seeks as the browser would (the player hears timeupdate and seeked)."""
    page.evaluate(f"() => {{ const a = {AUDIO}; a.pause(); a.currentTime = {seconds}; }}")
    page.wait_for_function(f"() => !{AUDIO}.seeking && {AUDIO}.currentTime === {seconds}")
    page.evaluate(f"{AUDIO}.dispatchEvent(new Event('timeupdate'))")


def current(page: Page, list_attribute: str) -> list[float]:
    """Start times of the items marked current (aria-current and the highlight) in a list."""
    found = page.evaluate(
        f"Array.from(document.querySelectorAll('[{list_attribute}] [aria-current]'),"
        " e => [e.dataset.start, e.getAttribute('aria-current'), e.classList.contains('active')])"
    )
    assert all(aria == "true" and active for _, aria, active in found), found
    return [float(start) for start, _, _ in found]


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG 2) of a computed "rgb(r, g, b)" colour: 0 black, 1 white."""
    channels = [int(c) / 255 for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def cue_holding(seconds: float) -> float:
    (cue,) = [c for c in CUES if c.start_ms <= seconds * 1000 < c.end_ms]
    return cue.start_ms / 1000


def test_episode_page_plays_seeks_and_follows(context: BrowserContext, site: Site) -> None:
    """Loads cleanly, reads the duration, plays, seeks on a cue, the highlight follows."""
    watch = Watch()
    page = open_page(context, site.page, watch)
    assert ready(page) == pytest.approx(DURATION_S, abs=0.15)
    assert page.evaluate(f"{AUDIO}.controls") is False  # our controls replace the browser's
    assert page.locator(".np-time").text_content() == "0:00 / 0:40"
    # clicking a sentence seeks to its cue's start and plays from there
    third = page.locator("[data-narrate-transcript] button").nth(2)
    assert seek_by(page, third.click) == pytest.approx(3.0)
    page.wait_for_function(f"!{AUDIO}.paused")
    assert page.get_by_role("button", name="Pause").count() == 1
    page.evaluate(f"{AUDIO}.pause()")
    assert current(page, "data-narrate-transcript") == [cue_holding(now(page))]
    assert page.get_by_role("button", name="Play").count() == 1
    # playing advances time, and the highlight moves to the next cue by itself
    page.evaluate(f"() => {{ {AUDIO}.currentTime = 1.2; return {AUDIO}.play(); }}")
    page.wait_for_function(f"{AUDIO}.currentTime > 1.6", timeout=10_000)
    page.wait_for_function(
        "document.querySelector('[data-narrate-transcript] [aria-current]')?.dataset.start"
        " === '1.500'",
        timeout=5_000,
    )
    assert current(page, "data-narrate-transcript") == [1.5]  # and only there
    # the lock screen shows the episode: Media Session metadata, set when playing starts
    metadata = page.evaluate(
        "(({title, artist, album, artwork}) => ({title, artist, album,"
        " art: artwork.map(a => a.src)}))(navigator.mediaSession.metadata)"
    )
    assert metadata == {
        "title": site.episode.title,
        "artist": "Ada Writer",
        "album": "Tone Desk",
        "art": [site.root + site.episode.art_path],  # the episode's own art
    }
    page.evaluate(f"{AUDIO}.pause()")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "episode.png"), full_page=True)
    watch.check(site.root)


def test_skip_buttons(context: BrowserContext, site: Site) -> None:
    watch = Watch()
    page = open_page(context, site.page, watch)
    ready(page)
    pause_at(page, 20.0)
    page.get_by_role("button", name="Forward 15 seconds").click()
    assert now(page) == pytest.approx(35.0)
    page.get_by_role("button", name="Back 15 seconds").click()
    page.get_by_role("button", name="Back 15 seconds").click()
    assert now(page) == pytest.approx(5.0)
    page.get_by_role("button", name="Back 15 seconds").click()
    assert now(page) == 0  # not before the start
    assert current(page, "data-narrate-transcript") == [0.0]
    watch.check(site.root)


def test_speed_control(context: BrowserContext, site: Site) -> None:
    watch = Watch()
    page = open_page(context, site.page, watch)
    ready(page)
    speed = page.get_by_role("combobox", name="Playback speed")
    assert speed.locator("option").all_text_contents() == [
        "0.75×",
        "1×",
        "1.25×",
        "1.5×",
        "1.75×",
        "2×",
    ]
    assert page.evaluate(f"{AUDIO}.playbackRate") == 1
    for value in ("0.75", "2", "1.5"):
        speed.select_option(value)
        assert page.evaluate(f"{AUDIO}.playbackRate") == float(value)
    # the chosen speed is kept for the next episode
    page.reload()
    ready(page)
    assert page.evaluate(f"{AUDIO}.playbackRate") == 1.5
    assert speed.input_value() == "1.5"
    watch.check(site.root)


def test_keyboard(context: BrowserContext, site: Site) -> None:
    """Space plays and pauses, arrows seek 5 s; keys typed in a text field are left alone."""
    watch = Watch()
    page = open_page(context, site.page, watch)
    ready(page)
    pause_at(page, 10.0)
    page.keyboard.press("ArrowRight")
    assert now(page) == pytest.approx(15.0)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert now(page) == pytest.approx(5.0)
    page.keyboard.press(" ")
    page.wait_for_function(f"!{AUDIO}.paused")
    page.keyboard.press(" ")
    page.wait_for_function(f"{AUDIO}.paused")
    page.locator("#embed-code").focus()
    position = now(page)
    page.keyboard.press(" ")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(f"{AUDIO}.paused") is True and now(page) == position
    watch.check(site.root)


def test_chapter_jump(context: BrowserContext, site: Site) -> None:
    watch = Watch()
    page = open_page(context, site.page, watch)
    ready(page)
    chapters = page.locator("[data-narrate-chapters] button")
    assert chapters.all_text_contents() == ["0:00Opening", "0:03The <end> & after"]
    assert current(page, "data-narrate-chapters") == [0.0]
    assert seek_by(page, chapters.nth(1).click) == pytest.approx(3.0)
    page.evaluate(f"{AUDIO}.pause()")
    assert current(page, "data-narrate-chapters") == [3.0]
    assert current(page, "data-narrate-transcript") == [cue_holding(now(page))]
    watch.check(site.root)


def test_resume_where_the_listener_left_off(context: BrowserContext, site: Site) -> None:
    watch = Watch()
    page = open_page(context, site.page, watch)
    ready(page)
    pause_at(page, 12.0)  # pausing stores the position
    assert page.evaluate("localStorage.getItem('narrate:urn:narrate:tone')") == "12.0"
    page.reload()
    ready(page)
    assert now(page) == pytest.approx(12.0)
    assert page.locator(".np-time").text_content() == "0:12 / 0:40"
    assert page.evaluate("document.querySelector('.np-track input').value") == "12"
    assert current(page, "data-narrate-transcript") == [6.0]
    # a finished episode starts from the beginning next time
    page.evaluate(f"() => {{ {AUDIO}.currentTime = 39.5; return {AUDIO}.play(); }}")
    page.wait_for_function(f"{AUDIO}.ended", timeout=10_000)
    assert page.evaluate("localStorage.getItem('narrate:urn:narrate:tone')") is None
    page.reload()
    ready(page)
    assert now(page) == 0
    watch.check(site.root)


def test_every_control_has_an_accessible_name(context: BrowserContext, site: Site) -> None:
    """Chromium's own accessibility tree: every control of both pages has a name."""
    for url in (site.page, site.embed):
        watch = Watch()
        page = open_page(context, url, watch)
        ready(page)
        page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        tree = context.new_cdp_session(page).send("Accessibility.getFullAXTree")
        controls = [
            (node["role"]["value"], node.get("name", {}).get("value", ""))
            for node in tree["nodes"]
            if not node.get("ignored")
            and node.get("role", {}).get("value")
            in ("button", "link", "slider", "combobox", "textbox", "checkbox", "DisclosureTriangle")
        ]
        assert [c for c in controls if not c[1].strip()] == []
        names = {name for _, name in controls}
        expected = {"Play", "Back 15 seconds", "Forward 15 seconds", "Playback speed", "Seek"}
        assert expected <= names
        sentences = [c for c in controls if c[0] == "button" and "sentence" in c[1]]
        assert len(sentences) == 4  # the transcript's buttons are named by their text
        slider = page.get_by_role("slider", name="Seek")
        assert slider.get_attribute("aria-valuetext") == "0:00 of 0:40"
        watch.check(site.root)


def test_transcript_scrolls_to_the_sentence(browser: Browser, site: Site) -> None:
    """The sentence being read is kept in view: in the page while it plays (once the reader
    looks at the transcript: loading the page does not scroll it), and in the embed's box."""
    context = browser.new_context(viewport={"width": 320, "height": 480})
    watch = Watch()
    page = open_page(context, site.page, watch)
    ready(page)
    in_view = "e => (r => r.top >= 0 && r.bottom <= innerHeight)(e.getBoundingClientRect())"
    assert page.evaluate("scrollY") == 0
    cues = page.locator("[data-narrate-transcript] button")
    pause_at(page, 5.0)
    assert page.evaluate("scrollY") == 0  # not while paused
    cues.nth(3).evaluate("e => e.scrollIntoView({block: 'end'})")
    assert cues.nth(4).evaluate(in_view) is False
    page.evaluate(f"() => {{ {AUDIO}.currentTime = 7; return {AUDIO}.play(); }}")
    page.wait_for_function(
        "document.querySelector('[data-narrate-transcript] [aria-current]').dataset.start"
        " === '6.000'"
    )
    assert cues.nth(4).evaluate(in_view) is True
    page.evaluate(f"{AUDIO}.pause()")
    context.close()

    context = browser.new_context(viewport={"width": 320, "height": 480})
    page = open_page(context, site.embed, watch)
    ready(page)
    page.locator("summary").click()
    # five cues fit the embed's 240 px box: a smaller box must scroll to follow the sentence
    page.locator("[data-narrate-transcript]").evaluate("e => e.style.maxHeight = '96px'")
    in_box = (
        "e => { const r = e.getBoundingClientRect(),"
        " b = e.closest('[data-narrate-transcript]').getBoundingClientRect();"
        " return r.top >= b.top && r.bottom <= b.bottom + 1; }"
    )
    cues = page.locator("[data-narrate-transcript] button")
    assert cues.nth(4).evaluate(in_box) is False
    pause_at(page, 7.0)
    assert cues.nth(4).evaluate(in_box) is True
    context.close()
    watch.check(site.root)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_narrow_screens_light_and_dark(browser: Browser, site: Site, scheme: str) -> None:
    """At 320 px nothing overflows sideways; the colours follow the system's scheme."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, color_scheme=scheme)
    watch = Watch()
    for name, url in (("episode", site.page), ("embed", site.embed)):
        page = open_page(context, url, watch)
        ready(page)
        page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        overflowing = page.evaluate(
            "Array.from(document.querySelectorAll('body *'), e => [e, e.getBoundingClientRect()])"
            ".filter(([e, r]) => r.width && r.right > innerWidth + 0.5).map(([e]) => e.className)"
        )
        assert overflowing == []
        background, text, play = page.evaluate(
            "[document.body, document.querySelector('.np-play')].flatMap(e =>"
            " (s => [s.backgroundColor, s.color])(getComputedStyle(e))).slice(0, 3)"
        )
        if scheme == "dark":
            assert luminance(background) < 0.1 < 0.6 < luminance(text)
        else:
            assert luminance(background) > 0.9 > 0.1 > luminance(text)
        assert play not in ("rgba(0, 0, 0, 0)", background)  # the play button stands out
        page.screenshot(path=str(SCREENSHOTS / f"{name}-320-{scheme}.png"), full_page=True)
    context.close()
    watch.check(site.root)


def test_the_embed_follows_its_content_shares_and_leads_to_the_next_story(
    browser: Browser, site: Site
) -> None:
    """On a news page, at 320, 768 and 1200 px: the iframe takes its player's height from the
    snippet's script (and the folded player fits the snippet's fixed height without it), the
    title wraps, the episode's art shows, the show's colour and disclosure line are there, the
    transcript opens by growing the iframe; "Copy link" copies the page's URL and "Next" plays
    the next story in the same frame. Screenshots of each width go to SCREENSHOTS."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    frame_height = "document.querySelector('iframe').getBoundingClientRect().height"
    for width in (320, 768, 1200):
        context = browser.new_context(viewport={"width": width, "height": 900})
        for origin in (site.root, site.other):
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin[:-1])
        watch = Watch()
        page = open_page(context, site.other + "embedded.html", watch)
        frame = page.frame_locator("iframe")
        frame.locator(".np-bar").wait_for()
        inner = page.frame(url=site.embed)
        assert inner is not None
        body_height = "Math.ceil(document.body.getBoundingClientRect().height)"
        folded = int(inner.evaluate(body_height))
        assert folded <= EMBED_HEIGHT_PX, (width, folded)  # fits without the script too
        longest = inner.evaluate(  # a title of any length: four lines at most, then "…"
            "(t => { const a = document.querySelector('.title a'), was = a.textContent;"
            " a.textContent = t; const h = document.body.getBoundingClientRect().height;"
            " a.textContent = was; return h; })('Headline '.repeat(40))"
        )
        assert longest <= EMBED_HEIGHT_PX, (width, longest)
        page.wait_for_function(f"Math.abs({frame_height} - {folded}) <= 1")
        title = frame.locator(".title")
        assert title.evaluate("e => e.scrollHeight <= e.clientHeight + 1")  # wrapped, whole
        assert title.text_content() == site.episode.title
        art = frame.locator(".e-art img")
        assert art.evaluate("e => e.complete && e.naturalWidth") == 1400
        assert frame.locator(".np-play").evaluate("e => getComputedStyle(e).backgroundColor") == (
            "rgb(200, 16, 46)"
        )
        assert frame.locator(".e-disclosure").text_content() == "Read by an AI voice."
        assert inner.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SCREENSHOTS / f"embed-{width}.png"), full_page=True)
        frame.locator("summary").click()  # the transcript opens: the iframe grows to hold it
        page.wait_for_function(f"{frame_height} > {folded} + 100")
        assert inner.evaluate("document.documentElement.scrollHeight <= innerHeight + 1")
        if width == 320:
            page.screenshot(path=str(SCREENSHOTS / "embed-320-open.png"), full_page=True)
            share = frame.get_by_role("button", name="Copy link")
            share.click()  # the label changes once the clipboard has taken the link (a promise)
            frame.locator(".e-share", has_text="Link copied").wait_for()
            assert page.evaluate("navigator.clipboard.readText()") == site.page
            next_link = frame.get_by_role("link", name="Next: The story before it")
            next_link.click()
            frame.locator(".title", has_text="The story before it").wait_for()
            frame.locator(".np-bar").wait_for()
            after = page.frame(url=site.root + "episodes/earlier/embed.html")
            assert after is not None
            assert after.locator(".title").text_content() == "The story before it"
            assert after.locator(".e-next").count() == 0  # the last story: no next
            assert after.locator(".e-art img").get_attribute("src") == "../../cover.png"
            height = int(after.evaluate(body_height))
            page.wait_for_function(f"Math.abs({frame_height} - {height}) <= 1")
        context.close()
        watch.check(site.other, site.root)


def test_without_javascript(browser: Browser, site: Site) -> None:
    """No script: the browser's own audio controls, a link to the transcript, a download."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    watch = Watch()
    for url, transcript_href in ((site.page, "#transcript"), (site.embed, "index.html#transcript")):
        page = open_page(context, url, watch)
        audio = page.locator("audio")
        assert audio.get_attribute("controls") is not None
        box = audio.bounding_box()
        assert box is not None and box["height"] > 0 and box["width"] > 0
        assert page.locator(".np-bar").count() == 0
        link = page.get_by_role("link", name="Transcript", exact=True)
        assert link.get_attribute("href") == transcript_href
        download = page.get_by_role("link", name="Download MP3")
        assert download.get_attribute("href") == site.episode.audio_path.rsplit("/", 1)[1]
        # the browser's controls can play it: the audio loads without the script
        page.wait_for_function(f"{AUDIO}.readyState >= 1", timeout=15_000)
    page = open_page(context, site.embed, watch)  # share and next are plain links
    assert page.get_by_role("link", name="Share").get_attribute("href") == site.page
    next_link = page.get_by_role("link", name="Next: The story before it")
    assert next_link.get_attribute("href") == "../earlier/embed.html"
    page = open_page(context, site.page, watch)
    link = page.get_by_role("link", name="Transcript", exact=True)
    link.click()
    assert page.locator("#transcript").evaluate("e => e.getBoundingClientRect().top") < 640
    assert page.locator("[data-narrate-transcript] li").count() == len(CUES)
    context.close()
    watch.check(site.root)


def test_player_without_iframe_on_another_site(context: BrowserContext, site: Site) -> None:
    """<narrate-player> on another origin fetches the transcript and chapters and plays."""
    watch = Watch()
    page = open_page(context, site.other + "article.html", watch)
    ready(page)
    player = page.locator("narrate-player")
    assert player.get_by_role("button", name="Play").count() == 1
    assert player.locator("[data-narrate-transcript] button").count() == len(CUES)
    assert player.locator("[data-narrate-chapters] button").all_text_contents() == [
        "0:00Opening",
        "0:03The <end> & after",
    ]
    # the script brought its own CSS
    colour = player.get_by_role("button", name="Play").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert colour == "rgb(11, 99, 197)"
    player.locator("summary", has_text="Transcript").click()
    fourth = player.locator("[data-narrate-transcript] button").nth(3)
    assert seek_by(page, fourth.click) == pytest.approx(4.5)
    page.evaluate(f"{AUDIO}.pause()")
    position = now(page)
    assert current(page, "data-narrate-transcript") == [cue_holding(position)]
    forward = player.get_by_role("button", name="Forward 15 seconds")
    assert seek_by(page, forward.click) == pytest.approx(position + 15)
    assert now(page) == pytest.approx(position + 15)
    page.screenshot(path=str(SCREENSHOTS / "other-site.png"), full_page=True)
    watch.check(site.other, site.root)
