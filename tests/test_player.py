"""Episode, embed and index pages: structure, relative links, escaping, no external resources."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from lxml import html

from narrate.models import Cue, EpisodeRecord, Show
from narrate.player import (
    embed_snippet,
    relative_url,
    render_embed_page,
    render_episode_page,
    render_index_page,
)

HOSTILE = "<script>alert(1)</script> \"quoted\" & 'single'"
SHOW = Show(
    title="Morning Desk",
    description="Articles, read aloud.",
    author="The Morning Desk",
    base_url="https://example.org/podcast/",
)
CUES = (
    Cue(0, 1800, "Good morning."),
    Cue(1800, 4000, "Prices rose <again> & again."),
    Cue(4000, 6000, "That is all."),
)


def record(slug: str, day: int, **changes: object) -> EpisodeRecord:
    base = f"episodes/{slug}"
    values: dict[str, object] = {
        "guid": f"urn:narrate:{slug}",
        "key": slug,
        "slug": slug,
        "title": f"Title of {slug}",
        "description": f"About {slug}.",
        "author": "Ada Writer",
        "published": datetime(2024, 5, day, 8, 0, tzinfo=UTC),
        "source_url": f"https://news.example.org/{slug}",
        "audio_path": f"{base}/{slug}-0123abcd.mp3",
        "size_bytes": 1000,
        "duration_ms": 6000,
        "transcript_path": f"{base}/{slug}.vtt",
        "chapters_path": f"{base}/{slug}.chapters.json",
        "page_path": f"{base}/index.html",
        "embed_path": f"{base}/embed.html",
        "text_sha256": "0" * 64,
        "narrate_version": "0.1.0",
        "cues": CUES,
    }
    values.update(changes)
    return EpisodeRecord(**values)  # type: ignore[arg-type]


EPISODE = record("rates-rise", 3)


def external_references(document: html.HtmlElement) -> list[str]:
    """URLs the browser would fetch by itself (not plain links): must all be relative."""
    urls = document.xpath("//script/@src | //link[@rel!='alternate']/@href | //img/@src")
    urls += document.xpath("//audio/@src | //source/@src | //iframe/@src")
    return [u for u in urls if "//" in u and not u.startswith("data:")]


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("episodes/a/index.html", "episodes/a/a-1.mp3", "a-1.mp3"),
        ("episodes/a/index.html", "feed.xml", "../../feed.xml"),
        ("index.html", "episodes/a/index.html", "episodes/a/index.html"),
        ("episodes/a/embed.html", "episodes/b/x y.mp3", "../b/x%20y.mp3"),
    ],
)
def test_relative_url(page: str, target: str, expected: str) -> None:
    assert relative_url(page, target) == expected


def test_episode_page() -> None:
    doc = html.fromstring(render_episode_page(SHOW, EPISODE))
    assert doc.xpath("string(//h1)") == "Title of rates-rise"
    assert "Morning Desk" in doc.xpath("string(//title)")
    assert "Ada Writer" in doc.text_content()
    assert doc.xpath("//time/@datetime")[0].startswith("2024-05-03")
    (audio,) = doc.xpath("//audio")
    assert audio.get("controls") is not None and audio.get("preload") == "metadata"
    assert audio.get("src") == "rates-rise-0123abcd.mp3"
    hrefs = doc.xpath("//a/@href")
    assert "../../feed.xml" in hrefs
    assert "rates-rise.vtt" in hrefs
    assert "https://news.example.org/rates-rise" in hrefs
    assert doc.xpath("//textarea[@readonly]/text()")[0] == embed_snippet(SHOW, EPISODE)
    assert external_references(doc) == []


def test_transcript_cues_carry_their_times() -> None:
    for render in (render_episode_page, render_embed_page):
        doc = html.fromstring(render(SHOW, EPISODE))
        cues = doc.xpath("//*[@data-narrate-transcript]//*[@data-start]")
        assert [(c.get("data-start"), c.get("data-end")) for c in cues] == [
            ("0.000", "1.800"),
            ("1.800", "4.000"),
            ("4.000", "6.000"),
        ]
        assert "Prices rose <again> & again." in cues[1].text_content()
        script = doc.xpath("string(//script)")
        assert "timeupdate" in script and "currentTime" in script
        assert not doc.xpath("//script[@src]")


def test_embed_page_is_compact() -> None:
    doc = html.fromstring(render_embed_page(SHOW, EPISODE))
    assert doc.xpath("//audio/@src") == ["rates-rise-0123abcd.mp3"]
    assert doc.xpath("//details/summary")  # the transcript folds away
    assert not doc.xpath("//h1 | //textarea | //nav")
    assert doc.xpath("//a[@target='_blank']/@href") == ["index.html"]
    assert external_references(doc) == []


def test_embed_snippet_escapes_the_title() -> None:
    snippet = embed_snippet(SHOW, replace(EPISODE, title=HOSTILE))
    (iframe,) = html.fragments_fromstring(snippet)
    assert iframe.tag == "iframe"
    assert iframe.get("src") == "https://example.org/podcast/episodes/rates-rise/embed.html"
    assert iframe.get("title") == f"Listen: {HOSTILE}"
    assert iframe.get("width") == "100%" and iframe.get("height") == "200"
    assert iframe.get("loading") == "lazy" and iframe.get("style") == "border:0"
    assert "<script>" not in snippet


def test_hostile_text_is_escaped_everywhere() -> None:
    episode = replace(EPISODE, title=HOSTILE, description=HOSTILE, author=HOSTILE)
    for page in (
        render_episode_page(SHOW, episode),
        render_embed_page(SHOW, episode),
        render_index_page(SHOW, [episode]),
    ):
        assert "<script>alert" not in page
        doc = html.fromstring(page)
        assert len(doc.xpath("//script")) <= 1  # only the player's own script
        assert HOSTILE in doc.text_content()


def test_source_link_must_be_http() -> None:
    page = render_episode_page(SHOW, replace(EPISODE, source_url="javascript:alert(1)"))
    assert "javascript:" not in page


def test_episode_without_cues() -> None:
    doc = html.fromstring(render_episode_page(SHOW, replace(EPISODE, cues=())))
    assert not doc.xpath("//*[@data-start]")
    assert "No transcript" in doc.text_content()


def test_index_page_lists_episodes_newest_first() -> None:
    episodes = [record("first", 1), record("third", 3), record("second", 2)]
    doc = html.fromstring(render_index_page(SHOW, episodes))
    assert doc.xpath("string(//h1)") == "Morning Desk"
    assert "Articles, read aloud." in doc.text_content()
    assert doc.xpath("//img/@src") == ["cover.png"]
    assert "feed.xml" in doc.xpath("//a/@href")
    assert doc.xpath("//input/@value") == ["https://example.org/podcast/feed.xml"]
    assert doc.xpath("//ol[@class='episodes']/li/a/@href") == [
        "episodes/third/index.html",
        "episodes/second/index.html",
        "episodes/first/index.html",
    ]
    assert external_references(doc) == []
    empty = html.fromstring(render_index_page(SHOW, []))
    assert "No episodes yet" in empty.text_content()
