"""What a web page says about its article besides the body: its headlines, when it was
published (with the time and zone when the page gives them), and its lists of links.

- Headlines: a page names its article up to four ways (``og:title`` for sharing, ``<title>``
  with the site's name, the ``<h1>`` the reader sees, JSON-LD ``headline``). One is spoken
  (:func:`choose_headline`): the ``<h1>`` when it is a headline of this article (it shares most
  of its words with another of them), else ``og:title``, else the others. Every one of them is
  the headline when it turns up in the body, so none is spoken twice.
- Publication time: ``article:published_time``, ``itemprop=datePublished``, JSON-LD
  ``datePublished``, then the first ``<time datetime>``; only values that hold a time of day.
- Lists of links: a list whose every item is wholly one link is navigation (related stories,
  a section's index), not the article.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Iterator
from datetime import datetime

from narrate.intake.rules import TITLE_SEPARATORS, WORD, clean_inline, clean_title, word_count

HEADLINE_OVERLAP = 0.5  # share of the shorter headline's words that the <h1> must share
LINK_LIST_ITEMS = 2  # items of a list, each one link, that make it a list of links
_TIME_OF_DAY = re.compile(r"\d[T ]\d{1,2}:\d\d")
_PUBLISHED_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
)


def headlines(tree: typing.Any) -> dict[str, str]:
    """The page's names for its article, by where they come from (og, title, h1, ld)."""
    found: dict[str, str] = {}
    og = tree.xpath("//meta[@property='og:title']/@content")
    if og and (text := clean_title(str(og[0]))):
        found["og"] = text
    title = tree.xpath("//head/title//text()")
    if title and (text := clean_title(" ".join(str(t) for t in title))):
        found["title"] = max(TITLE_SEPARATORS.split(text), key=len)
    for h1 in tree.xpath("//body//h1")[:3]:
        text = clean_title("".join(h1.itertext()))
        if 2 <= word_count(text) <= 40:
            found.setdefault("h1", text)
    for item in _json_ld(tree):
        headline = item.get("headline")
        if isinstance(headline, str) and (text := clean_title(headline)):
            found.setdefault("ld", text)
    return found


def choose_headline(found: dict[str, str], fallback: str) -> str:
    """The one headline to speak (see the module)."""
    h1 = found.get("h1")
    others = [found[k] for k in ("og", "ld", "title") if k in found]
    if h1 and (not others or any(_overlap(h1, other) >= HEADLINE_OVERLAP for other in others)):
        return h1
    return next(iter(others), fallback) or fallback


def _overlap(a: str, b: str) -> float:
    wa, wb = set(WORD.findall(a.lower())), set(WORD.findall(b.lower()))
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def published_at(tree: typing.Any) -> datetime | None:
    """When the page says the article was published, to the minute (see the module)."""
    values = [str(v) for xpath in _PUBLISHED_XPATHS for v in tree.xpath(xpath)]
    values += [str(i["datePublished"]) for i in _json_ld(tree) if i.get("datePublished")]
    values += [str(v) for v in tree.xpath("//time/@datetime")[:1]]
    for value in values:
        moment = _moment(value)
        if moment is not None:
            return moment
    return None


def _moment(value: str) -> datetime | None:
    value = value.strip()
    if not _TIME_OF_DAY.search(value[:20]):
        return None
    value = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", value)  # +0100 -> +01:00
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _json_ld(tree: typing.Any) -> Iterator[dict[str, typing.Any]]:
    """The JSON-LD objects of the page (lists and ``@graph`` flattened); bad JSON is skipped."""
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(str(script))
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])


def link_list_items(tree: typing.Any) -> set[str]:
    """The texts of the items of lists whose every item is wholly one link (see the module)."""
    items: set[str] = set()
    for listing in tree.xpath("//ul|//ol"):
        entries = listing.xpath("./li")
        if len(entries) < LINK_LIST_ITEMS:
            continue
        texts = []
        for entry in entries:
            text = clean_inline("".join(entry.itertext()))
            links = entry.xpath(".//a")
            linked = clean_inline(" ".join("".join(a.itertext()) for a in links))
            if not text or len(links) != 1 or linked != text:
                break
            texts.append(text)
        else:
            items.update(texts)
    return items
