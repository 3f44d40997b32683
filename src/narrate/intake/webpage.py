"""HTML pages: trafilatura finds the article, then what a listener should not hear goes.

1. Parse the page once (lxml, through trafilatura) and read its declared language.
2. ``trafilatura.bare_extraction``: the main content (favouring precision) and the metadata
   (title, author, date, description, lead image, canonical URL, site name).
3. What a presenter reads aloud (:mod:`narrate.intake.metadata`, :mod:`narrate.intake.bylines`):
   one headline of the page's ``<h1>``, ``og:title``, ``<title>`` and JSON-LD; the authors as
   people (name, role, outlet); the time of publication with its zone.
4. Flatten trafilatura's body into paragraphs: headings stay headings (they become chapters),
   list items and table rows are a paragraph each, text between elements is kept.
5. Drop what only makes sense on a screen: photo captions and credits, "This audio is created
   with AI assistance", "Read more:" and "Related:" lines, share and subscribe prompts, the
   byline, dateline and any of the page's headlines repeated inside the body, a line about the
   author, the items of lists of links, and boxes of teasers after a heading such as "More
   from ..." (see :mod:`narrate.intake.rules`). A heading at the top that the page's summary
   repeats is the deck: it leaves the body and is said once, in the intro.
6. Language: the page's declared one, else the detector of :mod:`narrate.language`.
"""

from __future__ import annotations

import logging
import re
import typing
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import trafilatura
from trafilatura.utils import load_html

from narrate.errors import InputError
from narrate.intake.bylines import people
from narrate.intake.knobs import fires
from narrate.intake.metadata import choose_headline, headlines, link_list_items, published_at
from narrate.intake.rules import (
    BYLINE,
    POINTER,
    PROMPT,
    PROMPT_WORDS,
    STRONG_BOILERPLATE,
    about_author,
    clean_inline,
    clean_title,
    find_date,
    is_boilerplate,
    is_dateline,
    is_prose,
    names_only,
    section_cost,
    word_count,
)
from narrate.language import detect_language, language_tag
from narrate.models import Article, BlockKind, Paragraph

logger = logging.getLogger(__name__)

NO_BODY_HINT = (
    "narrate reads news articles: check that the page holds the article's text "
    "(some sites load it with JavaScript; save the page after it has loaded, or paste its text "
    "into a .txt file)"
)
# A heavy news page has 5,000 elements; trafilatura takes seconds past 20,000.
MAX_ELEMENTS = 30_000
# libxml2's HTML parser drops what is nested deeper than this (a real page nests 30 deep).
PARSER_MAX_DEPTH = 255
_AT_PARSER_DEPTH = f"boolean(//*[count(ancestor::*) >= {PARSER_MAX_DEPTH}])"
LONG_PROSE_WORDS = 25
BOX_EXIT_WORDS = 8  # a sentence this long after a box's heading is the article again
DECK_REACH = 3  # the deck is one of the body's first blocks ...
DECK_MIN_WORDS = 6  # ... and says at least this much
# A line that sends the reader elsewhere: "Read more: ...", "RELATED: ...", "See also ...".
_LANG_XPATHS = (
    "/html/@lang",
    "/html/@xml:lang",
    "//meta[translate(@http-equiv,'CONTENTLAGU','contentlagu')='content-language']/@content",
    "//meta[@property='og:locale']/@content",
    "//meta[translate(@name,'LANGUAGEDC.','languagedc.')='language']/@content",
    "//meta[translate(@name,'LANGUAGEDC.','languagedc.')='dc.language']/@content",
)


