"""Episode, embed and index pages, the embed snippets and oEmbed: structure, relative links,
escaping, no external resources. What the player does in a browser: test_player_browser.py."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from lxml import html

from conftest import make_show
from narrate.layout import PLAYER_SCRIPT_NAME
from narrate.models import Chapter, Cue, EpisodeRecord, PlayerLook
from narrate.publishing.pages import (
    EMBED_HEIGHT_PX,
    brand_css,
    embed_snippet,
    oembed_path,
    relative_url,
    render_embed_page,
    render_episode_page,
    render_index_page,
    render_oembed,
    script_snippet,
    static_files,
)

HOSTILE = "<script>alert(1)</script> \"quoted\" & 'single'"
SHOW = make_show(
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
CHAPTERS = (Chapter(0, 1800, "Opening"), Chapter(1800, 6000, "Prices & <more>"))


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
        "json_transcript_path": f"{base}/{slug}.transcript.json",
        "chapters_path": f"{base}/{slug}.chapters.json",
        "page_path": f"{base}/index.html",
        "embed_path": f"{base}/embed.html",
        "text_sha256": "0" * 64,
        "narrate_version": "0.1.0",
        "cues": CUES,
        "chapters": CHAPTERS,
    }
    values.update(changes)
    return EpisodeRecord(**values)  # type: ignore[arg-type]


EPISODE = record("rates-rise", 3)


def external_references(document: html.HtmlElement) -> list[str]:
    """URLs the browser would fetch by itself (not plain links): must all be relative."""
    urls = document.xpath("//script/@src | //link[@rel='icon' or @rel='stylesheet']/@href")
    urls += document.xpath("//img/@src | //link[@rel='preload' or @rel='modulepreload']/@href")
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
    assert doc.xpath("//a[@download]/@href") == ["rates-rise-0123abcd.mp3"]
    assert doc.xpath("//textarea[@id='embed-code']/text()")[0] == embed_snippet(SHOW, EPISODE)
    assert doc.xpath("//textarea[@id='embed-script']/text()")[0] == script_snippet(SHOW, EPISODE)
    for textarea in doc.xpath("//textarea"):
        assert doc.xpath(f"//label[@for='{textarea.get('id')}']")
    assert external_references(doc) == []


def test_pages_carry_the_articles_language() -> None:
    # issue 13: a German article's page said <html lang="en">, the show's language
    german = replace(EPISODE, language="de")
    assert html.fromstring(render_episode_page(SHOW, german)).get("lang") == "de"
    assert html.fromstring(render_embed_page(SHOW, german)).get("lang") == "de"
    # an episode recorded before narrate kept the language: the show's
    assert (
        html.fromstring(render_episode_page(SHOW, replace(EPISODE, language=""))).get("lang")
        == SHOW.language
    )


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
    assert doc.xpath("//a[@target='_blank']/@href") == [
        "index.html",  # the art and the title lead to the episode's page
        "index.html",
        "index.html#transcript",
        SHOW.url(EPISODE.page_path),  # the share link: without JavaScript, opens the page
    ]
    assert doc.xpath("//a[@download]/@href") == ["rates-rise-0123abcd.mp3"]
    assert external_references(doc) == []


def test_player_markup_works_without_script() -> None:
    """The player is an <audio controls> with a transcript and a download link around it; the
    script adds the rest. Its data attributes feed the lock screen and the saved position."""
    for render, transcript in (
        (render_episode_page, "#transcript"),
        (render_embed_page, "index.html#transcript"),
    ):
        doc = html.fromstring(render(SHOW, EPISODE))
        (player,) = doc.xpath("//*[@data-narrate]")
        (audio,) = player.xpath(".//audio[@controls]")
        assert audio.get("src") == "rates-rise-0123abcd.mp3"
        assert player.xpath(".//a[.='Transcript']/@href") == [transcript]
        assert player.xpath(".//a[@download]/text()") == ["Download MP3 (1 kB)"]
        assert player.get("data-key") == "urn:narrate:rates-rise"
        assert player.get("data-title") == "Title of rates-rise"
        assert player.get("data-artist") == "Ada Writer"
        assert player.get("data-album") == "Morning Desk"
        assert player.get("data-artwork") == relative_url(EPISODE.page_path, SHOW.image)
        assert not doc.xpath("//*[contains(@class, 'np-bar')]")  # made by the script


def test_chapters_are_listed_with_their_times() -> None:
    for render in (render_episode_page, render_embed_page):
        doc = html.fromstring(render(SHOW, EPISODE))
        chapters = doc.xpath("//*[@data-narrate-chapters]//button")
        assert [(c.get("data-start"), c.get("data-end")) for c in chapters] == [
            ("0.000", "1.800"),
            ("1.800", "6.000"),
        ]
        assert [c.text_content() for c in chapters] == ["0:00Opening", "0:01Prices & <more>"]
    one = replace(EPISODE, chapters=(Chapter(0, 6000, "All of it"),))
    for page in (render_episode_page(SHOW, one), render_embed_page(SHOW, one)):
        assert not html.fromstring(page).xpath("//*[@data-narrate-chapters]")
    assert "chapters=" not in script_snippet(SHOW, one)


def test_episode_page_head_for_other_sites() -> None:
    """oEmbed discovery, Open Graph and player-card tags: absolute URLs, escaped text."""
    episode = replace(EPISODE, title=HOSTILE, description=HOSTILE)
    doc = html.fromstring(render_episode_page(SHOW, episode))
    base = "https://example.org/podcast/"

    def meta(key: str) -> str:
        (value,) = doc.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
        return str(value)

    (oembed,) = doc.xpath("//link[@rel='alternate'][@type='application/json+oembed']")
    assert oembed.get("href") == base + "episodes/rates-rise/oembed.json"
    assert oembed.get("title") == HOSTILE
    assert doc.xpath("//link[@rel='canonical']/@href") == [base + EPISODE.page_path]
    assert meta("og:title") == HOSTILE and meta("og:description") == HOSTILE
    assert meta("og:url") == base + EPISODE.page_path
    assert meta("og:site_name") == "Morning Desk"
    assert meta("og:image") == base + "cover.png"
    assert meta("og:audio") == base + EPISODE.audio_path
    assert meta("og:audio:type") == "audio/mpeg"
    assert meta("twitter:card") == "player"
    assert meta("twitter:player") == base + EPISODE.embed_path
    assert (meta("twitter:player:width"), meta("twitter:player:height")) == (
        "480",
        str(EMBED_HEIGHT_PX),
    )
    assert meta("twitter:player:stream") == base + EPISODE.audio_path


def test_oembed() -> None:
    """https://oembed.com/ 2.3.4 and 2.3.4.4: a rich type whose html is the iframe snippet."""
    episode = replace(EPISODE, title=HOSTILE)
    document = json.loads(render_oembed(SHOW, episode))
    assert document == {
        "type": "rich",
        "version": "1.0",
        "title": HOSTILE,
        "author_name": "Ada Writer",
        "provider_name": "Morning Desk",
        "provider_url": "https://example.org/podcast/",
        "html": embed_snippet(SHOW, episode),
        "width": 480,
        "height": EMBED_HEIGHT_PX,
    }
    assert oembed_path(episode) == "episodes/rates-rise/oembed.json"
    # the thumbnail needs its size (oEmbed requires width and height with the URL)
    with_cover = json.loads(render_oembed(SHOW, replace(EPISODE, author=None), cover_side_px=1400))
    assert with_cover["author_name"] == "The Morning Desk"
    assert with_cover["thumbnail_url"] == "https://example.org/podcast/cover.png"
    assert with_cover["thumbnail_width"] == with_cover["thumbnail_height"] == 1400
    linked = replace(SHOW, link="https://news.example.org/")
    assert json.loads(render_oembed(linked, EPISODE))["provider_url"] == "https://news.example.org/"


