"""Cover art: Apple's rules checked on a supplied image, a default drawn from the show's title."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from PIL.ImageFilter import GaussianBlur

from narrate.config import load_settings
from narrate.errors import ConfigError
from narrate.models import Cover
from narrate.publishing.cover import (
    MAX_TAG_BYTES,
    cover_problems,
    default_cover,
    read_cover,
    show_cover,
    tag_art,
)


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
