"""Cover art: Apple's rules checked on a supplied image, a default drawn from the show's title."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from PIL import Image
from PIL.ImageFilter import GaussianBlur

from conftest import REPO
from narrate.check import check
from narrate.config import load_settings
from narrate.errors import ConfigError, InputError
from narrate.models import Cover, Settings
from narrate.pipeline import build_episode
from narrate.publishing.cover import (
    EPISODE_SIDE_PX,
    MAX_TAG_BYTES,
    cover_problems,
    default_cover,
    episode_cover,
    read_cover,
    show_cover,
    tag_art,
)
from narrate.publishing.writer import publish


def _image(mode: str, size: tuple[int, int], kind: str = "PNG", noise: bool = False) -> bytes:
    image = Image.effect_noise(size, 80).convert(mode) if noise else Image.new(mode, size)
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def test_the_default_cover_meets_apples_rules_and_shows_the_title() -> None:
    cover = default_cover("Ledger Audio")
    assert cover_problems(cover.data) == []
    with Image.open(io.BytesIO(cover.data)) as image:
        assert image.format == "PNG" and image.mode == "RGB" and image.size == (1400, 1400)
    assert default_cover("Another Show").data != cover.data  # the title is drawn in


def test_a_very_long_title_still_fits() -> None:
    assert cover_problems(default_cover("The Riverton Ledger " * 30).data) == []


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (_image("RGB", (1400, 1000)), "not square"),
        (_image("RGB", (800, 800)), "1400 to 3000 px"),
        (_image("RGB", (3200, 3200), "JPEG"), "1400 to 3000 px"),
        (_image("RGBA", (1400, 1400)), "transparency"),
        (_image("CMYK", (1400, 1400), "JPEG"), "colour mode is CMYK"),
        (_image("RGB", (1400, 1400), "GIF"), "not PNG or JPEG"),
        (b"not an image at all", "not a readable image"),
    ],
)
def test_each_broken_rule_is_named(data: bytes, problem: str) -> None:
    assert any(problem in found for found in cover_problems(data)), cover_problems(data)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = tmp_path / "art.png"
    path.write_bytes(_image("RGBA", (600, 400)))
    with pytest.raises(ConfigError) as info:
        read_cover(path)
    message = info.value.message
    assert "not square" in message and "1400 to 3000" in message and "transparency" in message
    assert "1400-3000 px" in info.value.hint


def test_a_show_with_a_bad_cover_fails_when_settings_are_read(tmp_path: Path) -> None:
    (tmp_path / "small.jpg").write_bytes(_image("RGB", (500, 500), "JPEG"))
    (tmp_path / "narrate.toml").write_text('[show]\nimage = "small.jpg"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="500x500"):
        load_settings(cwd=tmp_path)


def test_a_good_supplied_cover_is_used_as_is(tmp_path: Path) -> None:
    data = _image("RGB", (1500, 1500), "JPEG")
    (tmp_path / "art.jpg").write_bytes(data)
    (tmp_path / "narrate.toml").write_text('[show]\nimage = "art.jpg"\n', encoding="utf-8")
    settings = load_settings(cwd=tmp_path)
    assert settings.show.image == "cover.jpg"
    assert show_cover(settings) == Cover(data, "image/jpeg", 1500)


@pytest.mark.slow
def test_tag_art_keeps_small_covers_and_shrinks_big_ones() -> None:
    small = default_cover("Ledger Audio")
    assert len(small.data) <= MAX_TAG_BYTES and tag_art(small) is small
    big = Cover(_image("RGB", (3000, 3000), "PNG", noise=True), "image/png")
    assert len(big.data) > MAX_TAG_BYTES
    shrunk = tag_art(big)
    assert shrunk.mime == "image/jpeg" and len(shrunk.data) <= MAX_TAG_BYTES
    grain = [Image.effect_noise((3000, 3000), 60).filter(GaussianBlur(3)) for _ in range(3)]
    buffer = io.BytesIO()
    Image.merge("RGB", grain).save(buffer, "PNG")
    drawn = Cover(buffer.getvalue(), "image/png")  # photo-like: 7 MB as a PNG, not as a JPEG
    assert len(drawn.data) > MAX_TAG_BYTES
    with Image.open(io.BytesIO(tag_art(drawn).data)) as image:
        assert image.size == (1400, 1400)


def _striped(size: tuple[int, int], mode: str = "RGB") -> bytes:
    """Red left quarter, blue right quarter, green between: where each edge went is visible."""
    width, height = size
    image = Image.new("RGB", size, (0, 160, 0))
    image.paste((220, 0, 0), (0, 0, width // 4, height))
    image.paste((0, 0, 220), (width - width // 4, 0, width, height))
    buffer = io.BytesIO()
    image.convert(mode).save(buffer, "JPEG" if mode == "CMYK" else "PNG")
    return buffer.getvalue()


def _pixels(cover: Cover) -> Image.Image:
    assert cover.mime == "image/jpeg" and cover.side_px == EPISODE_SIDE_PX
    assert cover_problems(cover.data) == []  # square, 1400 px, RGB JPEG: Apple's rules
    return Image.open(io.BytesIO(cover.data)).convert("RGB")


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


def test_a_wide_news_photo_is_padded_whole_onto_a_square_of_its_own_colours() -> None:
    art = _pixels(episode_cover(_striped((1024, 576))))  # the BBC's 16:9, smaller than 1400
    middle = EPISODE_SIDE_PX // 2
    assert _near(art.getpixel((10, middle)), (220, 0, 0))  # both edges kept: nothing cut
    assert _near(art.getpixel((EPISODE_SIDE_PX - 10, middle)), (0, 0, 220))
    top = art.getpixel((middle, 40))  # above the photo: its colours, blurred and darkened
    assert top != art.getpixel((middle, middle)) and max(top) < 160


def test_a_nearly_square_image_is_cropped_to_its_centre() -> None:
    art = _pixels(episode_cover(_striped((2000, 1700))))  # 1.18: cropped, 150 px off each side
    middle = EPISODE_SIDE_PX // 2
    assert _near(art.getpixel((10, middle)), (220, 0, 0))  # a quarter red: still at the edge
    assert _near(art.getpixel((middle, 10)), (0, 160, 0))  # no padding above


@pytest.mark.parametrize("mode", ["RGBA", "CMYK", "L"])
def test_transparency_cmyk_and_grey_become_rgb(mode: str) -> None:
    _pixels(episode_cover(_striped((618, 618), mode)))  # the NY Post's 618 px, upscaled


def test_what_is_not_an_image_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a readable image"):
        episode_cover(b"<html>not a picture</html>", "the image x.jpg")


class _Counting(SimpleHTTPRequestHandler):
    paths: list[str] = []

    def log_message(self, format: str, *args: object) -> None:
        self.paths.append(self.path)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """A news site: the lighthouse page, its og:image a 1024x576 photo on the same server."""
    folder = tmp_path / "site"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Counting, directory=str(folder)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    page = (REPO / "tests" / "fixtures" / "lighthouse-page.html").read_text(encoding="utf-8")
    page = page.replace("https://chronicle.example/img/skerry-point.jpg", url + "photo.png")
    (folder / "page.html").write_text(page, encoding="utf-8")
    Image.new("RGB", (1024, 576), (200, 120, 40)).save(folder / "photo.png")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    _Counting.paths = []
    yield url
    server.shutdown()
    server.server_close()


def test_the_pages_lead_image_is_the_episodes_art_in_feed_mp3_and_page(
    site: str, tone_settings: Settings, tmp_path: Path
) -> None:
    """The bug: the feed hotlinked the publisher's 1024x576 picture; the MP3 and og:image had
    the show's cover. Now a square cover is made, published with the episode and used for all."""
    settings = tone_settings
    record = publish(build_episode(site + "page.html", settings), settings)
    out = settings.output_dir
    assert record.art_path.startswith(f"episodes/{record.slug}/cover-")
    art = _pixels(Cover((out / record.art_path).read_bytes(), "image/jpeg", EPISODE_SIDE_PX))
    assert _near(art.getpixel((EPISODE_SIDE_PX // 2,) * 2), (200, 120, 40))
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert f'<itunes:image href="{settings.show.url(record.art_path)}"' in feed
    assert "photo.png" not in feed  # not hotlinked
    apic = ID3(str(out / record.audio_path)).getall("APIC")[0]
    assert apic.data == (out / record.art_path).read_bytes()  # under 300 KB: the art itself
    page = (out / record.page_path).read_text(encoding="utf-8")
    assert f'<meta property="og:image" content="{settings.show.url(record.art_path)}">' in page
    findings = check(str(out))
    assert [f.detail for f in findings if not f.ok] == []
    assert any(f.detail == f"episode {record.title!r} art: ok" for f in findings)
    assert any(f.detail == "the MP3's art: ok" for f in findings)
    tags = ID3(str(out / record.audio_path))
    tags.delall("APIC")
    tags.save()
    found = [f.detail for f in check(str(out)) if not f.ok]
    assert "the MP3's art: there is none" in found
    # The same page saved to a file builds offline: nothing fetched, the show's cover stands in.
    fetched = list(_Counting.paths)
    saved = tmp_path / "saved.html"
    saved.write_text(
        (tmp_path / "site" / "page.html").read_text(encoding="utf-8"), encoding="utf-8"
    )
    offline = build_episode(str(saved), replace(settings, output_dir=tmp_path / "other"))
    assert offline.art_path is None and _Counting.paths == fetched
    assert fetched.count("/photo.png") == 1


def test_a_page_on_the_web_never_makes_a_local_file_its_art(
    site: str, tone_settings: Settings, tmp_path: Path
) -> None:
    """A fetched article whose image is a path of this machine: the path is asked of the page's
    server (which has no such file), never read from the disk and published."""
    private = tmp_path / "private.png"
    Image.new("RGB", (1400, 1400), (1, 2, 3)).save(private)
    (tmp_path / "site" / "story.md").write_text(
        f"---\ntitle: Harbour wall\nimage: {private}\n---\n\n"
        "The council met to discuss the harbour wall. Members voted to repair it.\n",
        encoding="utf-8",
    )
    built = build_episode(site + "story.md", tone_settings)
    assert built.art_path is None
    assert {"/story.md", str(private)} == set(_Counting.paths)
