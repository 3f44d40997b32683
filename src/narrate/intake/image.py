"""The article's lead image, as bytes: from the page (``Article.image_url``) or a given file.

Where it comes from, first found:

1. ``Release.image`` (``narrate build --image FILE-or-URL``): what the producer chose; a
   failure to read it stops the build (InputError).
2. ``Article.image_url``, the page's own (``og:image``, front matter ``image:``). For a file, a
   path is read beside it and a URL is not fetched (a saved page builds offline, as README
   promises). For an article fetched from a URL, the image is fetched too, a path taken
   relative to the page's URL: a page on the web never makes narrate read (and publish) a file
   of this machine. An article given as text (a program's) uses only ``--image``. A failure is
   logged and the show's cover stands in: a missing picture must not stop an episode.

URLs go through :func:`narrate.intake.fetch.fetch`: http(s) only, its whole-request deadline
and a size cap.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urljoin

from narrate.errors import InputError
from narrate.intake.fetch import fetch, is_url
from narrate.intake.source import Source
from narrate.models import Article, ArticleText

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 15_000_000


def lead_image(article: Article, source: Source) -> tuple[bytes, str] | None:
    """The image's bytes and how to name it in messages, or None (see the module's docstring)."""
    chosen = article.release.image
    if chosen:
        return _read(chosen, _folder(source)), chosen
    ref = (article.image_url or "").strip()
    if not ref or isinstance(source, ArticleText):  # a program's text: its own --image only
        return None
    from_url = is_url(str(source))
    if from_url:  # a fetched page's image is on the web, never a file of this machine
        ref = urljoin(article.source_url or str(source), ref)
    elif is_url(ref):
        log.info("the page's image %s is not fetched for a saved page: the show's cover", ref)
        return None
    try:
        return _read(ref, _folder(source)), ref
    except InputError as exc:
        log.warning("no episode art: %s; the show's cover is used", exc.message)
        return None


def _folder(source: Source) -> Path:
    """Where a relative image path is found: beside the article's file (else here)."""
    if isinstance(source, ArticleText) or is_url(str(source)) or str(source) == "-":
        return Path.cwd()
    return Path(source).parent


def _read(ref: str, folder: Path) -> bytes:
    if is_url(ref):
        return fetch(ref, max_bytes=MAX_IMAGE_BYTES).data
    path = folder / Path(ref).expanduser()
    try:
        if path.stat().st_size > MAX_IMAGE_BYTES:
            raise InputError(
                f"the image {path} is over {MAX_IMAGE_BYTES:,} bytes", "use a smaller one"
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot read the image {path}: {exc.strerror or exc}", "check the image's path"
        ) from exc
