"""Hostile text stays text, file names stay safe, and a build opens no connection (issue 7).

* Titles, authors, descriptions and show settings holding markup, ``&``, ``]]>``, quotes and
  ``../`` go through a real build to every file narrate writes: the feed, the pages, the embed
  player, oEmbed and the transcripts. Each must parse (lxml for XML and HTML, json for JSON)
  and hold no element or attribute but narrate's own.
* Slugs (folder names) are ASCII, bounded, stable, never ``..`` nor a Windows device name.
* A build from a file opens no network connection; a URL source with no network is a clean
  error.
"""

from __future__ import annotations

import json
import re
import socket
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html
from typer.testing import CliRunner

from conftest import make_show
from narrate.cli import app
from narrate.errors import ExitStatus
from narrate.models import Chapter, Cue, EpisodeRecord, Show
from narrate.publishing.catalog import slugify
from narrate.publishing.feed import ATOM_NS, CONTENT_NS, ITUNES_NS, PODCAST_NS, render_feed
from narrate.publishing.pages import (
    render_embed_page,
    render_episode_page,
    render_index_page,
    render_oembed,
)
from webvtt import parse_webvtt

runner = CliRunner()

# Each would change a document's structure if it were written unescaped.
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "' onmouseover='alert(3)",
    "]]><evil/>",
    "&amp; &lt;b&gt; & <!-- -->",
    "</textarea></title></style><svg onload=alert(4)>",
    "../../etc/passwd",
    "{{ 7*7 }} {% raw %}",
    "--> 00:00:00.000 --> 00:00:01.000",
    "\u202eevil\u202c \u0000\u0007",
]
# What is left of hostile text after extraction (which drops tags): still <, &, quotes, ]]>.
TITLE = '1 < 2 & "q" ]]> ../../etc/passwd < img src=x onerror=alert(2)> \'><'
AUTHOR = "Ann & ]]> ' onmouseover='alert(3)"


def _hostile_show(tmp_path: Path) -> Path:
    config = tmp_path / "narrate.toml"
    config.write_text(
        "[show]\n"
        f"title = {json.dumps(HOSTILE[0] + ' Show ' + HOSTILE[3])}\n"
        f"description = {json.dumps(HOSTILE[1] + HOSTILE[4])}\n"
        f"author = {json.dumps(HOSTILE[2] + HOSTILE[5])}\n"
        'base_url = "https://audio.example.org/a%22b/"\n'
        "[audio]\n"
        'intro = ["{show}.", "{title}.", "By {byline}."]\n',
        encoding="utf-8",
    )
    return config


def _hostile_article(tmp_path: Path) -> Path:
    source = tmp_path / "hostile.md"
    body = (
        "The council met on Tuesday & said <b>no</b> to the plan ]]> for the "
        "\"harbour\" wall, 'again' and again: see ../../etc/passwd now.\n\n"
        "A reader wrote --> 00:00:01.000 --> 00:00:02.000 in a comment that the clerk read out. "
        "An escaped &lt;script&gt;alert(5)&lt;/script&gt; stays out of every page.\n"
    )
    source.write_text(
        "---\n"
        # Double-quoted, with escaped quotes. Found here: the backslashes stayed in the title.
        f"title: {json.dumps(TITLE)}\n"
        "author: Ann <Lee> & ]]> ' onmouseover='alert(3)\n"
        'url: "javascript:alert(6)"\n'
        "---\n\n" + body,
        encoding="utf-8",
    )
    return source


