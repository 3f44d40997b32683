"""The orchestration: templates for the spoken intro and outro, and the episode description."""

from __future__ import annotations

from datetime import date

from narrate.config import Settings
from narrate.models import Article, Paragraph
from narrate.pipeline import describe, fill_template, template_fields

ARTICLE = Article(
    title="Ferry returns",
    paragraphs=(Paragraph("The ferry is back. " * 40),),
    byline="Maren Okafor",
    published=date(2026, 3, 3),
    source_url="https://www.ledger.example/ferry",
    source_name="ferry-dump.txt",
)


def test_template_fields_fill_and_lines_with_empty_fields_are_left_out(
    tone_settings: Settings,
) -> None:
    fields = template_fields(ARTICLE, tone_settings)
    assert fields["date"] == "March 3, 2026"
    assert fields["source_host"] == "ledger.example"
    assert fields["origin"] == "ledger.example"  # no publisher: the URL's host
    lines = fill_template(
        ("{show}.", "By {byline}.", "From {publisher}.", "Came from {origin}.", "{nope}", "{"),
        fields,
    )
    assert lines == [
        f"{tone_settings.show.title}.",
        "By Maren Okafor.",
        "Came from ledger.example.",
    ]


def test_no_url_and_no_publisher_means_no_origin_line(tone_settings: Settings) -> None:
    bare = Article(title="T", paragraphs=(Paragraph("Text."),), source_name="stdin")
    fields = template_fields(bare, tone_settings)
    assert fields["origin"] == "" and fields["source_name"] == ""
    assert fill_template(("This came from {origin}.",), fields) == []


def test_description_is_the_opening_cut_at_a_word() -> None:
    text = describe(ARTICLE, limit=50)
    assert text.endswith("…") and len(text) <= 51
    assert text.startswith("The ferry is back.")
    assert not text[:-1].endswith(" ")