def read_html(markup: str, name: str, *, url: str | None = None) -> Article:
    """The article of a web page. ``url`` is where it was fetched from (the canonical URL wins)."""
    tree = _library_call(load_html, name, markup)
    elements = sum(1 for _ in tree.iter()) if tree is not None else 0
    if elements > MAX_ELEMENTS:
        raise InputError(
            f"{name} has {elements:,} HTML elements, more than a web page ({MAX_ELEMENTS:,})",
            "give the article's own page, saved from a browser",
        )
    declared = _declared_language(tree) if tree is not None else None
    cut_short = tree is not None and bool(tree.xpath(_AT_PARSER_DEPTH))
    doc = None
    if tree is not None:
        with _library_warnings_as_details():
            doc = _library_call(
                trafilatura.bare_extraction,
                name,
                tree,
                url=url,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                favor_precision=True,
            )
    body = getattr(doc, "body", None)
    blocks = body_paragraphs(body) if body is not None else []
    found = headlines(tree) if tree is not None else {}
    title = choose_headline(found, clean_title(getattr(doc, "title", None) or ""))
    publisher = clean_inline(getattr(doc, "sitename", None) or "") or None
    authors = people(getattr(doc, "author", None), publisher)
    description = clean_inline(getattr(doc, "description", None) or "") or None
    raw_date = getattr(doc, "date", None)
    page = Page.of(
        headlines=(title, *found.values()),
        names=(p.name for p in authors),
        description=description,
        link_items=link_list_items(tree) if tree is not None else (),
    )
    deck, paragraphs = _deck(listenable(blocks, page), page)
    if not any(not p.is_heading for p in paragraphs):
        if cut_short:
            raise InputError(
                f"no article body found in {name}: it nests elements more than "
                f"{PARSER_MAX_DEPTH} deep, and the HTML parser reads no deeper",
                "save the page again from a browser, or paste the article's text into a .txt file",
            )
        raise InputError(f"no article body found in {name}", NO_BODY_HINT)
    if not title:
        title = next((p.text for p in paragraphs if p.is_heading), Path(name).stem)
    body_text = "\n".join(p.text for p in paragraphs)
    moment = published_at(tree) if tree is not None else None
    day = iso_date(raw_date) if raw_date else None
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        authors=authors,
        published=day or (moment.date() if moment else None),
        source_url=getattr(doc, "url", None) or url,
        publisher=publisher,
        language=declared or detect_language(body_text) or "en",
        source_name=name,
        description=description,
        image_url=getattr(doc, "image", None) or None,
        deck=deck,
        published_at=moment,
    )


def _library_call(
    function: typing.Callable[..., typing.Any], name: str, *args: typing.Any, **kwargs: typing.Any
) -> typing.Any:
    """Call lxml or trafilatura on a page: whatever they raise on hostile markup (they raise
    many kinds, RecursionError among them) means the page can't be read, which is bad input.
    Only these calls are guarded, so a bug in narrate's own code still reports as a bug."""
    try:
        return function(*args, **kwargs)
    except Exception as exc:
        logger.debug(
            "%s failed on %s", getattr(function, "__name__", function), name, exc_info=True
        )
        raise InputError(
            f"could not parse the HTML of {name}", "check that it is a web page"
        ) from exc


@contextmanager
def _library_warnings_as_details() -> Iterator[None]:
    """Keep trafilatura's warnings about a page ("discarding data: None") off the terminal
    unless narrate logs details (--verbose): the CLI's error is one line, and says it better."""
    library = logging.getLogger("trafilatura")
    if logger.isEnabledFor(logging.DEBUG) or library.level > logging.WARNING:
        yield
        return
    before = library.level
    library.setLevel(logging.ERROR)
    try:
        yield
    finally:
        library.setLevel(before)


def _declared_language(tree: typing.Any) -> str | None:
    for xpath in _LANG_XPATHS:
        for value in tree.xpath(xpath):
            tag = language_tag(str(value))
            if tag:
                return tag
    return None


def body_paragraphs(body: typing.Any) -> list[Paragraph]:
    """Trafilatura's body as paragraphs: ``<head>`` are headings, ``<p>`` paragraphs, each
    ``<item>`` of a list and ``<row>`` of a table one paragraph; loose text is kept too."""
    for lb in body.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    paragraphs: list[Paragraph] = []

    def add(text: str | None, heading: bool = False, kind: BlockKind = "text") -> None:
        for line in (text or "").split("\n"):
            cleaned = clean_inline(line)
            if cleaned:
                paragraphs.append(Paragraph(cleaned, is_heading=heading, kind=kind))

    def walk(element: typing.Any, kind: BlockKind = "text") -> None:
        tag = element.tag
        if tag == "head":
            add("".join(element.itertext()), heading=True)
        elif tag in ("list", "quote", "div", "table"):
            inner: BlockKind = "quote" if tag == "quote" else kind
            add(element.text, kind=inner)
            for child in element:
                walk(child, inner)
        elif tag == "row":
            cells = (clean_inline("".join(cell.itertext())) for cell in element)
            add(", ".join(cell for cell in cells if cell), kind="item")
        elif tag not in ("graphic", "code", "ref"):
            add("".join(element.itertext()), kind="item" if tag == "item" else kind)
        add(element.tail, kind=kind)

    add(body.text)
    for child in body:
        walk(child)
    return paragraphs