def test_script_snippet() -> None:
    """<narrate-player> for sites that allow scripts: works as a plain <audio> until the script
    (hosted beside the feed) loads; every URL absolute, every text escaped."""
    snippet = script_snippet(SHOW, replace(EPISODE, title=HOSTILE, author=HOSTILE))
    assert "<script>alert" not in snippet
    player, script = html.fragments_fromstring(snippet)
    base = "https://example.org/podcast/"
    assert player.tag == "narrate-player"
    assert player.get("transcript") == base + "episodes/rates-rise/rates-rise.transcript.json"
    assert player.get("chapters") == base + "episodes/rates-rise/rates-rise.chapters.json"
    assert (player.get("data-title"), player.get("data-artist")) == (HOSTILE, HOSTILE)
    assert player.get("data-artwork") == base + "cover.png"
    assert player.xpath("./audio[@controls]/@src") == [base + EPISODE.audio_path]
    assert player.xpath(".//a[.='Transcript']/@href") == [base + EPISODE.page_path + "#transcript"]
    assert (script.tag, script.get("src")) == ("script", base + PLAYER_SCRIPT_NAME)
    assert script.get("defer") is not None
    # an episode from before JSON transcripts: the element still plays
    old = html.fragments_fromstring(script_snippet(SHOW, replace(EPISODE, json_transcript_path="")))
    assert old[0].get("transcript") is None


