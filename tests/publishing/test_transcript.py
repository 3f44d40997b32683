"""WebVTT and JSON chapters: format rules, escaping, and the render -> parse round trip."""

from __future__ import annotations

import json
import re

import pytest

from narrate.errors import PublishError
from narrate.models import Chapter, Cue
from narrate.publishing.transcript import (
    format_timestamp,
    render_chapters_json,
    render_json_transcript,
    render_srt,
    render_webvtt,
)
from webvtt import WebVTTError, parse_timestamp, parse_webvtt

CUES = (
    Cue(0, 1500, "Good morning."),
    Cue(1500, 4250, "Prices rose 3% & <fell> again --> today."),
    Cue(4250, 3_723_004, "A line\n\nwith a blank line inside."),
)
TIMING = re.compile(r"^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$")


def test_timestamps_are_hours_minutes_seconds_millis() -> None:
    assert format_timestamp(0) == "00:00:00.000"
    assert format_timestamp(3_723_004) == "01:02:03.004"
    assert parse_timestamp("01:02:03.004") == 3_723_004
    assert parse_timestamp("02:03.004") == 123_004  # hours are optional when reading


def test_webvtt_structure() -> None:
    text = render_webvtt(CUES)
    assert text.startswith("WEBVTT\n\n")
    blocks = text.strip().split("\n\n")
    assert len(blocks) == 1 + len(CUES)  # header + one block per cue: no blank line inside
    for block in blocks[1:]:
        identifier, timing, payload = block.split("\n")
        assert identifier.isdigit()
        assert TIMING.match(timing)
        assert "-->" not in payload


def test_webvtt_escapes_markup_characters() -> None:
    text = render_webvtt(CUES)
    assert "3% &amp; &lt;fell&gt; again --&gt; today." in text
    assert "<fell>" not in text


def test_webvtt_round_trip() -> None:
    parsed = parse_webvtt(render_webvtt(CUES))
    assert [(c.start_ms, c.end_ms) for c in parsed] == [(c.start_ms, c.end_ms) for c in CUES]
    assert parsed[1].text == "Prices rose 3% & <fell> again --> today."
    assert parsed[2].text == "A line with a blank line inside."


def test_webvtt_leaves_out_empty_cues() -> None:
    assert parse_webvtt(render_webvtt([Cue(0, 10, "  "), Cue(10, 20, "x")])) == (Cue(10, 20, "x"),)


def test_invalid_cue_times_are_all_reported() -> None:
    with pytest.raises(PublishError) as info:
        render_webvtt([Cue(-5, 10, "a"), Cue(10, 20, "ok"), Cue(30, 20, "b")])
    assert "cue 1" in info.value.message and "cue 3" in info.value.message
    assert "cue 2" not in info.value.message


def test_parse_webvtt_from_other_tools() -> None:
    text = (
        "\ufeffWEBVTT - made elsewhere\r\nKind: captions\r\n\r\n"
        "NOTE a comment\r\n\r\n"
        "00:01.000 --> 00:02.500 align:start\r\n<v Anna>Hello &amp; welcome</v>\r\n\r\n"
        "intro\n00:00:02.500 --> 00:00:04.000\nsecond\nline\n"
    )
    assert parse_webvtt(text) == (
        Cue(1000, 2500, "Hello & welcome"),
        Cue(2500, 4000, "second line"),
    )


@pytest.mark.parametrize(
    "text",
    ["not vtt\n\n00:00.000 --> 00:01.000\nx\n", "WEBVTT\n\n00:00.000 --> 1 second\nx\n", ""],
)
def test_parse_webvtt_rejects_bad_files(text: str) -> None:
    with pytest.raises(WebVTTError):
        parse_webvtt(text)


def test_chapters_json() -> None:
    chapters = [Chapter(5250, 60_000, "Body"), Chapter(0, 5250, "Intro")]
    document = json.loads(render_chapters_json(chapters, title="An episode"))
    assert document["version"] == "1.2.0"
    assert document["title"] == "An episode"
    assert document["chapters"] == [
        {"startTime": 0, "endTime": 5.25, "title": "Intro"},
        {"startTime": 5.25, "endTime": 60, "title": "Body"},
    ]
    assert "title" not in json.loads(render_chapters_json([]))


def test_invalid_chapters_are_rejected() -> None:
    with pytest.raises(PublishError, match="chapter 1"):
        render_chapters_json([Chapter(10, 5, "backwards")])


def test_srt_numbers_cues_from_one_with_comma_millis() -> None:
    text = render_srt([Cue(0, 10, " "), *CUES])  # the empty cue is left out, not numbered
    blocks = text.strip().split("\n\n")
    assert len(blocks) == len(CUES)
    assert blocks[0] == "1\n00:00:00,000 --> 00:00:01,500\nGood morning."
    assert blocks[2] == "3\n00:00:04,250 --> 01:02:03,004\nA line with a blank line inside."
    assert blocks[1].split("\n")[2] == "Prices rose 3% & <fell> again -> today."


def test_json_transcript_follows_the_podcasting_2_format() -> None:
    document = json.loads(render_json_transcript(CUES))
    assert document["version"] == "1.0.0"
    assert document["segments"][0] == {"startTime": 0, "endTime": 1.5, "body": "Good morning."}
    assert document["segments"][2]["endTime"] == 3723.004
    assert [s["body"] for s in document["segments"]][1] == CUES[1].text


def test_every_format_refuses_impossible_times() -> None:
    for render in (render_srt, render_json_transcript):
        with pytest.raises(PublishError, match="cue 1"):
            render([Cue(10, 5, "backwards")])
