"""Extraction: every input kind to an exact Article, and every bad input to an InputError."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from conftest import KYIV_PAGE_FURNITURE
from narrate.errors import InputError
from narrate.extract import load_article
from narrate.extract_text import clean_byline, clean_title, find_date
from narrate.models import Paragraph

FERRY_HTML = """<!DOCTYPE html>
<html><head><meta charset="windows-1252">
<title>Harbour ferry returns after storm | Gull Gazette</title>
<meta property="og:url" content="https://gazette.example/ferry">
<meta name="author" content="Mira Solberg">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
<meta property="og:site_name" content="Gull Gazette">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour ferry returns after storm</h1>
<p>The ferry between Ostby and the island of Hale sailed again on Tuesday morning, three days
after a storm tore part of its landing stage away. Caf\xe9 owners on the quay cheered.</p>
<h2>Repairs took three days</h2>
<p>Engineers worked through the night to bolt new timber to the old piles, the harbour master
said, and the first crossing left at seven with forty passengers aboard.</p>
<p>"We are back, and we are staying back," said the captain, who has run the route for eleven
years.</p>
</article>
<footer>Subscribe to our newsletter</footer>
</body></html>
"""

FERRY_BODY = (
    Paragraph(
        "The ferry between Ostby and the island of Hale sailed again on Tuesday morning, three "
        "days after a storm tore part of its landing stage away. Café owners on the quay cheered."
    ),
    Paragraph("Repairs took three days", is_heading=True),
    Paragraph(
        "Engineers worked through the night to bolt new timber to the old piles, the harbour "
        "master said, and the first crossing left at seven with forty passengers aboard."
    ),
    Paragraph(
        '"We are back, and we are staying back," said the captain, who has run the route for '
        "eleven years."
    ),
)

PAGE_DUMP = """\
Skip to main content
Home
World
Sport
Weather
Sign in

Owls return to the old mill at Brenwick

By Tomas Quill | March 3, 2024 9:12 AM | 3 min read
A barn owl on a beam of the mill. (Photo: Lena Ward / Brenwick Post)
Listen to this article

For the first time in twenty years, a pair of barn owls has nested in the roof of the old \
mill at Brenwick, volunteers said on Sunday.

The mill closed in 1961 and stood empty until a village trust bought it last spring and \
fitted six nesting boxes under the eaves.

"We hoped for one owl. We never dared hope for two," said Ada Prentice, who leads the trust.

Advertisement

Ringers from the county wildlife group will visit in June to count the chicks.

Related
Village bakery wins regional prize
Council approves new cycle path

The trust plans an open day in the summer, when visitors can watch the owls on a camera fed \
to a screen in the old grain store, and hopes to raise enough money to repair the waterwheel.

Prentice said the owls had been seen hunting over the water meadows most evenings since \
February, and asked walkers to keep dogs on leads near the mill until the chicks have fledged.

Most Popular

Storm closes coast road for a second night.

Drivers were told to use the inland route while crews cleared fallen trees and a small \
landslip near the harbour, the council said on Monday evening.

Enter your email to subscribe to our newsletter
Subscribe
Copyright 2024 Brenwick Post. All rights reserved.
"""

OWL_BODY = (
    "For the first time in twenty years, a pair of barn owls has nested in the roof of the old "
    "mill at Brenwick, volunteers said on Sunday.",
    "The mill closed in 1961 and stood empty until a village trust bought it last spring and "
    "fitted six nesting boxes under the eaves.",
    '"We hoped for one owl. We never dared hope for two," said Ada Prentice, who leads the trust.',
    "Ringers from the county wildlife group will visit in June to count the chicks.",
    "The trust plans an open day in the summer, when visitors can watch the owls on a camera fed "
    "to a screen in the old grain store, and hopes to raise enough money to repair the waterwheel.",
    "Prentice said the owls had been seen hunting over the water meadows most evenings since "
    "February, and asked walkers to keep dogs on leads near the mill until the chicks have "
    "fledged.",
)

MARKDOWN = """\
---
title: "Tide tables go digital"
author: Rosa Imber
date: 2024-06-01
url: https://coast.example/tides
publisher: Coast Weekly
---

# Tide tables go digital

