"""Lexicons: entries for one engine, layers a show controls, keys in any case (issue 13: a show
could not override the packaged voice's entries, and "KURSK" missed "Kursk")."""

from __future__ import annotations

import pytest

from narrate.errors import ConfigError
from narrate.models import VoiceProfile
from narrate.speech.explain import explain
from narrate.speech.lexicon import (
    check_entries,
    layered,
    lexicon_origins,
    resolved,
    spoken_lexicon,
)
from narrate.speech.normalize import normalize
from narrate.voices import load_profile, with_show_lexicon


def test_an_entry_may_apply_to_one_engine_only() -> None:
    entries = {"Zelensky": {"pyttsx3": "Zeh-lensky"}, "Kyiv": "keev"}
    assert layered([entries], "pyttsx3") == {"Zelensky": "Zeh-lensky", "Kyiv": "keev"}
    assert layered([entries], "piper") == {"Kyiv": "keev"}
    assert layered([entries]) == {"Kyiv": "keev"}  # narrate's own words: only plain entries


def test_an_engine_entry_above_leaves_the_plain_entry_below_for_other_engines() -> None:
    starter = {"Kyiv": "keev"}
    show = {"kyiv": {"piper": "Kyiv"}}
    assert layered([starter, show], "piper") == {"kyiv": "Kyiv"}
    assert layered([starter, show], "pyttsx3") == {"Kyiv": "keev"}


def test_each_entry_knows_its_layer() -> None:
    merged = resolved([("starter", {"Kyiv": "keev", "Lviv": "lveev"}), ("show", {"KYIV": "kiev"})])
    assert merged == {"Lviv": ("lveev", "starter"), "KYIV": ("kiev", "show")}


def _profile(engine: str = "pyttsx3", **lexicons: object) -> VoiceProfile:
    profile = load_profile("default")
    return VoiceProfile(**{**profile.__dict__, "engine": engine, **lexicons})  # type: ignore[arg-type]


def test_layers_are_starter_then_profile_then_show() -> None:
    profile = with_show_lexicon(
        _profile(lexicon={"Kyiv": "profile-keev", "Lavrov": {"pyttsx3": "profile-lavrov"}}),
        {"Kyiv": "show-keev"},
    )
    lexicon = spoken_lexicon(profile)
    assert lexicon["Kyiv"] == "show-keev"  # the show has the last word
    assert lexicon["Lavrov"] == "profile-lavrov"  # the profile's sound for its engine
    assert lexicon["Qatar"] == "kuh-tar"  # narrate's starter underneath
    origins = lexicon_origins(profile)
    assert origins["Kyiv"] == "the show's lexicon"
    assert origins["Lavrov"] == "the voice profile 'default'"
    assert origins["Qatar"] == "narrate's starter lexicon (lexicon-en.toml)"
    # the same profile on another engine: the pyttsx3-only entries give way; the starter's
    # "Lavrov" is for espeak-ng only, so on Piper the name is read as written
    assert "Lavrov" not in spoken_lexicon(_profile("piper", lexicon=profile.lexicon))
    assert spoken_lexicon(_profile("tone", lexicon=profile.lexicon))["Qatar"] == "kuh-tar"


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("KURSK OFFENSIVE", "koorsk OFFENSIVE"),  # a key with capitals: the word in capitals too
        ("in Kursk", "in koorsk"),
        ("in kursk", "in kursk"),  # but not in lower case
        ("KuRsK", "KuRsK"),
        ("NICE", "nice"),  # a lowercase key beats the capitals of "Nice"
        ("Nice", "neece"),  # the exact spelling beats both
    ],
)
def test_which_key_matches_which_case(written: str, spoken: str) -> None:
    lexicon = {"Kursk": "koorsk", "Nice": "neece", "nice": "nice"}
    assert normalize(written, lexicon=lexicon) == spoken


@pytest.mark.parametrize(
    "data",
    [{"Kyiv": ""}, {"Kyiv": {}}, {"Kyiv": {"pyttsx3": ""}}, {"Kyiv": 3}, {"": "x"}, "Kyiv"],
)
def test_bad_entries_are_a_config_error_with_a_hint(data: object) -> None:
    with pytest.raises(ConfigError) as caught:
        check_entries(data, "names.toml")
    assert "pyttsx3" in caught.value.hint


def test_explain_names_the_entry_and_its_layer() -> None:
    profile = with_show_lexicon(_profile(lexicon={"Kyiv": "Keev"}), {"Okafor": "oh-kah-for"})
    said = explain(
        "Maren Okafor in Kyiv",
        lexicon=spoken_lexicon(profile),
        engine=profile.engine,
        origins=lexicon_origins(profile),
    )
    assert [(s.spoken, s.written, s.by) for s in said] == [
        ("Maren", "Maren", ()),
        ("oh-kah-for", "Okafor", ('lexicon: "Okafor" from the show\'s lexicon',)),
        ("in", "in", ()),
        ("Keev", "Kyiv", ("lexicon: \"Kyiv\" from the voice profile 'default'",)),
    ]


def test_explain_follows_a_word_through_the_rules() -> None:
    said = explain("On Dec. 14, 2024 the FBI paid $5.50.", engine="pyttsx3")
    by_written = {s.written: s.by for s in said if s.written}
    assert by_written["Dec. 14"] == ("dates_en.dates",)
    assert by_written["FBI"] == ("words_en.acronyms", "spoken forms for pyttsx3")
    assert by_written["$5.50"] == ("money_en.money",)
    assert " ".join(s.spoken for s in said) == normalize(
        "On Dec. 14, 2024 the FBI paid $5.50.", engine="pyttsx3"
    ).replace(",", "").rstrip(".")
