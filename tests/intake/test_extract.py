"""Extraction: every input kind to an exact Article, and every bad input to an InputError."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import KYIV_PAGE_FURNITURE, REPO
from narrate.errors import InputError
from narrate.intake.pagedump import parse_text
from narrate.intake.rules import clean_byline, clean_title, find_date, find_moment, is_boilerplate
from narrate.intake.source import load_article
from narrate.intake.webpage import Page, listenable
from narrate.language import detect_language, language_tag
from narrate.models import Paragraph, Person

FIXTURES = REPO / "tests" / "fixtures"

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


EST = timezone(timedelta(hours=-5))

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


def test_html_without_charset_reads_stray_bytes_as_cp1252(tmp_path: Path) -> None:
    page = FERRY_HTML.replace('<meta charset="windows-1252">', "").encode("cp1252")
    article = load_article(_write(tmp_path, "ferry.html", page))
    assert article.paragraphs[0].text.endswith("Café owners on the quay cheered.")


def test_html_with_mixed_encodings_keeps_both(tmp_path: Path) -> None:
    """A UTF-8 page with a paragraph pasted in as cp1252 (a "mixed encodings" page)."""
    page = FERRY_HTML.replace('<meta charset="windows-1252">', '<meta charset="utf-8">')
    page = page.replace("Café owners", "Caf\u00e9 owners \u2014 and the ferry\u2019s crew \u2014")
    data = page.encode("utf-8").replace("\u2019".encode(), "\u2019".encode("cp1252"))
    article = load_article(_write(tmp_path, "mixed.html", data))
    assert article.paragraphs[0].text.endswith(
        "Café owners — and the ferry’s crew — on the quay cheered."
    )


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


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?:(?<=[.?!])|(?<=[.?!]\"))\s+(?=[A-Z\"])", text) if s]


def test_kyiv_page_dump(kyiv: Path) -> None:
    article = load_article(str(kyiv))
    assert article.title == "North Korean troops joining Russian assaults in Kursk, Zelensky says"
    assert article.byline == "Abbey Fenbert"
    assert article.published == date(2024, 12, 14)
    assert article.language == "en"
    body = article.body_text
    assert [s for s in KYIV_PAGE_FURNITURE if s in body] == []
    # The article is lines 10-32 of the dump, as a reader marks it: every sentence, in order.
    marked = kyiv.read_text(encoding="utf-8").split("\n")[9:32]
    expected = [s for line in marked for s in _sentences(line)]
    got = [s for p in article.paragraphs for s in _sentences(p.text)]
    assert len(expected) == 17
    for number, (want, have) in enumerate(zip(expected, got, strict=False), start=1):
        assert have == want, f"sentence {number}"
    assert len(got) == len(expected)
    assert [p.text for p in article.paragraphs] == [line for line in marked if line]


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
        Paragraph("Tables are on the website now.", kind="item"),
        Paragraph("A phone line reads them aloud.", kind="item"),
        Paragraph('"Paper served us well," said the harbour master.', kind="quote"),
        Paragraph("Printed copies stay at the library until May."),
    )


def test_front_matter_is_read_as_yaml(tmp_path: Path) -> None:
    # Regression (issue 11): the hand-written subset read "description: >" as ">", kept
    # "# comments" in values and dropped nested maps.
    text = (
        "---\n"
        "title: 'Tide tables: now online'  # the headline\n"
        "description: >\n"
        "  The harbour office\n"
        "  stops printing.\n"
        "author:\n"
        "  name: Rosa Imber\n"
        "  email: rosa@coast.example\n"
        "date: 2024-06-01\n"
        "tags: [harbour, tides]\n"
        "---\n\nThe harbour office has stopped printing its tide tables.\n"
    )
    article = load_article(_write(tmp_path, "tides.md", text))
    assert article.title == "Tide tables: now online"
    assert article.description == "The harbour office stops printing."
    assert article.byline == "Rosa Imber"
    assert article.published == date(2024, 6, 1)


def test_front_matter_that_is_not_yaml_is_a_clear_error(tmp_path: Path) -> None:
    text = "---\ntitle: Ferry: the return: again\n---\n\nThe ferry is back.\n"
    error = _refused(_write(tmp_path, "ferry.md", text))
    assert "front matter is not valid YAML (line 2)" in error.message
    assert "quotes" in error.hint


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


def test_a_bug_in_narrate_is_not_reported_as_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression (issue 11): a broad except around narrate's own HTML code turned any bug into
    # "could not parse the HTML" (exit 3, "bad input"); only the libraries' calls are guarded.
    import narrate.intake.webpage as webpage

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr(webpage, "_declared_language", broken)  # narrate's, between two calls
    page = "<html><body><article><p>" + "The ferry ran again tonight. " * 20 + "</p></article>"
    with pytest.raises(RuntimeError, match="a bug"):
        load_article(_write(tmp_path, "page.html", page))


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


# A saved page (tests/fixtures/lighthouse-page.html): everything a listener needs, nothing else


LIGHTHOUSE_BODY = (
    Paragraph(
        "For the first time since 1987, people will live at the Skerry Point lighthouse again, "
        "after a heritage trust signed a lease with the harbour board on Tuesday."
    ),
    Paragraph(
        "The trust will place two volunteer keepers at the light from June to September. They "
        "will show visitors the lamp room, record the weather every three hours and keep the "
        "logbook, as the last keepers did."
    ),
    Paragraph("A tower that outlived its crew", is_heading=True),
    Paragraph(
        "The light was automated in the spring of 1987, and its last keeper, Tom Garrow, left "
        "the cottage a week later. The lamp still turns every night, run from the harbour "
        "office twelve miles away."
    ),
    Paragraph(
        '"We are not bringing back the old job," said Maud Keane, who chairs the trust. "We are '
        'bringing back the stories, and someone to tell them."'
    ),
    Paragraph("The keepers will:"),
    Paragraph("open the tower to visitors four afternoons a week;", kind="item"),
    Paragraph("repaint the railings of the gallery before the autumn gales;", kind="item"),
    Paragraph("run a night walk to the light once a month.", kind="item"),
    Paragraph(
        "Keane said the trust had raised most of the money for the first summer from a "
        "crowdfunding appeal, and that applications for the keepers' places would open next "
        "month."
    ),
)


def test_saved_html_page_keeps_the_article_and_its_metadata() -> None:
    article = load_article(str(FIXTURES / "lighthouse-page.html"))
    assert article.title == "Lighthouse keepers return to Skerry Point"
    assert article.byline == "Ines Calloway"
    assert article.published == date(2025, 4, 22)
    assert article.paragraphs == LIGHTHOUSE_BODY
    assert article.description == (
        "For the first time since 1987, people will live at the Skerry Point light."
    )
    assert article.image_url == "https://chronicle.example/img/skerry-point.jpg"
    assert article.source_url == "https://chronicle.example/news/2025/skerry-point-keepers"
    assert article.publisher == "The Coast Chronicle"
    assert article.language == "en"  # declared as en-GB
    for furniture in ("Subscribe", "newsletter", "Read more", "Related", "Photo", "AI assistance"):
        assert furniture not in article.body_text, furniture


def test_listenable_drops_what_only_makes_sense_on_a_screen() -> None:
    prose = (
        "The council agreed on Monday to keep the night bus running until the end of the year, "
        "after more than two thousand people signed a petition."
    )
    blocks = [
        Paragraph("Night bus saved", is_heading=True),  # the headline again
        Paragraph("By Jane Roe | March 3, 2024 9:12 AM"),
        Paragraph("This audio is created with AI assistance"),
        Paragraph("The bus at the depot. (Photo: Sam Poe / The Ledger)"),
        Paragraph(prose),
        Paragraph("Jane Roe"),  # the byline repeated
        Paragraph("Updated March 3, 2024 10:40 AM"),
        Paragraph("Read more: Council tax rise agreed"),
        Paragraph("RELATED: Depot to close in 2026"),
        Paragraph("Share this article"),
        Paragraph("Subscribe to our newsletter"),
        Paragraph("What happens next", is_heading=True),
        Paragraph("The route will run:"),
        Paragraph("every half hour until midnight;"),
        Paragraph(
            "Its newsletter, the council said, will list the new times each month for riders."
        ),
        Paragraph("More:", is_heading=True),
        Paragraph("Seal pups counted on the islands"),
        Paragraph("Most read", is_heading=True),
    ]
    kept = listenable(blocks, Page.of(headlines=["Night bus saved"], names=["Jane Roe"]))
    assert [p.text for p in kept] == [
        prose,
        "What happens next",
        "The route will run:",
        "every half hour until midnight;",
        "Its newsletter, the council said, will list the new times each month for riders.",
    ]
    assert kept[1].is_heading


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<html lang="fr-CA">', "fr"),
        ('<html><meta http-equiv="Content-Language" content="de">', "de"),
        ('<html><meta property="og:locale" content="pt_BR">', "pt"),
        ("<html>", "en"),  # undeclared, and the text is English
    ],
)
def test_html_language_is_the_declared_one(tmp_path: Path, head: str, expected: str) -> None:
    page = FERRY_HTML.replace("<html>", head, 1).encode("cp1252")
    assert load_article(_write(tmp_path, "ferry.html", page)).language == expected


def test_language_of_text_is_detected(tmp_path: Path) -> None:
    pytest.importorskip("py3langid", reason="language detection needs py3langid")
    text = (
        "Le bac de nuit reprend du service\n\n"
        "Le bac de nuit entre le port et l'île a transporté ses premiers passagers lundi soir, "
        "après quatorze mois d'interruption, a annoncé la mairie dans un communiqué.\n\n"
        "Les habitants de l'île devaient jusqu'ici prendre un bus de remplacement après vingt "
        "heures, ce qui allongeait leur trajet de près d'une heure.\n"
    )
    assert load_article(_write(tmp_path, "bac.txt", text)).language == "fr"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en-US", "en"), ("pt_BR", "pt"), ("DE", "de"), ("und", None), ("", None), ("x y", None)],
)
def test_language_tag(value: str, expected: str | None) -> None:
    assert language_tag(value) == expected


def test_english_is_recognised_without_a_model() -> None:
    text = "The ferry carried its first passengers of the year on Monday, and the crew said " * 3
    assert detect_language(text) == "en"
    assert detect_language("Too short to tell.") is None


# A page dump with its furniture in the middle (tests/fixtures/marsh-page-dump.txt)


def test_page_dump_drops_captions_tickers_teasers_and_sign_up_boxes() -> None:
    article = load_article(str(FIXTURES / "marsh-page-dump.txt"))
    assert article.title == "Bitterns boom again on Holme Marsh"
    assert article.byline == "Priya Lund"
    assert article.published == date(2025, 5, 9)
    assert article.publisher == "The Fenland Herald"
    assert _texts(article.paragraphs) == (
        "Bitterns are nesting on Holme Marsh for the first time in forty years, the wildlife "
        "trust that manages the reserve said on Thursday.",
        "Wardens heard the low, booming call of a male in March and have since counted three "
        "nests in the reed beds cut back over the winter.",
        '"It is the sound we have been waiting for since the day we flooded the old fields," '
        "said the reserve manager, Colm Ferris.",
        "The trust bought the farmland around the marsh in 2009 and let it flood, planting reeds "
        "by hand along the new ditches.",
        "Visitors are asked to keep to the boardwalk and to leave dogs at home until the chicks "
        "have fledged in July.",
    )


# More bad input: a clear error or a sensible result, never a traceback


@pytest.mark.parametrize("page", ["<html></html>", "<html><body>   </body></html>", "<p></p>"])
def test_empty_html_is_refused(tmp_path: Path, page: str) -> None:
    error = _refused(_write(tmp_path, "blank.html", page))
    assert error.message == "no article body found in blank.html"


def test_ten_megabytes_of_one_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    path.write_bytes(b"word " * 2_000_000)
    assert "bigger than 5,000,000 bytes" in _refused(str(path)).message


def test_a_page_of_text_too_long_for_a_page_is_refused(tmp_path: Path) -> None:
    source = _write(tmp_path, "line.txt", "A sentence of prose. " * 30_000)
    error = _refused(source)
    assert "characters, more than a page of text" in error.message


def test_html_with_too_many_elements_is_refused(tmp_path: Path) -> None:
    page = "<html><body>" + "<div>x</div>" * 40_000 + "</body></html>"
    error = _refused(_write(tmp_path, "grid.html", page))
    assert "HTML elements, more than a web page" in error.message


@pytest.mark.slow
def test_html_of_one_long_line_is_read(tmp_path: Path) -> None:
    sentence = "The ferry sailed again on Tuesday after the storm had passed. "
    page = f"<html><body><article><p>{sentence * 20_000}</p></article></body></html>"
    error = _refused(_write(tmp_path, "long.html", page))
    assert "characters of article text" in error.message  # found, and too long to be one


def _dump_article(tmp_path: Path, before: str, after: str) -> tuple[str, ...]:
    body = (
        "The ferry across the bay carried its first passengers on Monday evening after a long "
        "repair of its engines, officials said.\n\n"
        "Fares are unchanged, and boats leave every half hour until midnight from the new pier "
        "at the end of the harbour road, they said.\n\n"
        "The harbour master said the service would run through the winter for the first time "
        "in ten years, weather permitting, with a smaller boat on the quietest nights.\n\n"
        "Island residents had relied on a single bus over the causeway since the spring, a trip "
        "that takes an hour in good traffic and much longer in summer.\n\n"
        "The council will review the timetable in March, after a survey of passengers.\n\n"
    )
    text = (
        f"Ferry back on the bay | Bay Courier\nMenu\n{before}Ferry back on the bay\n\n{body}{after}"
    )
    return _texts(load_article(_write(tmp_path, "bay.txt", text)).paragraphs)


def test_readers_comments_after_the_article_are_not_the_article(tmp_path: Path) -> None:
    comment = "I took the ferry last night and it was lovely to be back on the water again. "
    kept = _dump_article(tmp_path, "", "[ 42 comments ]\n" + f"Ann_B\n{comment * 3}\n" * 4)
    assert len(kept) == 5 and not any("lovely" in k for k in kept)


def test_the_headline_anchors_the_article_against_a_wall_of_legal_text(tmp_path: Path) -> None:
    legal = (
        "The information on this website is provided for general purposes only and is not "
        "intended as advice of any kind, and you should consult a professional before acting. "
    )
    links = "".join(f"{name}\n" for name in ("About us", "Contact", "Careers", "Advertise") * 5)
    kept = _dump_article(tmp_path, "", f"Most popular\n{links}" + f"{legal * 2}\n" * 6)
    assert len(kept) == 5 and not any("website" in k for k in kept)


def test_a_paywalled_last_paragraph_ends_at_a_whole_sentence(tmp_path: Path) -> None:
    cut = (
        "Ticket sales were strong on the first night. Still, Mr. Lind, who runs the ferry "
        "company and owns two of its boats, said he had been worried that…\n"
        "Subscribe to read the full story\n"
    )
    kept = _dump_article(tmp_path, "", cut)
    assert kept[-1] == "Ticket sales were strong on the first night."


def test_markdown_language_and_links_read_as_their_text(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Le bac\nlang: fr-FR\n---\n\n"
        "Le [bac de nuit](https://x.example/bac) a repris lundi.\n\n- Un départ par heure.\n"
    )
    article = load_article(_write(tmp_path, "bac.md", text))
    assert article.language == "fr"
    assert _texts(article.paragraphs) == ("Le bac de nuit a repris lundi.", "Un départ par heure.")


QUOTE_AND_LIST_MD = """# Ferry returns

