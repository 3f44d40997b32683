"""A WebVTT reader for the tests: narrate writes transcripts, it never reads them.

Follows the block structure of https://www.w3.org/TR/webvtt1/#file-parsing, so that the tests
check narrate's files against the format rather than against narrate's own writer.
"""

from __future__ import annotations

import html
import re

from narrate.models import Cue

# https://www.w3.org/TR/webvtt1/#webvtt-timestamp : hours are optional when zero, ms are not.
_TIMESTAMP = re.compile(r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
_TAG = re.compile(r"<[^>]*>")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")


class WebVTTError(ValueError):
    """The text is not a valid WebVTT file."""


def parse_timestamp(text: str) -> int:
    """Milliseconds of a WebVTT timestamp (``MM:SS.mmm`` or ``HH:MM:SS.mmm``)."""
    match = _TIMESTAMP.match(text.strip())
    if match is None:
        raise WebVTTError(f"not a WebVTT timestamp: {text!r}")
    hours, minutes, secs, millis = (int(g) if g else 0 for g in match.groups())
    return ((hours * 60 + minutes) * 60 + secs) * 1000 + millis


def parse_webvtt(text: str) -> tuple[Cue, ...]:
    """The cues of a WebVTT file: times in ms, text with tags removed and entities decoded.

    Follows the block structure of https://www.w3.org/TR/webvtt1/#file-parsing : an optional
    identifier line, a timing line, then payload lines up to a blank line. NOTE, STYLE and
    REGION blocks are skipped. Raises ``WebVTTError`` when the header or a timing is wrong.
    """
    text = text.removeprefix("\ufeff")
    lines = _LINE_BREAKS.split(text)
    header = lines[0] if lines else ""
    if header != "WEBVTT" and not header.startswith(("WEBVTT ", "WEBVTT\t")):
        raise WebVTTError(
            "not a WebVTT file: it does not start with 'WEBVTT'",
            "give the path of a .vtt transcript written by narrate",
        )
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines[1:]:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)

    cues: list[Cue] = []
    for block in blocks:
        timing_index = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if timing_index is None:
            if not block[0].startswith(("NOTE", "STYLE", "REGION")) and cues:
                raise WebVTTError(
                    f"WebVTT block without a timing line: {block[0]!r}",
                    "each cue needs a line like '00:00:01.000 --> 00:00:02.500'",
                )
            continue  # header metadata, NOTE, STYLE or REGION
        start_text, _, rest = block[timing_index].partition("-->")
        end_text = rest.split()[0] if rest.split() else ""
        try:
            start_ms, end_ms = parse_timestamp(start_text), parse_timestamp(end_text)
        except ValueError as exc:
            raise WebVTTError(
                f"bad WebVTT cue timing {block[timing_index]!r}: {exc}",
                "timestamps look like 00:01:02.345",
            ) from exc
        payload = "\n".join(block[timing_index + 1 :])
        cue_text = " ".join(html.unescape(_TAG.sub("", payload)).split())
        cues.append(Cue(start_ms=start_ms, end_ms=end_ms, text=cue_text))
    return tuple(cues)