@pytest.fixture(scope="module")
def hostile_show(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("hostile")
    out = tmp_path / "output"
    source, config = _hostile_article(tmp_path), _hostile_show(tmp_path)
    args = ["build", str(source), "-o", str(out), "-c", str(config), "--voice", "test-tone"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(TITLE + "\t")  # extraction kept it as text
    return out


# The elements and attributes narrate's own pages use; anything else was injected.
_ELEMENTS = {
    "html", "head", "body", "meta", "title", "link", "style", "script", "main", "p", "a", "h1",
    "h2", "h3", "div", "audio", "ol", "ul", "li", "button", "time", "span", "details",
    "summary", "textarea", "label", "small", "header", "img", "input", "br", "section", "nav",
}  # fmt: skip
_ATTRIBUTES = {
    "lang", "charset", "name", "content", "property", "rel", "href", "type", "title", "class",
    "id", "src", "controls", "preload", "download", "target", "datetime", "for", "readonly",
    "rows", "alt", "value", "aria-label", "reversed", "hidden", "aria-current", "role",
    "aria-live", "tabindex", "width", "height", "loading", "style", "aria-hidden",
}  # fmt: skip


def _page_problems(document: html.HtmlElement, scripts: int) -> list[str]:
    problems = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions are text to a browser here
        if element.tag not in _ELEMENTS:
            problems.append(f"element <{element.tag}>")
        for attribute, value in element.attrib.items():
            if attribute not in _ATTRIBUTES and not attribute.startswith("data-"):
                problems.append(f"attribute {attribute}= on <{element.tag}>")
            if attribute in ("href", "src") and re.match(r"\s*(javascript|vbscript):", value, re.I):
                problems.append(f"{attribute}={value!r}")
    if len(document.xpath("//script")) != scripts:
        problems.append(f"{len(document.xpath('//script'))} scripts, not {scripts}")
    if document.xpath("//script[@src]"):
        problems.append("a script with src")
    return problems


def test_hostile_text_in_every_page_stays_text(hostile_show: Path) -> None:
    out = hostile_show
    (folder,) = (out / "episodes").iterdir()
    pages = {out / "index.html": 0, folder / "index.html": 1, folder / "embed.html": 1}
    for path, scripts in pages.items():
        document = html.fromstring(path.read_bytes())
        assert _page_problems(document, scripts) == [], path
    episode = html.fromstring((folder / "index.html").read_bytes())
    assert episode.findtext(".//h1") == TITLE
    assert HOSTILE[0] in episode.findtext(".//title")
    snippets = [t.text for t in episode.iter("textarea")]  # the embed code is text to copy
    assert len(snippets) == 2 and all("<iframe" in s or "<narrate-player" in s for s in snippets)
    assert not episode.xpath("//a[contains(@href, 'javascript')]")  # the article's bad URL
    index = html.fromstring((out / "index.html").read_bytes())
    assert index.findtext(".//h1") == f"{HOSTILE[0]} Show {HOSTILE[3]}"


def test_hostile_text_in_the_feed_stays_text(hostile_show: Path) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    feed = etree.fromstring((hostile_show / "feed.xml").read_bytes(), parser)
    assert feed.getroottree().docinfo.doctype == ""
    known = {None, ITUNES_NS, PODCAST_NS, ATOM_NS, CONTENT_NS}
    assert {etree.QName(e).namespace for e in feed.iter()} <= known
    assert not feed.xpath("//evil | //*[local-name()='evil'] | //script | //img")
    (item,) = feed.iterfind("channel/item")
    assert item.findtext("title") == TITLE
    assert feed.findtext("channel/title") == f"{HOSTILE[0]} Show {HOSTILE[3]}"
    assert item.findtext(f"{{{ITUNES_NS}}}author") == AUTHOR
    notes = html.fragments_fromstring(item.findtext(f"{{{CONTENT_NS}}}encoded"))
    for note in notes:
        assert _page_problems(note, 0) == []
        assert note.tag == "p"
    hrefs = [a.get("href") for note in notes for a in note.iter("a")]
    assert hrefs and all(h.startswith("https://audio.example.org/a%22b/") for h in hrefs)


def test_hostile_text_in_oembed_and_transcripts_stays_text(hostile_show: Path) -> None:
    (folder,) = (hostile_show / "episodes").iterdir()
    oembed = json.loads((folder / "oembed.json").read_text(encoding="utf-8"))
    assert oembed["title"] == TITLE
    iframe, script = html.fragments_fromstring(oembed["html"])
    assert iframe.tag == "iframe" and iframe.get("title") == f"Listen: {TITLE}"
    assert set(iframe.attrib) == {"src", "title", "width", "height", "loading", "allow", "style"}
    assert script.tag == "script" and not script.attrib and TITLE not in script.text_content()

    (vtt,) = folder.glob("transcript-*.vtt")
    text = vtt.read_text(encoding="utf-8")
    timing = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}$")
    arrows = [line for line in text.splitlines() if "-->" in line]
    assert arrows and all(timing.match(line) for line in arrows)  # none from the text
    assert "<" not in text  # markup characters are entities in a WebVTT payload
    cues = parse_webvtt(text)
    assert any("--> 00:00:01.000 -->" in c.text for c in cues)  # ...and read back as text
    spoken_title = " ".join(c.text for c in cues[1:3])  # the intro's title line, in 2 cues
    assert spoken_title.startswith('1 < 2 & "q" ]]>') and spoken_title.endswith("'><.")

    (srt,) = folder.glob("transcript-*.srt")
    arrows = [line for line in srt.read_text(encoding="utf-8").splitlines() if "-->" in line]
    srt_timing = re.compile(r"^\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}$")
    assert len(arrows) == len(cues) and all(srt_timing.match(line) for line in arrows)
    for path in [*folder.glob("transcript-*.json"), *folder.glob("chapters-*.json")]:
        json.loads(path.read_text(encoding="utf-8"))


def test_hostile_text_names_no_file(hostile_show: Path) -> None:
    names = [p.relative_to(hostile_show) for p in hostile_show.rglob("*")]
    outside_state = [n for n in names if n.parts[0] != ".narrate"]
    assert all(
        re.fullmatch(r"[a-z0-9][a-z0-9.-]*", part) for n in outside_state for part in n.parts
    )


# The renderers alone: hostile text in any field changes no page's structure.

SHOW = make_show(
    title="Desk", description="Read aloud.", author="Desk", base_url="https://x.org/p/"
)
EPISODE = EpisodeRecord(
    guid="g",
    key="k",
    slug="s",
    title="Title",
    description="About it.",
    author="Ann",
    published=datetime(2024, 5, 3, tzinfo=UTC),
    source_url="https://news.example.org/s",
    audio_path="episodes/s/s-1.mp3",
    size_bytes=1000,
    duration_ms=6000,
    transcript_path="episodes/s/t.vtt",
    chapters_path="episodes/s/c.json",
    page_path="episodes/s/index.html",
    embed_path="episodes/s/embed.html",
    text_sha256="0" * 64,
    narrate_version="0",
    cues=(Cue(0, 3000, "One."), Cue(3000, 6000, "Two.")),
    chapters=(Chapter(0, 3000, "A"), Chapter(3000, 6000, "B")),
    json_transcript_path="episodes/s/t.json",
)


def _shape(page: str) -> Counter[tuple[str, tuple[str, ...]]]:
    document = html.fromstring(page)
    return Counter(
        (str(e.tag), tuple(sorted(e.attrib))) for e in document.iter() if isinstance(e.tag, str)
    )


def _pages(show: Show, episode: EpisodeRecord) -> list[str]:
    return [
        render_episode_page(show, episode),
        render_embed_page(show, episode),
        render_index_page(show, [episode]),
    ]


@settings(max_examples=60, deadline=None)
@given(text=st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=60)))
def test_no_text_changes_the_structure_of_a_page(text: str) -> None:
    hostile_episode = replace(
        EPISODE,
        title=f"T{text}",
        description=text,
        author=f"A{text}",
        cues=(Cue(0, 3000, f"O{text}"), Cue(3000, 6000, "Two.")),
        chapters=(Chapter(0, 3000, f"A{text}"), Chapter(3000, 6000, "B")),
    )
    hostile_show = replace(SHOW, title=f"D{text}", description=f"R{text}", author=f"D{text}")
    plain = [_shape(page) for page in _pages(SHOW, EPISODE)]
    assert [_shape(page) for page in _pages(hostile_show, hostile_episode)] == plain
    oembed = json.loads(render_oembed(hostile_show, hostile_episode, cover_side_px=1400))
    iframe, script = html.fragments_fromstring(oembed["html"])
    _, plain_script = html.fragments_fromstring(json.loads(render_oembed(SHOW, EPISODE))["html"])
    assert iframe.tag == "iframe" and script.text_content() == plain_script.text_content()
    feed = etree.fromstring(render_feed(hostile_show, [hostile_episode]))
    assert [e.tag for e in feed.iter()] == [
        e.tag for e in etree.fromstring(render_feed(SHOW, [EPISODE])).iter()
    ]