The harbour office has **stopped** printing its *tide tables*,
after [forty years](https://x.example) of paper.

![A printed tide table](table.png)

## What changes

- Tables are on the `website` now.
- A phone line reads them aloud.

> "Paper served us well," said the harbour master.

```
print("not for speech")
```

---

Printed copies stay at the library <span>until May</span>.
"""


def _write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def _texts(paragraphs: tuple[Paragraph, ...]) -> tuple[str, ...]:
    return tuple(p.text for p in paragraphs)


# HTML


def test_html_article_with_declared_charset(tmp_path: Path) -> None:
    source = _write(tmp_path, "ferry.html", FERRY_HTML.encode("cp1252"))
    article = load_article(source)
    assert article.title == "Harbour ferry returns after storm"
    assert article.paragraphs == FERRY_BODY
    assert article.byline == "Mira Solberg"
    assert article.published == date(2024, 3, 5)
    assert article.source_url == "https://gazette.example/ferry"
    assert article.publisher == "Gull Gazette"
    assert article.source_name == "ferry.html"
    assert "Subscribe" not in article.body_text and "Sport" not in article.body_text


def test_source_url_argument_overrides_the_page(tmp_path: Path) -> None:
    source = _write(tmp_path, "ferry.htm", FERRY_HTML.encode("cp1252"))
    article = load_article(source, source_url="https://elsewhere.example/a")
    assert article.source_url == "https://elsewhere.example/a"


def test_html_without_charset_falls_back_to_utf8_with_replacement(tmp_path: Path) -> None:
    page = FERRY_HTML.replace('<meta charset="windows-1252">', "").encode("cp1252")
    article = load_article(_write(tmp_path, "ferry.html", page))
    assert article.paragraphs[0].text.endswith("Caf\ufffd owners on the quay cheered.")


def test_html_title_markup_is_stripped(tmp_path: Path) -> None:
    page = FERRY_HTML.replace(
        "<title>Harbour ferry returns after storm | Gull Gazette</title>",
        "<title>&lt;b&gt;Ferry&lt;/b&gt;   back &amp; busy</title>",
    ).replace("<h1>Harbour ferry returns after storm</h1>", "")
    article = load_article(_write(tmp_path, "ferry.html", page.encode("cp1252")))
    assert article.title == "Ferry back & busy"


def test_html_without_article_body_is_refused(tmp_path: Path) -> None:
    page = "<html><body><nav><a href='/'>Home</a></nav><footer>Contact</footer></body></html>"
    with pytest.raises(InputError) as caught:
        load_article(_write(tmp_path, "empty.html", page))
    assert caught.value.message == "no article body found in empty.html"
    assert caught.value.hint


# Plain text


def test_page_dump_keeps_the_article_and_drops_the_page(tmp_path: Path) -> None:
    article = load_article(_write(tmp_path, "owls.txt", PAGE_DUMP))
    assert article.title == "Owls return to the old mill at Brenwick"
    assert article.byline == "Tomas Quill"
    assert article.published == date(2024, 3, 3)
    assert _texts(article.paragraphs) == OWL_BODY
    assert not any(p.is_heading for p in article.paragraphs)


def test_clean_text_keeps_short_paragraphs(tmp_path: Path) -> None:
    text = "The quiet week\n\nNothing happened.\n\nIt rained twice.\n\nThe end.\n"
    article = load_article(_write(tmp_path, "quiet.txt", text))
    assert article.title == "The quiet week"
    assert _texts(article.paragraphs) == ("Nothing happened.", "It rained twice.", "The end.")
    assert article.byline is None and article.published is None


def test_prose_about_furniture_words_is_kept(tmp_path: Path) -> None:
    text = (
        "Publisher cuts costs\n\n"
        "Advertising revenue fell by a third this year, the publisher told its staff on Monday.\n\n"
        "Its newsletter will now go out weekly instead of daily, and two bureaus will close.\n"
    )
    article = load_article(_write(tmp_path, "costs.txt", text))
    assert len(article.paragraphs) == 2


def test_hard_wrapped_text_is_rejoined(tmp_path: Path) -> None:
    text = (
        "Lanterns along the canal\n\n"
        "The lantern walk along the canal drew more than two thousand people on\n"
        "Saturday evening, the organisers said, twice as many as last year.\n\n"
        "Children carried paper lanterns they had made at school during the week,\n"
        "and a brass band played at each of the four bridges along the route.\n"
    )
    article = load_article(_write(tmp_path, "lanterns.txt", text))
    assert _texts(article.paragraphs) == (
        "The lantern walk along the canal drew more than two thousand people on Saturday "
        "evening, the organisers said, twice as many as last year.",
        "Children carried paper lanterns they had made at school during the week, and a brass "
        "band played at each of the four bridges along the route.",
    )


def test_text_title_is_plain_text_even_when_hostile(tmp_path: Path) -> None:
    text = (
        "<script>alert('x')</script><b>Bridge</b> &amp; tunnel   reopen\n\n"
        "Both crossings reopened on Friday after a week of repairs to the lighting.\n"
    )
    article = load_article(_write(tmp_path, "bridge.txt", text))
    assert article.title == "Bridge & tunnel reopen"
    assert "<" not in article.title and "alert" not in article.title


def test_text_bom_and_crlf_are_removed(tmp_path: Path) -> None:
    data = "\ufeffA title\r\n\r\nOne full sentence of body text here.\r\n".encode()
    article = load_article(_write(tmp_path, "bom.txt", data))
    assert article.title == "A title"
    assert _texts(article.paragraphs) == ("One full sentence of body text here.",)


def test_long_title_is_capped() -> None:
    title = clean_title("word " * 100)
    assert len(title) <= 201 and title.endswith("…")


def test_kyiv_page_dump(kyiv: Path) -> None:
    article = load_article(str(kyiv))
    assert article.title == "North Korean troops joining Russian assaults in Kursk, Zelensky says"
    assert article.byline == "Abbey Fenbert"
    assert article.published == date(2024, 12, 14)
    body = article.body_text
    assert body.startswith('A "significant number" of North Korean soldiers')
    assert body.endswith("taken back 40% of the territory initially captured by Ukraine.")
    assert [s for s in KYIV_PAGE_FURNITURE if s in body] == []


# Markdown


def test_markdown_front_matter_and_body(tmp_path: Path) -> None:
    article = load_article(_write(tmp_path, "tides.md", MARKDOWN))
    assert article.title == "Tide tables go digital"
    assert article.byline == "Rosa Imber"
    assert article.published == date(2024, 6, 1)
    assert article.source_url == "https://coast.example/tides"
    assert article.publisher == "Coast Weekly"
    assert article.paragraphs == (
        Paragraph(
            "The harbour office has stopped printing its tide tables, after forty years of paper."
        ),
        Paragraph("What changes", is_heading=True),
        Paragraph("Tables are on the website now."),
        Paragraph("A phone line reads them aloud."),
        Paragraph('"Paper served us well," said the harbour master.'),
        Paragraph("Printed copies stay at the library until May."),
    )


def test_markdown_title_and_byline_from_the_text(tmp_path: Path) -> None:
    text = "# The *last* tram\n\nBy Olek Varga, May 4, 2023\n\nThe last tram ran at midnight.\n"
    article = load_article(_write(tmp_path, "tram.markdown", text))
    assert article.title == "The last tram"
    assert article.byline == "Olek Varga"
    assert article.published == date(2023, 5, 4)
    assert _texts(article.paragraphs) == ("The last tram ran at midnight.",)


def test_markdown_without_body_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_article(_write(tmp_path, "bare.md", "# Only a title\n\n```\ncode\n```\n"))
    assert caught.value.message == "no article body found in bare.md"
    assert caught.value.hint


# stdin


def test_stdin_html_is_sniffed() -> None:
    data = b"\n  " + FERRY_HTML.encode("cp1252")
    article = load_article("-", stdin=io.BytesIO(data))
    assert article.source_name == "stdin"
    assert article.paragraphs == FERRY_BODY


def test_stdin_markdown_is_sniffed() -> None:
    data = b"# Short news\n\nA *short* item of news.\n"
    article = load_article("-", stdin=io.BytesIO(data))
    assert article.title == "Short news"
    assert _texts(article.paragraphs) == ("A short item of news.",)


def test_stdin_text_is_sniffed() -> None:
    data = b"Short news\n\n<p> is a tag, said the *teacher*.\n"
    article = load_article("-", stdin=io.BytesIO(data))
    assert article.title == "Short news"
    assert _texts(article.paragraphs) == ("is a tag, said the *teacher*.",)


# Bad input


def _refused(source: str, **kwargs: object) -> InputError:
    with pytest.raises(InputError) as caught:
        load_article(source, **kwargs)  # type: ignore[arg-type]
    error = caught.value
    assert error.message and "\n" not in error.message
    assert error.hint
    return error


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in _refused(str(tmp_path / "nope.txt")).message


def test_directory(tmp_path: Path) -> None:
    assert "folder" in _refused(str(tmp_path)).message


def test_unsupported_extension(tmp_path: Path) -> None:
    error = _refused(_write(tmp_path, "story.pdf", "%PDF-1.4"))
    assert "unsupported extension (.pdf)" in error.message


@pytest.mark.parametrize("content", ["", "  \n\t\n", "\ufeff \n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    assert "is empty" in _refused(_write(tmp_path, "empty.txt", content)).message


@pytest.mark.parametrize(
    "data", [b"Title\n\nText\x00\x00 more", b"\x01\x02\x03\x04\x05\x06\x07 text"]
)
def test_binary_file(tmp_path: Path, data: bytes) -> None:
    assert "binary" in _refused(_write(tmp_path, "blob.txt", data)).message


def test_file_bigger_than_max_bytes(tmp_path: Path) -> None:
    source = _write(tmp_path, "big.txt", "Title\n\n" + "A sentence. " * 100)
    assert "bigger than 100 bytes" in _refused(source, max_bytes=100).message


def test_stdin_bigger_than_max_bytes() -> None:
    error = _refused("-", stdin=io.BytesIO(b"x" * 101), max_bytes=100)
    assert error.message == "stdin is bigger than 100 bytes"


@pytest.mark.parametrize("name", ["latin.txt", "latin.md"])
def test_text_that_is_not_utf8(tmp_path: Path, name: str) -> None:
    error = _refused(
        _write(tmp_path, name, "Caf\xe9 news\n\nThe caf\xe9 opened.\n".encode("latin-1"))
    )
    assert "not valid UTF-8" in error.message
    assert "iconv" in error.hint


def test_text_without_body(tmp_path: Path) -> None:
    error = _refused(_write(tmp_path, "menu.txt", "Home\nNews\nSport\nSubscribe\nSign in\n"))
    assert error.message == "no article body found in menu.txt"


# The small cleaners


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("by Abbey Fenbert December 14, 2024 7:15 PM 2 min read", "Abbey Fenbert"),
        ("By Jane Roe and Sam Poe | Updated 3 hours ago", "Jane Roe and Sam Poe"),
        ("Written by <a href='/x'>Li Wei</a>, Staff Writer", "Li Wei"),
        ("By", None),
    ],
)
def test_clean_byline(raw: str, expected: str | None) -> None:
    assert clean_byline(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Posted Dec. 14, 2024 at noon", date(2024, 12, 14)),
        ("14 December 2024", date(2024, 12, 14)),
        ("2024-12-14T19:15:00Z", date(2024, 12, 14)),
        ("Sept 3rd, 2021", date(2021, 9, 3)),
        ("no date here", None),
        ("February 30, 2024", None),
    ],
)
def test_find_date(text: str, expected: date | None) -> None:
    assert find_date(text) == expected


def test_page_dump_publisher_comes_from_its_copyright_line(tmp_path: Path) -> None:
    article = load_article(
        _write(
            tmp_path,
            "ferry.txt",
            "Menu\nFerry service resumes across the bay\n\n"
            "The ferry across the bay carried its first passengers on Monday evening after a "
            "long repair, officials said.\n\n"
            "Fares are unchanged, and boats leave every half hour until midnight, they said.\n\n"
            "© 2026 The Bayside Courier. All rights reserved.\nAbout us\n",
        )
    )
    assert article.publisher == "The Bayside Courier"


def test_more_text_than_one_article_is_refused(tmp_path: Path) -> None:
    sentence = "The council met on Monday and agreed the plan after a long debate. "
    path = _write(tmp_path, "book.txt", "A very long story\n\n" + sentence * 4000 + "\n")
    with pytest.raises(InputError) as caught:
        load_article(path)
    assert "characters of article text" in caught.value.message
    assert caught.value.hint
