"""Cover art: the show's (checked, or drawn) and each episode's (made from the article's image).

Apple Podcasts artwork (https://podcasters.apple.com/support/896-artwork-requirements): JPEG or
PNG, square, 1400 to 3000 pixels a side, RGB colour space, no transparency. A supplied image that
breaks a rule is refused with every problem listed at once. A show without one gets a cover drawn
from its title (Pillow, with the font Pillow ships: nothing is downloaded).

An episode's art is the article's lead image made to meet the same rules (``episode_cover``):
a picture close to square is cropped to its centre; a wider or taller one (a 16:9 news photo)
is fitted whole onto a square of its own colours, blurred, so nothing of it is cut; either way
it becomes an RGB JPEG of ``EPISODE_SIDE_PX``, upscaled when the page's image is smaller.

The copy in the MP3 (ID3 APIC) is kept under 300 KB, which Apple and older players expect of
embedded art: a bigger image is saved as a 1400 px JPEG for the tag only (smaller still if it
will not compress that far).
"""

from __future__ import annotations

import io
import math
import textwrap
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps, UnidentifiedImageError

from narrate.errors import ConfigError, InputError
from narrate.models import Cover, Settings

MIN_SIDE_PX = 1400
MAX_SIDE_PX = 3000
MAX_TAG_BYTES = 300 * 1024
DEFAULT_SIDE_PX = 1400
_BACKGROUND = (18, 28, 48)
_ACCENT = (244, 162, 54)
_TEXT = (246, 241, 232)
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
EPISODE_SIDE_PX = 1400  # an episode's art: Apple's smallest, which keeps the files light
CROP_MAX_RATIO = 1.25  # up to 5:4 (or 4:5) an image is cropped square; beyond, it is padded
MAX_SOURCE_PIXELS = 40_000_000  # a lead image larger than this is refused, not decoded


def cover_problems(data: bytes) -> list[str]:
    """Every way ``data`` breaks Apple's artwork rules (empty when it meets them)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height), mode = image.format, image.size, image.mode
            transparent = "transparency" in image.info
            if all(MIN_SIDE_PX <= side <= MAX_SIDE_PX for side in (width, height)):
                image.load()  # a whole, readable image (only once its size is known to be sane)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        return [f"it is not a readable image ({exc})"]
    problems = _kind_and_shape_problems(kind, width, height)
    if not all(MIN_SIDE_PX <= side <= MAX_SIDE_PX for side in (width, height)):
        problems.append(f"it is {width}x{height} px, not {MIN_SIDE_PX} to {MAX_SIDE_PX} px a side")
    if mode in {"RGBA", "LA", "PA"} or transparent:
        problems.append("it has transparency (an alpha channel)")
    elif mode not in {"RGB", "P"}:
        problems.append(f"its colour mode is {mode}, not RGB")
    return problems


def _kind_and_shape_problems(kind: str | None, width: int, height: int) -> list[str]:
    """What every cover must be, in the feed or in a tag: a square PNG or JPEG."""
    problems = []
    if kind not in _FORMATS:
        problems.append(f"it is {kind or 'an unknown format'}, not PNG or JPEG")
    if width != height:
        problems.append(f"it is {width}x{height} px, not square")
    return problems


def tag_art_problems(data: bytes) -> list[str]:
    """What is wrong with an MP3's embedded cover: it must be a square PNG or JPEG of at most
    ``MAX_TAG_BYTES`` (players and Apple expect small embedded art)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        return [f"it is not a readable image ({exc})"]
    problems = _kind_and_shape_problems(kind, width, height)
    if len(data) > MAX_TAG_BYTES:
        problems.append(f"it is {len(data):,} bytes, over {MAX_TAG_BYTES:,}")
    return problems


