"""The spoken intro and outro: ``[audio] intro``/``outro`` templates filled from the article.

Placeholders: ``{show} {title} {byline} {summary} {date} {publisher} {source_host} {source_name}
{origin}`` (see ``defaults/narrate.toml``). ``{byline}`` is the authors' names only (their roles
and outlets are not said); ``{summary}`` is the deck, the standfirst under the headline, which
extraction takes out of the body so that it is said once, here (a show that leaves it out of
its intro does not hear it). A line whose placeholder is empty (an article with no
byline) is left out, so the listener never hears "By ." . ``{date}`` is written as a page in the
article's language writes it ("3. März 2026"), and the language's rules then say it.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from narrate.language import primary_subtag
from narrate.models import Article, Show
from narrate.months import month_name
from narrate.speech import french, german, spanish

# How a page in each language writes a date; English (and languages without rules) else.
_WRITTEN_DATES: dict[str, Callable[[date], str]] = {
    "de": german.written_date,
    "fr": french.written_date,
    "es": spanish.written_date,
}

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
        "summary": _sentence(article.deck or ""),
        "date": written_date(published, article.language) if published else "",
        "publisher": article.publisher or "",
        "source_host": host,
        "source_name": name,
        "origin": article.publisher or host,
    }


def _sentence(text: str) -> str:
    """The text as a sentence of its own: a deck is often written without its full stop."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…\"'”’)" else text + "."


def written_date(day: date, language: str) -> str:
    """ "March 3, 2026", or as a page in ``language`` writes it ("3. März 2026")."""
    written = _WRITTEN_DATES.get(primary_subtag(language))
    return written(day) if written else f"{month_name(day.month)} {day.day}, {day.year}"


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
