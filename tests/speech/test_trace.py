"""The trace the benchmark's cross-validation reads: which rules and table entries decided a
spoken form, and switching them off."""

from __future__ import annotations

from narrate.speech.normalize import normalize
from narrate.speech.trace import Table, tracing


def test_a_table_records_the_entries_used_and_can_switch_one_off() -> None:
    table = Table("units", {"km": "kilometer", "kg": "kilogram"})
    with tracing() as trace:
        assert table.get("km") == "kilometer" and "mi" not in table
    assert trace.used == {("units", "km")}
    with tracing(off=[("units", "km")]):
        assert table.get("km") is None and "km" not in table and table["kg"] == "kilogram"
    assert list(table) == ["km", "kg"] and table.entries() == {"km": "kilometer", "kg": "kilogram"}
    assert table.get("km") == "kilometer"  # outside a trace: a plain mapping


def test_normalize_records_its_knobs_and_obeys_them() -> None:
    with tracing() as trace:
        assert normalize("UEFA said 5 km") == "UEFA said five kilometers"
    assert {("word_acronyms", "UEFA"), ("units", "km"), ("rule", "units_en.percent_and_units")} <= (
        trace.used
    )
    with tracing(off=[("word_acronyms", "UEFA"), ("rule", "units_en.percent_and_units")]):
        assert normalize("UEFA said 5 km") == "U E F A said five k m"