_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Page:
    """What the page says beside its body, for telling the body's furniture (keys: ``_key``)."""

    headlines: frozenset[str] = _NONE  # every name the page gives its article
    names: frozenset[str] = _NONE  # the authors' names
    description: str | None = None  # the page's summary (a deck repeats it)
    link_items: frozenset[str] = _NONE  # the items of its lists of links

    @classmethod
    def of(
        cls,
        headlines: Iterable[str] = (),
        names: Iterable[str] = (),
        description: str | None = None,
        link_items: Iterable[str] = (),
    ) -> Page:
        """The page from the texts as written."""
        keys = (frozenset(_key(t) for t in texts if t) for texts in (headlines, names, link_items))
        heads, people_, links = keys
        return cls(heads, people_, description, links)


def listenable(blocks: list[Paragraph], page: Page) -> list[Paragraph]:
    """The blocks a listener should hear (step 5 of the module docstring).

    After the heading of a box ("More:", "Related stories", "Most read") the lines that are not
    prose (teaser headlines, link lists) go too, up to the next heading or paragraph of prose.
    """
    kept: list[Paragraph] = []
    in_box = False
    for block in blocks:
        text = block.text
        words = word_count(text)
        if section_cost(text) > 0 and words <= 8:
            in_box = True
            continue
        if (
            in_box
            and not block.is_heading
            and (not is_prose(text) or words < BOX_EXIT_WORDS)
            and fires("box-teaser")
        ):
            logger.debug("dropped from a box: %s", text[:80])
            continue
        in_box = False
        key = _key(text)
        headline = key in page.headlines and (not is_prose(text) or not _has_prose(kept))
        if headline and fires("headline-repeat"):
            continue  # a headline of the page (its <h1>, og:title, <title>) repeated
        if key in page.link_items and not is_prose(text) and fires("link-list"):
            continue  # an item of a list of links to other pages
        if _is_furniture(text, words, heading=block.is_heading, names=page.names):
            logger.debug("dropped from the body: %s", text[:80])
            continue
        kept.append(block)
    while kept and kept[-1].is_heading:  # a heading with nothing under it heads a dropped box
        kept.pop()
    return kept


def _deck(blocks: list[Paragraph], page: Page) -> tuple[str | None, list[Paragraph]]:
    """The deck (standfirst) and the body without it: a heading before the body's first prose
    that the page's summary repeats (or begins). A paragraph that the summary repeats is the
    article's opening (sites often give it as their summary), not a deck."""
    summary = _key(page.description or "")
    if word_count(summary) < DECK_MIN_WORDS:
        return None, blocks
    for i, block in enumerate(blocks[:DECK_REACH]):
        key = _key(block.text)
        similar = key == summary or (
            word_count(key) >= DECK_MIN_WORDS
            and (summary.startswith(key) or key.startswith(summary))
        )
        if similar and block.is_heading and fires("deck"):
            return block.text, blocks[:i] + blocks[i + 1 :]
        if not block.is_heading and is_prose(block.text):
            break
    return None, blocks


def _is_furniture(text: str, words: int, *, heading: bool, names: frozenset[str]) -> bool:
    if POINTER.match(text) or section_cost(text) > 0:
        return True
    if BYLINE.match(text) and words <= 20 and not is_prose(text) and fires("byline-line"):
        return True  # "By Jane Roe | March 3, 2024"
    if words <= 12 and names_only(text, names) and fires("byline-repeat"):
        return True
    if about_author(text, names):
        return True
    if is_dateline(text):
        return True
    if heading:
        return bool(STRONG_BOILERPLATE.search(text)) and words < 12
    if words <= PROMPT_WORDS and PROMPT.search(text) and fires("prompt"):
        return True  # "... Sign up for the free daily newsletter."
    if words >= LONG_PROSE_WORDS and is_prose(text) and fires("long-prose-kept"):
        # Trafilatura kept it and it is a long sentence: furniture words are its topic
        # ("... you can sign up for a free trial, but subscribers ...").
        return STRONG_BOILERPLATE.count(text) >= 3
    return is_boilerplate(text, words)


def _has_prose(blocks: list[Paragraph]) -> bool:
    return any(not b.is_heading and is_prose(b.text) for b in blocks)


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return find_date(text)
