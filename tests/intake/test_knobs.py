"""Knobs: intake's named rules are recorded when they fire and can be switched off."""

from narrate.intake import knobs
from narrate.intake.rules import is_boilerplate, section_cost


def test_a_phrase_that_fires_is_recorded_by_name() -> None:
    with knobs.tracing() as usage:
        assert section_cost("Most popular") == float("inf")
    assert "section-end:most (popular|read|viewed|shared|recent)" in usage.fired


def test_a_phrase_switched_off_acts_as_if_not_written() -> None:
    name = "section-end:most (popular|read|viewed|shared|recent)"
    with knobs.tracing(off=[name]):
        assert section_cost("Most popular") == 0.0
        assert section_cost("Top stories") == float("inf")  # the other phrases still work
    assert section_cost("Most popular") == float("inf")  # and outside, every knob is on


def test_a_rule_switched_off_does_not_act() -> None:
    line = "Share"
    assert is_boilerplate(line, 1)
    with knobs.tracing(off=["weak-furniture"]) as usage:
        assert not is_boilerplate(line, 1)
    assert "weak-furniture" in usage.fired


def test_outside_tracing_nothing_is_recorded() -> None:
    with knobs.tracing() as usage:
        pass
    assert section_cost("Most popular") == float("inf")
    assert usage.fired == set()
