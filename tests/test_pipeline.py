"""The orchestration: templates for the spoken intro and outro, the episode description, and
unchanged rebuilds that reuse the finished files."""

from __future__ import annotations

import math
import wave
from array import array
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from mutagen.id3 import ID3

from narrate import pipeline
from narrate.config import load_settings
from narrate.models import Article, Paragraph, Settings
from narrate.pipeline import build_episode, describe, prepare_script
from narrate.publishing.writer import publish
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


def _count_masterings(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    real = pipeline.assemble

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "assemble", counted)
    return calls


def test_an_unchanged_rebuild_reuses_the_finished_files(
    tone_settings: Settings, article_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    masterings = _count_masterings(monkeypatch)
    first = build_episode(str(article_file), tone_settings, work_dir=tmp_path / "one")
    again = build_episode(str(article_file), tone_settings, work_dir=tmp_path / "two")
    assert len(masterings) == 1
    assert again.mp3_path.read_bytes() == first.mp3_path.read_bytes()
    assert again.transcript_path.read_text() == first.transcript_path.read_text()
    assert (again.audio.cues, again.audio.chapters) == (first.audio.cues, first.audio.chapters)
    assert again.duration_ms == first.duration_ms
    assert again.cached_segments == len(again.script.segments)
    # Published and built again: the same files, under the same names.
    record = publish(again, tone_settings)
    rebuilt = publish(build_episode(str(article_file), tone_settings), tone_settings)
    assert rebuilt.audio_path == record.audio_path and len(masterings) == 1


@pytest.mark.parametrize(
    "change",
    ["text", "show title", "bitrate", "outro file", "voice rate"],
)
def test_anything_that_reaches_the_mp3_masters_it_again(
    tone_settings: Settings,
    article_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    change: str,
) -> None:
    masterings = _count_masterings(monkeypatch)
    jingle = tmp_path / "outro.wav"
    with wave.open(str(jingle), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22050)
        tone = (int(8000 * math.sin(2 * math.pi * 440 * n / 22050)) for n in range(22050))
        out.writeframes(array("h", tone).tobytes())
    settings = replace(tone_settings, audio=replace(tone_settings.audio, outro_file=jingle))
    build_episode(str(article_file), settings, work_dir=tmp_path / "one")
    if change == "text":
        article_file.write_text(article_file.read_text().replace("Crowds", "Many crowds"))
    elif change == "show title":
        settings = replace(settings, show=replace(settings.show, title="Another Show"))
    elif change == "bitrate":
        settings = replace(settings, audio=replace(settings.audio, bitrate_kbps=96))
    elif change == "outro file":
        with wave.open(str(jingle), "rb") as original:
            params, frames = original.getparams(), original.readframes(original.getnframes())
        with wave.open(str(jingle), "wb") as changed:
            changed.setparams(params)
            changed.writeframes(frames[: len(frames) // 2])
    else:
        settings = replace(
            settings, voice=replace(settings.voice, rate_wpm=settings.voice.rate_wpm + 20)
        )
    build_episode(str(article_file), settings, work_dir=tmp_path / "two")
    assert len(masterings) == 2, change


def test_scripts_made_in_threads_at_once_are_the_scripts_made_alone(kyiv: Path) -> None:
    # Regression: pysbd's segmenter, cached per language, is shared; two builds splitting
    # sentences at once (narrate build --jobs) mixed each other's text up.
    settings = load_settings(voice="test-tone")
    alone = prepare_script(str(kyiv), settings).segments
    with ThreadPoolExecutor(4) as pool:
        scripts = list(pool.map(lambda _: prepare_script(str(kyiv), settings), range(8)))
    assert all(script.segments == alone for script in scripts)