By Ann Lee

The mayor said:

> We waited fourteen months.
>
> It was worth it.

The timetable:

- Boats every hour.
- Night boats on Fridays.

## Tickets

Fares rise.
"""


def test_markdown_quotes_and_list_items_are_marked_for_pacing(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(QUOTE_AND_LIST_MD, encoding="utf-8")
    article = load_article(str(path))
    assert [(p.kind, p.is_heading) for p in article.paragraphs] == [
        ("text", False),
        ("quote", False),
        ("quote", False),
        ("text", False),
        ("item", False),
        ("item", False),
        ("text", True),
        ("text", False),
    ]


def test_html_quotes_and_list_items_are_marked_for_pacing(tmp_path: Path) -> None:
    page = (
        '<html lang="en"><head><title>Ferry returns to the island</title></head><body><article>'
        "<h1>Ferry returns to the island</h1>"
        "<p>The night ferry between Pier nine and Gull Island carried its first passengers in "
        "more than a year on Monday evening, ending a long gap for the island residents.</p>"
        "<p>The mayor, who rode the first boat across, spoke to reporters at the pier:</p>"
        "<blockquote><p>We waited fourteen months for this boat and the whole island came out "
        "to see it arrive.</p></blockquote>"
        "<p>The new timetable, which the ferry company published on Monday, has two changes:</p>"
        "<ul><li>Boats leave every hour from six in the morning until midnight.</li>"
        "<li>Night boats run on Fridays and Saturdays until two in the morning.</li></ul>"
        "<h2>Tickets and fares</h2><p>Fares rise in May, the company said, by about ten percent "
        "for a single crossing and less for season tickets.</p></article></body></html>"
    )
    path = tmp_path / "story.html"
    path.write_text(page, encoding="utf-8")
    kinds = [(p.kind, p.is_heading) for p in load_article(str(path)).paragraphs]
    assert kinds == [
        ("text", False),
        ("text", False),
        ("quote", False),
        ("text", False),
        ("item", False),
        ("item", False),
        ("text", True),
        ("text", False),
    ]


PRESENTED_HTML = """<!DOCTYPE html><html lang="en"><head>
<title>Apple delays its new laptop - Ledger Business</title>
<meta property="og:title" content="Apple delays its new laptop">
<meta name="description"
 content="The company says supply problems will keep the machine out of shops until spring.">