def read_cover(path: Path) -> Cover:
    """A supplied cover, checked; ``ConfigError`` lists everything wrong with it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the cover image {path}: {exc}", "fix [show] image") from exc
    problems = cover_problems(data)
    if problems:
        raise ConfigError(
            f"the cover image {path} does not meet Apple's rules: " + "; ".join(problems),
            f"use a square RGB PNG or JPEG, {MIN_SIDE_PX}-{MAX_SIDE_PX} px, with no transparency",
        )
    with Image.open(io.BytesIO(data)) as image:
        return Cover(data, _FORMATS[str(image.format)], image.width)


def show_cover(settings: Settings) -> Cover:
    """The show's cover: its own image (checked), or one drawn from its title."""
    if settings.cover_image is None:
        return default_cover(settings.show.title)
    return _read_cover_cached(settings.cover_image, settings.cover_image.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _read_cover_cached(path: Path, mtime_ns: int) -> Cover:
    return read_cover(path)


@lru_cache(maxsize=8)
def default_cover(title: str) -> Cover:
    """A 1400 px PNG: the show's title over a waveform, dark background (RGB, no alpha)."""
    side = DEFAULT_SIDE_PX
    image = Image.new("RGB", (side, side), _BACKGROUND)
    draw = ImageDraw.Draw(image)
    bars, margin = 23, 200
    step = (side - 2 * margin) / bars
    for i in range(bars):
        height = (0.15 + 0.6 * abs(math.sin(i * 0.55) * math.cos(i * 0.21))) * 420
        x = margin + i * step + step * 0.18
        draw.rounded_rectangle(
            (x, 980 - height / 2, x + step * 0.64, 980 + height / 2), radius=12, fill=_ACCENT
        )
    words = " ".join(title.split()) or "Podcast"
    for size, width in ((150, 13), (120, 17), (96, 22), (76, 28)):
        lines = textwrap.wrap(words, width=width, max_lines=4, placeholder="…")
        font = ImageFont.load_default(size=size)
        if all(draw.textlength(line, font=font) <= side - 2 * 120 for line in lines):
            break
    line_height = size * 1.15
    top = 150 + (520 - line_height * len(lines)) / 2
    for n, line in enumerate(lines):
        draw.text((120, top + n * line_height), line, font=font, fill=_TEXT)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return Cover(buffer.getvalue(), "image/png", side)


def tag_art(cover: Cover) -> Cover:
    """The cover as the MP3 carries it: the image itself if small enough, else a smaller JPEG."""
    if len(cover.data) <= MAX_TAG_BYTES:
        return cover
    with Image.open(io.BytesIO(cover.data)) as image:
        rgb = image.convert("RGB")
    # Apple's 1400 px first; smaller only for images that don't compress (photos full of grain).
    for side in (MIN_SIDE_PX, 1000, 600, 300):
        small = rgb.resize((side, side), Image.Resampling.LANCZOS)
        for quality in (88, 75, 60):
            buffer = io.BytesIO()
            small.save(buffer, "JPEG", quality=quality, optimize=True)
            if buffer.tell() <= MAX_TAG_BYTES:
                return Cover(buffer.getvalue(), "image/jpeg", side)
    return Cover(buffer.getvalue(), "image/jpeg", side)  # 300 px at quality 60 is always far below


def episode_cover(data: bytes, name: str = "the lead image") -> Cover:
    """The episode's art from the article's image ``data``: square (cropped or padded, see the
    module's docstring), ``EPISODE_SIDE_PX`` a side, RGB JPEG. ``InputError`` when ``data`` is
    not an image Pillow reads (or is absurdly large)."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_SOURCE_PIXELS:
                raise InputError(
                    f"{name} is {opened.width}x{opened.height} px: too large",
                    "give a smaller image (--image FILE)",
                )
            image = ImageOps.exif_transpose(opened)  # a phone photo stands as it was taken
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(f"{name} is not a readable image ({exc})", "give a JPEG or PNG") from exc
    rgb = _flattened(image)
    side = EPISODE_SIDE_PX
    ratio = max(rgb.width, rgb.height) / max(1, min(rgb.width, rgb.height))
    if ratio <= CROP_MAX_RATIO:
        square = ImageOps.fit(rgb, (side, side), Image.Resampling.LANCZOS)
    else:
        square = ImageOps.fit(rgb, (side // 8, side // 8), Image.Resampling.BILINEAR)
        square = square.filter(ImageFilter.GaussianBlur(6)).resize((side, side))
        square = Image.blend(square, Image.new("RGB", square.size, (0, 0, 0)), 0.35)
        whole = ImageOps.contain(rgb, (side, side), Image.Resampling.LANCZOS)
        square.paste(whole, ((side - whole.width) // 2, (side - whole.height) // 2))
    buffer = io.BytesIO()
    square.save(buffer, "JPEG", quality=88, optimize=True)
    return Cover(buffer.getvalue(), "image/jpeg", side)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB, transparency laid on white (Apple's rules allow no alpha), CMYK and grey converted."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        ground = Image.new("RGB", rgba.size, (255, 255, 255))
        ground.paste(rgba, mask=rgba.getchannel("A"))
        return ground
    return image.convert("RGB")
