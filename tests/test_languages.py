"""Articles in German, French and Spanish, with no configuration (issue 13): a voice of their
language, the intro and outro in it, numbers and dates as a presenter of it says them, and the
language on the page and in the MP3. A language without rules gets a voice of its own."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from lxml import html
from mutagen.id3 import ID3
from typer.testing import CliRunner

from conftest import REPO
from narrate.cli import app
from narrate.config import load_settings
from narrate.engines.cache import SegmentCache
from narrate.engines.registry import get_engine
from narrate.layout import cache_dir
from narrate.pipeline import article_voice, prepare_script
from narrate.publishing.catalog import open_catalog

EXAMPLES = REPO / "examples"
# (file, language, profile, ID3 language, a spoken intro line, spoken body phrases)
ARTICLES = [
    (
        "de-nachtfaehre.md",
        "de",
        "german",
        "deu",
        "Veröffentlicht am dritten März zweitausendsechsundzwanzig.",
        [
            "Am ersten September zweitausendfünfundzwanzig",
            "um einundzwanzig Uhr fünfzehn",
            "zwei Komma vier Millionen Euro",
            "Der Bund übernimmt vierzig Prozent",
            "drei Euro fünfzig",
            "Doktor Jonas Weber",
            "achtzehn Kilometer pro Stunde",
            "Im neunzehnten Jahrhundert",
            "am fünfzehnten Vierten zweitausendsechsundzwanzig um achtzehn Uhr",
        ],
    ),
    (
        "fr-bac-de-nuit.md",
        "fr",
        "french",
        "fra",
        "Publié le trois mars deux mille vingt-six.",
        [
            "Le premier septembre deux mille vingt-cinq",
            "à vingt et une heures quinze",
            "deux virgule quatre millions d'euros",
            "quarante pour cent",
            "trois euros cinquante",
            "Monsieur Julien Lefèvre",
            "dix-huit kilomètres par heure",
            "deux virgule sept kilomètres",
            "Au dix-neuvième siècle",
            "mille deux cents personnes",
        ],
    ),
    (
        "es-ferry-nocturno.md",
        "es",
        "spanish",
        "spa",
        "Publicado el tres de marzo de dos mil veintiséis.",
        [
            "El uno de septiembre de dos mil veinticinco",
            "a las veintiuna y quince",
            "dos coma cuatro millones de euros",
            "el cuarenta por ciento",
            "tres euros con cincuenta",
            "Según la doctora Marta Ruiz",
            "dieciocho kilómetros por hora",
            "En el siglo diecinueve",
            "mil doscientas personas",
        ],
    ),
]
OUTROS = {"de": "Sie hörten Narrated News.", "fr": "Vous écoutiez Narrated News."}
OUTROS["es"] = "Han escuchado Narrated News."


@pytest.mark.parametrize(("name", "language", "profile", "tlan", "intro", "phrases"), ARTICLES)
def test_an_article_is_said_in_its_language_without_configuration(
    tmp_path: Path,
    name: str,
    language: str,
    profile: str,
    tlan: str,
    intro: str,
    phrases: list[str],
) -> None:
    settings = load_settings(cwd=tmp_path)  # narrate's defaults, nothing of the show's
    assert article_voice(settings, language).name == profile
    script = prepare_script(str(EXAMPLES / name), settings)
    assert script.article.language == language
    spoken = [s.spoken for s in script.segments]
    assert intro in spoken and OUTROS[language] in spoken
    body = " ".join(s.spoken for s in script.part("body"))
    for phrase in phrases:
        assert phrase in body
    assert not any(c.isdigit() for c in body)  # every number said in words


def test_a_language_without_a_profile_or_a_voice_keeps_the_show_voice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(cwd=tmp_path, voice="test-tone")  # the tone engine: English only
    with caplog.at_level(logging.WARNING, logger="narrate"):
        voice = article_voice(settings, "pl")
    assert voice is settings.voice
    notes = [r.getMessage() for r in caplog.records]
    assert any("no spoken-form rules for the language 'pl'" in n for n in notes)
    assert all("\n" not in n for n in notes)


@pytest.mark.engine
def test_a_language_without_rules_gets_a_voice_of_its_own_and_a_note(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(cwd=tmp_path)
    with caplog.at_level(logging.WARNING, logger="narrate"):
        voice = article_voice(settings, "pl")
    assert voice.voice_id == "zlw/pl" and voice.language == "pl" and voice.engine == "pyttsx3"
    (note,) = [r.getMessage() for r in caplog.records]
    assert note == (
        "no spoken-form rules for the language 'pl': numbers and dates are read as the pyttsx3 "
        "engine reads them"
    )


@pytest.mark.slow
@pytest.mark.engine
def test_building_them_speaks_tags_and_labels_each_in_its_language(tmp_path: Path) -> None:
    out = tmp_path / "output"
    sources = [str(EXAMPLES / name) for name, *_ in ARTICLES]
    result = CliRunner().invoke(app, ["build", *sources, "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    settings = load_settings(output_dir=out, cwd=tmp_path)
    with open_catalog(out) as catalog:
        episodes = {e.language: e for e in catalog.episodes()}
    for name, language, profile, tlan, *_ in ARTICLES:
        episode = episodes[language]
        page = html.fromstring((out / episode.page_path).read_bytes())
        assert page.get("lang") == language
        assert ID3(str(out / episode.audio_path))["TLAN"].text == [tlan]
        # The segments were spoken by the language's voice: the cache holds them under it.
        voice = article_voice(settings, language)
        assert voice.name == profile
        segments = prepare_script(str(EXAMPLES / name), settings).segments
        cache = SegmentCache(cache_dir(out), get_engine(voice.engine).identity(), voice)
        assert all(cache.path(segment).is_file() for segment in segments)