<meta name="author" content="Jill Disis, Ledger Business">
<meta property="article:published_time" content="2026-03-03T07:15:00-05:00">
</head><body>
<nav><a href="/">Home</a> <a href="/tech">Tech</a></nav>
<article>
<h1>Apple: the new laptop is delayed until spring</h1>
<h2>The company says supply problems will keep the machine out of shops until spring</h2>
<p>By Jill Disis, Ledger Business</p>
<p>(Ledger Business)Apple said on Monday that its new laptop would not reach shops before the
spring, blaming a shortage of the parts that go into its screens and its keyboard.</p>
<p>The delay is the second this year for the company, which had promised the machine for the
holiday season and told suppliers in the summer to prepare for large orders of it.</p>
<h2>Apple delays its new laptop</h2>
<p>Analysts said the company would lose few sales, since buyers who wait for its laptops tend
to keep waiting rather than buy a machine made by one of its rivals in the meantime.</p>
<ul>
<li><a href="/a">Apple's phone sales fall for a third quarter</a></li>
<li><a href="/b">Chip makers warn of a long shortage</a></li>
</ul>
</article>
<footer>Copyright Ledger Business</footer>
</body></html>
"""


def test_a_page_is_presented_with_one_headline_its_people_and_its_deck(tmp_path: Path) -> None:
    article = load_article(_write(tmp_path, "laptop.html", PRESENTED_HTML))
    # one headline: the page's <h1>, never spoken again as a heading (regression: issue 14)
    assert article.title == "Apple: the new laptop is delayed until spring"
    texts = _texts(article.paragraphs)
    assert not any("delays its new laptop" in t or "is delayed until" in t for t in texts)
    # the byline's outlet is kept apart: "By Jill Disis", not "By Jill Disis and Ledger Business"
    assert article.byline == "Jill Disis"
    assert article.authors == (Person("Jill Disis", outlet="Ledger Business"),)
    # the deck is the summary, not a heading of the body
    assert article.deck == (
        "The company says supply problems will keep the machine out of shops until spring"
    )
    assert not any(p.is_heading for p in article.paragraphs)
    # the time of publication keeps its zone; the day is the page's
    assert article.published_at == datetime(2026, 3, 3, 7, 15, tzinfo=timezone(timedelta(hours=-5)))
    assert article.published == date(2026, 3, 3)
    # the source glued to the first word gets its space; the list of links goes
    assert texts[0].startswith("(Ledger Business) Apple said on Monday")
    assert not any("shortage" in t and "Chip makers" in t for t in texts)
    assert len(texts) == 3


# blank lines between lines, as a browser copies a page out
DUMPED_PAGE = """Laptop delayed until spring - The Ledger
Home
News
Business
Apple: the new laptop is delayed until spring
Lisa Kaczke and Trevor J. Mitchell Sioux Falls Argus Leader
Published 10:02 AM EST Nov 19, 2019
Media caption The new laptop was shown to reporters in September
Apple said on Monday that its new laptop would not reach shops before the spring.
The delay is the second this year for the company, which had promised the machine for the holidays.
Analysts said the company would lose few sales, since its buyers tend to wait for its laptops.
Report
Alex Wong | Getty Images
Image caption Buyers queue outside a shop in the city centre
Report
What the analysts expect
Most analysts expect the machine to sell well once it reaches the shops in the spring, and \
several said that the delay could even help, since rivals will have nothing new to show then.
Related: Chip makers warn of a long shortage
Suppliers said they would need until March to make enough screens for the first orders, and \
that the price of a screen would rise by a fifth in the meantime, one of them told the Ledger.
Follow the Ledger on Instagram, Facebook, Twitter and YouTube.
Trevor J. Mitchell is a reporter for the Argus Leader.
Most popular
Seal pups counted on the islands
""".replace("\n", "\n\n")


def test_a_page_dump_loses_captions_credits_and_labels_but_keeps_its_subheading() -> None:
    article = parse_text(DUMPED_PAGE, "laptop.txt")
    # the line of names under the headline is the byline, not the title (regression: issue 14)
    assert article.title == "Apple: the new laptop is delayed until spring"
    assert [p.name for p in article.authors] == ["Lisa Kaczke", "Trevor J. Mitchell"]
    assert article.byline == "Lisa Kaczke and Trevor J. Mitchell"
    assert article.published_at == datetime(2019, 11, 19, 10, 2, tzinfo=EST)
    texts = _texts(article.paragraphs)
    assert texts[0].startswith("Apple said on Monday")
    assert [p.text for p in article.paragraphs if p.is_heading] == ["What the analysts expect"]
    dropped = ("caption", "Getty", "Report", "Related", "Follow the Ledger", "is a reporter")
    assert not [t for t in texts if any(word in t for word in dropped)]
    assert texts[-1].startswith("Suppliers said")
    assert len(texts) == 6


def test_a_page_dump_gives_its_deck_apart_from_the_body() -> None:
    lede = (
        "The night ferry between Pier 9 and Gull Island carried its first passengers in more than "
        "a year on Monday evening, ending a fourteen-month gap for the island's residents."
    )
    rest = (
        "City officials said the two new boats run entirely on batteries charged at the pier, "
        "and that each of them carries up to 120 passengers and 30 bicycles on every crossing."
    )
    lines = [
        "Night ferry returns | The Ledger",
        "Home",
        "Night ferry returns",
        "Two electric boats end a fourteen-month gap for the island's residents",
        "By Maren Okafor | March 3, 2026",
        lede,
        rest,
        "Most popular",
    ]
    article = parse_text("\n\n".join(lines), "ferry.txt")
    assert article.title == "Night ferry returns"
    assert article.deck == "Two electric boats end a fourteen-month gap for the island's residents"
    assert _texts(article.paragraphs) == (lede, rest)
    # a first line that the body also says is its opening, not a deck
    lines[3] = lede
    assert parse_text("\n\n".join(lines), "ferry.txt").deck is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published 10:02 AM EST Nov 19, 2019", datetime(2019, 11, 19, 10, 2, tzinfo=EST)),
        ("By Maren Okafor | March 3, 2026 6:40 AM | 4 min read", datetime(2026, 3, 3, 6, 40)),
        ("Published 12:30 a.m. GMT, 20 November 2019", datetime(2019, 11, 20, 0, 30, tzinfo=UTC)),
        ("Updated 9:41 ET March 3, 2026", datetime(2026, 3, 3, 9, 41)),  # ET: which half?
        ("Updated Nov 19, 9:41 AM", None),  # no year, no date
        ("Opening Bell 11.18.19", None),
        ("2019-11-19 25:61", None),
    ],
)
def test_a_date_line_gives_the_time_and_its_zone(text: str, expected: datetime | None) -> None:
    assert find_moment(text) == expected


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("(Reporting by Ann Lee; Editing by Bo Chen)", True),
        ("Reporting by Ann Lee; additional reporting by Cy Diaz in Kyiv", True),
        ("Keith Bradsher contributed reporting from Hong Kong.", True),
        ("Associated Press writers Ann Lee and Bo Chen contributed to this report.", True),
        ("Filed under: Ferries |", True),
        ("Like this story? Share it with a friend!", True),
        ("Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.", True),
        ("Image caption Buyers queue outside a shop", True),
        ("Michael Conroy, AP", True),
        # prose about the same things is the article
        ("The reporting by the council's auditors found the ferry ran at a loss.", False),
        ("Police said the man had posted threats on Facebook before the attack.", False),
    ],
)
def test_credits_tags_and_prompts_are_furniture(line: str, furniture: bool) -> None:
    assert is_boilerplate(line, len(line.split())) is furniture


def test_moments_keep_their_zone_and_a_time_without_one_is_this_machines() -> None:
    from datetime import UTC, datetime

    from narrate.intake.rules import parse_moment

    assert parse_moment("2026-03-03T19:15:00+02:00") == datetime.fromisoformat(
        "2026-03-03T19:15:00+02:00"
    )
    assert parse_moment("2026-03-03T07:20Z") == datetime(2026, 3, 3, 7, 20, tzinfo=UTC)
    local = parse_moment("2026-03-03 09:20")
    assert (
        local is not None
        and local.utcoffset() == datetime(2026, 3, 3, 9, 20).astimezone().utcoffset()
    )
    assert parse_moment("2026-03-03") is None  # a day, not a time: the date stays a date
    assert parse_moment("2026-03-03", date_alone=True) is not None
    assert parse_moment("Tuesday") is None
