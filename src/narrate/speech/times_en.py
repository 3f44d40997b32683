"""English times of day for :mod:`narrate.speech.normalize`: "7:15 PM", "9 a.m. EST", "2pm-5pm",
"10:00-11:30", durations ("2:01:09") and ratios ("3:1")."""

from __future__ import annotations

import re

from narrate.speech.forms import spell
from narrate.speech.numbers_en import cardinal, keep_final_period, words

_AMPM = r"(?P<ampm>[AaPp])\.?\s?[Mm]\b\.?"
# A time zone after a time is spelled ("E S T"). Zones that are also words ("ET" and "et al",
# "WEST") count only in capitals; the others in any case and with dots too ("p.m. e.s.t.").
_ZONES = words("ET CT MT PT AKST AKDT HST WET WEST IST JST KST SGT HKT AEST AEDT")
_ANY_CASE_ZONES = words("UTC GMT EST EDT CST CDT MST MDT PST PDT BST CET CEST EET EEST MSK")
_ZONE = (
    r"(?:\s?(?P<zone>"
    + "|".join(_ZONES)
    + "|(?i:"
    + "|".join(r"\.?".join(zone.lower()) for zone in _ANY_CASE_ZONES)
    + r"))\b)?"
)
_CLOCK_AMPM = re.compile(rf"\b(?P<h>[01]?\d)(?:[:.](?P<min>[0-5]\d))?\s*{_AMPM}{_ZONE}")
# 2pm-5pm, 10-11am, 4:00 am - 8:12 pm: the first time may leave out its am or pm.
_AMPM_RANGE = re.compile(
    r"(?=\d)(?<![\w.:])(?P<h1>[01]?\d)(?:[:.](?P<min1>[0-5]\d))?"
    r"(?:\s*(?P<ampm1>[AaPp])\.?\s?[Mm]\b\.?)?"
    rf"\s?[-–]\s?(?P<h>[01]?\d)(?:[:.](?P<min>[0-5]\d))?\s*{_AMPM}{_ZONE}"
)
_DURATION = re.compile(r"(?<![\d:.])(\d{1,2}):([0-5]\d):([0-5]\d)(?![\d:])")  # 2:01:09
_HOUR_MINUTES = r"(?:[01]?\d|2[0-3]):[0-5]\d"
_CLOCK_24 = re.compile(rf"(?=\d)(?<![\d:.])(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)(?![\d:]){_ZONE}")
# 10:00-11:30: the dash is said "to" (the lookahead at the start is only for speed).
_CLOCK_RANGE = re.compile(
    rf"(?=\d)(?<![\d:.])({_HOUR_MINUTES})\s?[-–]\s?(?={_HOUR_MINUTES}(?![\d:]))"
)


# Numbers around a colon that are not a time: a ratio or a score ("1:250,000", "3 : 1").
_RATIO = re.compile(r"(?<![\d:.,])(\d+) ?: ?(\d+(?:,\d{3})*)(?![\d:]|[.,]\d)")


def _minutes(minutes: str) -> str:
    value = int(minutes)
    return "" if value == 0 else f" oh {cardinal(value)}" if value < 10 else f" {cardinal(value)}"


def _zone(m: re.Match[str]) -> str:
    """ "EST", "e.s.t." -> " E S T"; no zone -> ""."""
    zone = m.group("zone")
    return " " + spell(zone.upper()) if zone else ""


def _ampm(hour: int, minutes: str | None, ampm: str | None) -> str:
    """(7, "15", "p") -> "seven fifteen p m"; without ``ampm`` the bare time."""
    suffix = "" if not ampm else " " + spell("am" if ampm in "Aa" else "pm")
    return f"{cardinal(hour)}{_minutes(minutes or '00')}{suffix}"


def times(text: str) -> str:
    """7:15 PM -> "seven fifteen p m"; 9 a.m. -> "nine a m"; 10:00 -> "ten o'clock";
    2pm-5pm -> "two p m to five p m"; 1:59 p.m. EST -> "one fifty-nine p m E S T"."""

    def ampm(m: re.Match[str]) -> str:
        hour = int(m.group("h"))
        if not 1 <= hour <= 12:
            return m.group(0)
        return keep_final_period(m, _ampm(hour, m.group("min"), m.group("ampm")) + _zone(m))

    def ampm_range(m: re.Match[str]) -> str:
        first, second = int(m.group("h1")), int(m.group("h"))
        if not (1 <= first <= 12 and 1 <= second <= 12):
            return m.group(0)
        ampm1, ampm2 = m.group("ampm1"), m.group("ampm")
        if not ampm1 and ampm2:
            # Said once at the end, "ten to eleven a m" is heard as 10:50: the first time gets
            # its own, the same unless the range crosses noon or midnight ("11-1pm", "10-12pm").
            crosses = first % 12 > second % 12  # on a clock where twelve comes first
            ampm1 = ("p" if ampm2 in "Aa" else "a") if crosses else ampm2
        start = _ampm(first, m.group("min1"), ampm1)
        end = _ampm(second, m.group("min"), ampm2) + _zone(m)
        return keep_final_period(m, f"{start} to {end}")

    def clock(m: re.Match[str]) -> str:
        hour, minutes = int(m.group("h")), m.group("min")
        if minutes == "00":
            said = f"{cardinal(hour)} o'clock" if hour <= 12 else f"{cardinal(hour)} hundred"
        else:
            said = f"{cardinal(hour)}{_minutes(minutes)}"
        return keep_final_period(m, said + _zone(m))

    def duration(m: re.Match[str]) -> str:
        units = zip(m.groups(), ("hour", "minute", "second"), strict=True)
        said = [f"{cardinal(int(v))} {u}{'' if int(v) == 1 else 's'}" for v, u in units if int(v)]
        return ", ".join(said) or "zero seconds"

    text = _DURATION.sub(duration, text)
    text = _CLOCK_AMPM.sub(ampm, _AMPM_RANGE.sub(ampm_range, text))
    text = _CLOCK_24.sub(clock, _CLOCK_RANGE.sub(r"\1 to ", text))
    return _RATIO.sub(lambda m: f"{m.group(1)} to {m.group(2)}", text)
