"""Transcripts and chapters: WebVTT, SubRip and JSON transcripts; Podcasting 2.0 JSON chapters.

* WebVTT: https://www.w3.org/TR/webvtt1/ (the file format, section 4; the parser, section 6).
* SubRip and JSON transcripts:
  https://github.com/Podcastindex-org/podcast-namespace/blob/main/transcripts/transcripts.md
* JSON chapters: https://github.com/Podcastindex-org/podcast-namespace/blob/main/chapters/jsonChapters.md

The tests read every file back with a WebVTT parser of their own (``tests/webvtt.py``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from narrate.errors import PublishError
from narrate.models import Chapter, Cue

logger = logging.getLogger(__name__)

# https://www.w3.org/TR/webvtt1/#webvtt-timestamp : hours are optional when zero, ms are not.


def format_timestamp(ms: int) -> str:
    """``HH:MM:SS.mmm``, the WebVTT timestamp (hours always written, for every cue alike)."""
    if ms < 0:
        raise ValueError(f"negative time: {ms} ms")
    seconds, millis = divmod(ms, 1000)
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _cue_payload(text: str) -> str:
    """Cue text made safe for a WebVTT payload.

    https://www.w3.org/TR/webvtt1/#cue-text : ``&`` and ``<`` must be escaped (``>`` is too, so
    that ``-->`` can never appear). A blank line would end the cue, so whitespace is collapsed
    to single spaces: the transcript is a sentence per cue, its line breaks carry no meaning.
    """
    collapsed = " ".join(text.split())
    return collapsed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _check_cues(cues: Sequence[Cue]) -> None:
    """Raise ``PublishError`` listing every cue whose times are invalid (negative, or ending
    before it starts: https://www.w3.org/TR/webvtt1/#webvtt-cue-timings)."""
    problems = [
        f"cue {index} ({cue.start_ms} -> {cue.end_ms} ms)"
        for index, cue in enumerate(cues, start=1)
        if cue.start_ms < 0 or cue.end_ms <= cue.start_ms
    ]
    if problems:
        raise PublishError(
            "transcript cues with invalid times: " + ", ".join(problems),
            "each cue must start at 0 ms or later and end after it starts; "
            "this is a bug in the timing of the audio, please report it",
        )


def render_webvtt(cues: Sequence[Cue]) -> str:
    """A WebVTT file with one cue per ``Cue`` (cues with no text are left out)."""
    _check_cues(cues)
    blocks = ["WEBVTT"]
    for index, cue in enumerate(cues, start=1):
        payload = _cue_payload(cue.text)
        if not payload:
            logger.debug("left out empty transcript cue %d", index)
            continue
        timing = f"{format_timestamp(cue.start_ms)} --> {format_timestamp(cue.end_ms)}"
        blocks.append(f"{index}\n{timing}\n{payload}")
    return "\n\n".join(blocks) + "\n"


def render_srt(cues: Sequence[Cue]) -> str:
    """A SubRip file: cues numbered from 1, ``HH:MM:SS,mmm`` times, one line of text each.

    SubRip has no formal spec; this follows the de facto format that players and the
    Podcasting 2.0 transcript tag expect (https://en.wikipedia.org/wiki/SubRip#Format).
    Text is one line with whitespace collapsed, so a blank line can never end a cue early, and
    an arrow ``-->`` in it is shortened, so no reader takes the text for a timing line.
    """
    _check_cues(cues)
    blocks: list[str] = []
    for cue in cues:
        text = " ".join(cue.text.split()).replace("-->", "->")
        if text:
            start = format_timestamp(cue.start_ms).replace(".", ",")
            end = format_timestamp(cue.end_ms).replace(".", ",")
            blocks.append(f"{len(blocks) + 1}\n{start} --> {end}\n{text}")
    return "\n\n".join(blocks) + "\n"


def render_json_transcript(cues: Sequence[Cue]) -> str:
    """The Podcasting 2.0 JSON transcript: ``{"version": "1.0.0", "segments": [...]}``.

    Spec: https://github.com/Podcastindex-org/podcast-namespace/blob/main/transcripts/transcripts.md
    Each segment has ``startTime`` and ``endTime`` in seconds and its ``body``.
    """
    _check_cues(cues)
    segments = [
        {"startTime": _seconds(c.start_ms), "endTime": _seconds(c.end_ms), "body": text}
        for c in cues
        if (text := " ".join(c.text.split()))
    ]
    return json.dumps({"version": "1.0.0", "segments": segments}, ensure_ascii=False) + "\n"


def _seconds(ms: int) -> float | int:
    """Seconds for JSON: an int when whole, else a float to the millisecond."""
    return ms // 1000 if ms % 1000 == 0 else round(ms / 1000, 3)


def render_chapters_json(chapters: Sequence[Chapter], *, title: str | None = None) -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0) for an episode.

    Spec: https://github.com/Podcastindex-org/podcast-namespace/blob/main/chapters/jsonChapters.md
    ``startTime`` (required) and ``endTime`` are seconds; chapters are written in start order.
    """
    problems = [
        f"chapter {index} {chapter.title!r}"
        for index, chapter in enumerate(chapters, start=1)
        if chapter.start_ms < 0 or chapter.end_ms < chapter.start_ms or not chapter.title.strip()
    ]
    if problems:
        raise PublishError(
            "invalid chapters: " + ", ".join(problems),
            "each chapter needs a title and must not end before it starts; please report this",
        )
    document: dict[str, object] = {"version": "1.2.0"}
    if title:
        document["title"] = title
    document["chapters"] = [
        {
            "startTime": _seconds(chapter.start_ms),
            "endTime": _seconds(chapter.end_ms),
            "title": " ".join(chapter.title.split()),
        }
        for chapter in sorted(chapters, key=lambda c: c.start_ms)
    ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
