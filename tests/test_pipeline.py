"""The orchestration: templates for the spoken intro and outro, and the episode description."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mutagen.id3 import ID3

from narrate.config import load_settings
from narrate.models import Article, Paragraph, Settings
from narrate.pipeline import build_episode, describe
from narrate.speech.announce import fill_template, template_fields

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
    fields = template_fields(ARTICLE, tone_settings.show)
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
    fields = template_fields(bare, tone_settings.show)
    assert fields["origin"] == "" and fields["source_name"] == ""
    assert fill_template(("This came from {origin}.",), fields) == []


def test_description_is_the_opening_cut_at_a_word() -> None:
    text = describe(ARTICLE, limit=50)
    assert text.endswith("…") and len(text) <= 51
    assert text.startswith("The ferry is back.")
    assert not text[:-1].endswith(" ")


def test_an_article_in_another_language_gets_that_languages_voice(tmp_path: Path) -> None:
    (tmp_path / "narrate.toml").write_text(
        '[voice]\nby_language = { fr = "test-tone" }\n', encoding="utf-8"
    )
    settings = load_settings(output_dir=tmp_path / "out", cwd=tmp_path)
    assert settings.voice.engine == "pyttsx3"
    french = tmp_path / "article.md"
    french.write_text(
        "---\nlang: fr\n---\n# Le bac de nuit revient\n\n"
        "Le bac de nuit a repris du service lundi soir. Les habitants sont contents.\n",
        encoding="utf-8",
    )
    built = build_episode(str(french), settings)
    assert built.article.language == "fr"
    tone_ms = 60000 // settings.voice_for("fr").rate_wpm  # the tone engine: exact words
    first = built.audio.cues[0]
    assert (first.end_ms - first.start_ms) % tone_ms == 0
    assert (
        settings.voice_for("en") is settings.voice and settings.voice_for("fr-CA").engine == "tone"
    )
    flag = load_settings(output_dir=tmp_path / "out", voice="default", cwd=tmp_path)
    assert flag.voice_for("fr").engine == "pyttsx3"  # --voice picks one voice for everything


def test_by_language_keys_may_carry_a_region(tmp_path: Path) -> None:
    # Regression (review): "pt-BR" was kept as a key and never matched "pt".
    (tmp_path / "narrate.toml").write_text(
        '[voice]\nby_language = { "pt-BR" = "test-tone" }\n', encoding="utf-8"
    )
    settings = load_settings(output_dir=tmp_path / "out", cwd=tmp_path)
    assert settings.voice_for("pt").engine == "tone"


def test_the_mp3_artist_is_the_byline_and_the_album_artist_the_show(
    tone_settings: Settings, article_file: Path
) -> None:
    built = build_episode(str(article_file), tone_settings)
    tags = ID3(str(built.mp3_path))
    assert str(tags["TPE1"]) == "Ada Quill" == built.article.byline
    assert str(tags["TPE2"]) == tone_settings.show.author