def test_player_script_file() -> None:
    """narrate-player.js: the pages' player.js with <narrate-player> and the CSS inside it."""
    files = static_files()
    assert list(files) == [PLAYER_SCRIPT_NAME]
    bundle = files[PLAYER_SCRIPT_NAME].decode()
    page = html.fromstring(render_episode_page(SHOW, EPISODE))
    inline_script = page.xpath("string(//script)").strip()
    assert inline_script.endswith("})();") and "customElements" not in inline_script
    assert inline_script.removesuffix("})();") in bundle
    assert bundle.endswith("})();\n") and 'customElements.define("narrate-player"' in bundle
    (line,) = [x for x in bundle.splitlines() if x.startswith("const css = ")]
    css = json.loads(line.removeprefix("const css = ").removesuffix(";"))
    assert ".np-bar" in css and css in page.xpath("string(//style)")
    assert "</" not in bundle and "&#34;" not in bundle  # quoted for JavaScript, not for HTML


def test_player_stays_small() -> None:
    """Size budgets (bytes, raw): 8000 for the script every page carries, 4000 for its CSS,
    12000 for narrate-player.js, which other sites load (script, element and CSS)."""
    doc = html.fromstring(render_episode_page(SHOW, EPISODE))
    script = doc.xpath("string(//script)").strip().encode()
    embed = html.fromstring(render_embed_page(SHOW, EPISODE)).xpath("string(//script)")
    assert len(embed.strip().encode()) - len(script) < 2_000  # the embed's resize and share
    bundle = static_files()[PLAYER_SCRIPT_NAME].decode()
    (line,) = [x for x in bundle.splitlines() if x.startswith("const css = ")]
    css = json.loads(line.removeprefix("const css = ").removesuffix(";")).encode()
    assert len(script) < 8_000
    assert len(css) < 4_000
    assert len(gzip.compress(script + css)) < 5_000
    assert len(bundle.encode()) < 12_000


def test_embed_snippet_escapes_the_title_and_its_script_trusts_only_its_iframe() -> None:
    snippet = embed_snippet(SHOW, replace(EPISODE, title=HOSTILE))
    iframe, script = html.fragments_fromstring(snippet)
    assert iframe.tag == "iframe"
    assert iframe.get("src") == "https://example.org/podcast/episodes/rates-rise/embed.html"
    assert iframe.get("title") == f"Listen: {HOSTILE}"
    assert iframe.get("width") == "100%" and iframe.get("height") == str(EMBED_HEIGHT_PX)
    assert iframe.get("loading") == "lazy" and iframe.get("allow") == "clipboard-write"
    # the height comes from a message of that iframe's window and origin only, and is bounded
    assert script.tag == "script" and script.get("src") is None
    code = script.text_content()
    assert "e.source===f.contentWindow" in code and "e.origin===o" in code
    assert "Math.min(" in code and "innerHTML" not in code


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
    assert not doc.xpath("//*[@data-narrate-transcript]")
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


def test_the_embed_carries_the_shows_colours_disclosure_and_next_story() -> None:
    look = PlayerLook("#ffcc00", "#101820", "#f0f0f0", disclosure="AI.", next_episode=True)
    branded = replace(SHOW, player=look)
    following = replace(EPISODE, title="Ferry <fares>", embed_path="episodes/ferry/embed.html")
    doc = html.fromstring(render_embed_page(branded, EPISODE, following))
    style = doc.xpath("string(//style)")
    assert "--np-accent: #ffcc00; --np-on-accent: #111111" in style  # dark text on yellow
    assert "color-scheme: dark" in style and "background: #101820" in style
    assert doc.xpath("//p[@class='e-disclosure']/text()") == ["AI."]
    (next_link,) = doc.xpath("//a[@class='e-next']")
    assert next_link.get("href") == "../ferry/embed.html" and next_link.get("target") is None
    assert next_link.text_content() == "Next: Ferry <fares>"
    quiet = replace(SHOW, player=replace(SHOW.player, disclosure="", next_episode=False))
    plain = html.fromstring(render_embed_page(quiet, EPISODE, following))
    assert plain.xpath("//a[@class='e-next'] | //p[@class='e-disclosure']") == []
    assert brand_css(quiet.player) == ""  # narrate's own colours, light or dark as the reader's
    art = replace(EPISODE, art_path="episodes/rates-rise/cover-1.jpg")
    assert html.fromstring(render_embed_page(SHOW, art)).xpath("//img/@src") == ["cover-1.jpg"]