# Slugs: the folder of an episode, from its title.

_WINDOWS_DEVICES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"{p}{n}" for p in ("com", "lpt") for n in range(10)),
}


@settings(max_examples=300, deadline=None)
@given(title=st.one_of(st.text(), st.sampled_from(["CON", "nul", "Com1", "LPT9", "AUX", "PRN"])))
def test_slugs_are_safe_bounded_and_stable(title: str) -> None:
    slug = slugify(title)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)  # no dots, slashes, spaces or case
    assert 1 <= len(slug) <= 60
    assert slug.split(".")[0] not in _WINDOWS_DEVICES
    assert slugify(title) == slug and slugify(slug) == slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [("CON", "con-episode"), ("Nul", "nul-episode"), ("COM\u00b9", "com1-episode")],
)
def test_windows_device_names_are_not_slugs(title: str, slug: str) -> None:
    # Found here: an article titled "Con" or "NUL" made episodes/con/, a folder Windows cannot
    # create, so the show could not be copied to or served from a Windows machine.
    assert slugify(title) == slug


# Network: none while building from a file.


def _no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_a_build_from_a_file_opens_no_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, article_file: Path
) -> None:
    attempts = _no_network(monkeypatch)
    out = tmp_path / "output"
    result = runner.invoke(
        app, ["build", str(article_file), "-o", str(out), "--voice", "test-tone"]
    )
    assert result.exit_code == 0, result.stderr
    assert runner.invoke(app, ["feed", "-o", str(out)]).exit_code == 0
    assert runner.invoke(app, ["check", str(out)]).exit_code == 0
    assert attempts == []


def test_a_url_source_without_network_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts = _no_network(monkeypatch)
    out = tmp_path / "output"
    result = runner.invoke(
        app, ["build", "https://news.example.org/story", "-o", str(out), "--voice", "test-tone"]
    )
    assert result.exit_code == ExitStatus.BAD_INPUT, result.stderr
    err = result.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err and "(hint: " in err
    assert attempts  # it did try: the user asked for a URL
    assert not out.exists()
