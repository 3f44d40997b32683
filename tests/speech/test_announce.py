"""The spoken intro: the authors' names after "By", the deck said once as the summary."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from narrate.config import load_settings
from narrate.models import Article, ArticleText, Paragraph, Person, Settings
from narrate.pipeline import prepare_script
from narrate.speech.announce import fill_template, template_fields

DECKED = Article(
    title="Apple delays its new laptop",
    paragraphs=(Paragraph("Apple said on Monday that its new laptop would come in spring."),),
    authors=(Person("Jill Disis", outlet="CNN Business"), Person("Bo Chen", role="Reporter")),
    deck="Supply problems keep the machine out of shops",
)


def test_the_byline_says_the_names_only_and_the_deck_is_a_sentence(
    tone_settings: Settings,
) -> None:
    fields = template_fields(DECKED, tone_settings.show)
    assert fields["byline"] == "Jill Disis and Bo Chen"
    assert fields["summary"] == "Supply problems keep the machine out of shops."
    assert fill_template(("By {byline}.", "{summary}"), fields) == [
        "By Jill Disis and Bo Chen.",
        "Supply problems keep the machine out of shops.",
    ]
    plain = dataclasses.replace(DECKED, deck=None)
    assert fill_template(("{summary}",), template_fields(plain, tone_settings.show)) == []


def test_a_deck_is_spoken_once_in_the_intro_and_a_show_may_leave_it_out(
    tmp_path: Path, tone_settings: Settings
) -> None:
    page = (
        "<html><head><title>Laptop delayed</title>"
        '<meta name="description" content="Supply problems keep the machine out of shops">'
        "</head><body><article><h1>Laptop delayed</h1>"
        "<h2>Supply problems keep the machine out of shops</h2>"
        + "<p>Apple said on Monday that its new laptop would not reach shops before spring.</p>" * 3
        + "</article></body></html>"
    )
    source = ArticleText(page, kind="html")
    spoken = [s.text for s in prepare_script(source, tone_settings).segments]
    deck = "Supply problems keep the machine out of shops."
    assert spoken.count(deck) == 1
    assert [s.part for s in prepare_script(source, tone_settings).segments if s.text == deck] == [
        "intro"
    ]
    (tmp_path / "narrate.toml").write_text('[audio]\nintro = ["{title}."]\n', encoding="utf-8")
    show = load_settings(voice="test-tone", cwd=tmp_path)
    assert not any("Supply problems" in s.text for s in prepare_script(source, show).segments)
