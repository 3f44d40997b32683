"""Generated text and HTML thrown at extraction, normalization and segmentation (issue 7).

Two properties:

1. Nothing but narrate's own errors: whatever the bytes, ``load_article`` returns an article or
   raises a :class:`NarrateError` subclass; ``make_script`` (which normalizes every sentence)
   raises nothing for any article.
2. No sentence is lost: every letter and digit of the article's paragraphs is in the script's
   written segment texts (``Segment.text``), in the same order (compared without the spaces and
   punctuation between them: a word longer than a segment is cut in pieces). Segmentation drops
   only pieces with nothing to say (no letter or digit), so a word is never one of them. For a
   clean plain-text article (a title, then paragraphs of whole sentences), extraction keeps
   every paragraph too.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import PACING
from narrate.errors import NarrateError
from narrate.intake.source import load_article
from narrate.models import Article, Pacing, Paragraph
from narrate.speech.segment import CLAUSE_PAUSE_MS, make_script

pytestmark = [pytest.mark.slow]

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_WORD = re.compile(r"[^\W_]+")  # letters and digits: what a listener must hear


def _words(text: str) -> str:
    return "".join(_WORD.findall(text))


def _script_words(article: Article, pacing: Pacing = PACING) -> str:
    script = make_script(article, pacing=pacing)
    for n, segment in enumerate(script.segments):
        assert len(segment.spoken) <= pacing.max_segment_chars
        assert segment.spoken.strip()
        # Only the second and later chunks of one over-long word have no written text.
        assert segment.text.strip() or (
            n and script.segments[n - 1].pause_after_ms == CLAUSE_PAUSE_MS
        )
    return "".join(_words(s.text) for s in script.segments)


def _paragraph_words(article: Article) -> str:
    return "".join(_words(p.text) for p in article.paragraphs)


# Sentences: words (with digits, apostrophes and inner punctuation) and a final mark.
_LETTERS = st.text("abcdefghijklmnopqrstuvwxyzéüßçø", min_size=1, max_size=12)
_TOKEN = st.one_of(
    _LETTERS,
    _LETTERS.map(str.capitalize),
    st.integers(0, 10**9).map(str),
    st.sampled_from(["$5", "3.5%", "1,200", "Dr.", "U.S.", "e.g.", "(it)", '"so"', "it's", "—"]),
)
_SENTENCE = st.builds(
    lambda first, rest, mark, comma: (
        " ".join(
            [first.capitalize(), *(f"{w}," if comma and i == 1 else w for i, w in enumerate(rest))]
        )
        + mark
    ),
    _LETTERS,
    st.lists(_TOKEN, min_size=2, max_size=20),
    st.sampled_from([".", "!", "?", ".\u201d", "…"]),
    st.booleans(),
)
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=4).map(" ".join)


@settings(SETTINGS, max_examples=150)
@given(paragraphs=st.lists(_PARAGRAPH, min_size=1, max_size=3), limit=st.integers(30, 500))
def test_segmentation_keeps_every_word_of_generated_sentences(
    paragraphs: list[str], limit: int
) -> None:
    article = Article(title="Title", paragraphs=tuple(Paragraph(p) for p in paragraphs))
    pacing = replace(PACING, max_segment_chars=limit)
    assert _script_words(article, pacing) == _paragraph_words(article)


@SETTINGS
@given(paragraphs=st.lists(st.text(max_size=300), min_size=1, max_size=4))
@example(paragraphs=["\u2605 \u2605 \u2605"])
@example(paragraphs=["x" * 2000])
def test_segmentation_of_any_text_raises_nothing_and_keeps_every_word(
    paragraphs: list[str],
) -> None:
    article = Article(title="t", paragraphs=tuple(Paragraph(p) for p in paragraphs))
    assert _script_words(article) == _paragraph_words(article)


def test_a_word_too_long_to_say_at_once_keeps_its_written_text() -> None:
    # Found here: a word whose spoken form was over the limit was cut in its spoken form, and
    # the transcript showed that ("one million two hund", "red thirty-four thou", ...).
    article = Article(
        title="t",
        paragraphs=(Paragraph("1,234,567", is_heading=True), Paragraph("Then 7,654,321.")),
    )
    segments = make_script(article, pacing=replace(PACING, max_segment_chars=20)).segments
    assert [s.text for s in segments] == ["1,234,567", "", "", "", "Then", "7,654,321.", "", "", ""]
    assert all(0 < len(s.spoken) <= 20 for s in segments)
    assert [s.is_heading for s in segments[:4]] == [True, False, False, False]  # one chapter


_TITLE = st.lists(_LETTERS, min_size=3, max_size=8).map(lambda w: " ".join(w).capitalize())
_PROSE_SENTENCE = st.builds(
    lambda first, rest: " ".join([first.capitalize(), *rest]) + ".",
    _LETTERS,
    st.lists(
        st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9), min_size=8, max_size=20
    ),
)
_PROSE = st.lists(_PROSE_SENTENCE, min_size=2, max_size=4).map(" ".join)


@settings(SETTINGS, max_examples=100)  # each example runs the language detector
@given(title=_TITLE, paragraphs=st.lists(_PROSE, min_size=1, max_size=4))
def test_a_clean_text_article_keeps_every_paragraph(title: str, paragraphs: list[str]) -> None:
    text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    article = load_article("-", stdin=io.BytesIO(text.encode()))
    assert [p.text for p in article.paragraphs] == paragraphs
    assert _script_words(article) == _paragraph_words(article)


@SETTINGS
@given(data=st.binary(max_size=3000))
@example(data=b"\xef\xbb\xbf<html><body><p>\xff\xfe</p>")
@example(data=b"---\ntitle: x\n---\n")
def test_any_bytes_make_an_article_or_a_narrate_error(data: bytes) -> None:
    _article_or_narrate_error(data)


@SETTINGS
@given(text=st.text(max_size=3000))
def test_any_text_makes_an_article_or_a_narrate_error(text: str) -> None:
    _article_or_narrate_error(text.encode("utf-8"))


def _article_or_narrate_error(data: bytes) -> None:
    try:
        article = load_article("-", stdin=io.BytesIO(data))
    except NarrateError as error:
        assert error.message and error.hint
        return
    assert article.title and article.paragraphs
    assert _script_words(article) == _paragraph_words(article)


# HTML from a small grammar: tags a page has (and hostile ones), attributes, entities, comments,
# unclosed and stray tags.
_TAGS = ["p", "div", "span", "a", "h1", "h2", "article", "main", "li", "ul", "b", "em"]
_HOSTILE = [
    "<script>alert(1)</script>",
    "<style>p{color:red}</style>",
    "<iframe src='javascript:alert(1)'></iframe>",
    "<img src=x onerror=alert(1)>",
    "<!-- a comment -->",
    "<![CDATA[ ]]> ]]>",
    "&amp; &lt;b&gt; &#0; &#x110000; &bogus;",
    "</p></div>",
    "<svg><script>alert(2)</script></svg>",
    "<noscript>Turn on JavaScript.</noscript>",
]
_TEXT = st.one_of(_SENTENCE, _LETTERS, st.text(max_size=40), st.sampled_from(_HOSTILE))


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attr, inner: f"<{tag}{attr}>{''.join(inner)}</{tag}>",
        st.sampled_from(_TAGS),
        st.sampled_from(["", ' class="story"', " onclick='x()'", ' lang="ar" dir="rtl"']),
        st.lists(children, max_size=4),
    )


_HTML = st.recursive(_TEXT, _element, max_leaves=25)


@settings(SETTINGS, max_examples=100)  # trafilatura takes tens of milliseconds a page
@given(body=st.lists(_HTML, max_size=4), head=st.sampled_from(["", "<title>T</title>", "<meta"]))
def test_any_html_makes_an_article_or_a_narrate_error(body: list[str], head: str) -> None:
    page = f"<html><head>{head}</head><body>{''.join(body)}</body></html>"
    _article_or_narrate_error(page.encode("utf-8"))
