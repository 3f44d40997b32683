"""The spoken intro and outro: ``[audio] intro``/``outro`` templates filled from the article.

Placeholders: ``{show} {title} {byline} {date} {publisher} {source_host} {source_name}
{origin}`` (see ``defaults/narrate.toml``). A line whose placeholder is empty (an article with no
byline) is left out, so the listener never hears "By ." .
"""

from __future__ import annotations

import logging
import string
from pathlib import Path
from urllib.parse import urlsplit

from narrate.models import Article, Show
from narrate.months import month_name

log = logging.getLogger(__name__)


def template_fields(article: Article, show: Show) -> dict[str, str]:
    """What each placeholder stands for, for ``article`` in ``show``."""
    host = (urlsplit(article.source_url).hostname or "") if article.source_url else ""
    host = host.removeprefix("www.")
    name = ""
    if article.source_name not in {"", "stdin", "-"}:
        name = Path(article.source_name).stem
    published = article.published
    return {
        "show": show.title,
        "title": article.title,
        "byline": article.byline or "",
        "date": (
            f"{month_name(published.month)} {published.day}, {published.year}" if published else ""
        ),
        "publisher": article.publisher or "",
        "source_host": host,
        "source_name": name,
        "origin": article.publisher or host,
    }


def fill_template(lines: tuple[str, ...], fields: dict[str, str]) -> list[str]:
    """Fill each line's ``{placeholders}``; a line with an empty or unknown one is left out."""
    out = []
    for line in lines:
        try:
            names = [n for _, n, _, _ in string.Formatter().parse(line) if n]
            if all(fields.get(n) for n in names):
                out.append(line.format(**fields))
        except (ValueError, KeyError, IndexError):
            log.warning("skipping the template line %r: it is not a valid template", line)
    return out
