"""Draw narrate's chime (src/narrate/defaults/chime.wav): two soft bell tones, 1.4 s.

``intro_file = "chime"`` (or ``outro_file``) in narrate.toml plays it. Run by hand when the sound
should change: ``python tools/make_chime.py``. Standard library only; the file is generated, not
recorded or downloaded, so its licence is the project's.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
LENGTH_S = 1.4
# (start s, fundamental Hz): a rising major third, each note a bell (partials decaying at
# different speeds).
NOTES = ((0.0, 659.25), (0.22, 830.61))
PARTIALS = ((1.0, 1.0, 3.2), (2.0, 0.35, 5.0), (3.0, 0.12, 7.0))  # (ratio, level, decay /s)
PEAK = 0.5  # of full scale; mastering sets the final level
OUT = Path(__file__).resolve().parents[1] / "src" / "narrate" / "defaults" / "chime.wav"


def sample(t: float) -> float:
    value = 0.0
    for start, pitch in NOTES:
        local = t - start
        if local < 0:
            continue
        attack = min(1.0, local / 0.006)  # 6 ms onset: no click
        for ratio, level, decay in PARTIALS:
            envelope = attack * level * math.exp(-decay * local)
            value += envelope * math.sin(2 * math.pi * pitch * ratio * local)
    fade = min(1.0, (LENGTH_S - t) / 0.15)  # the last 150 ms fade to silence
    return value * fade


def main() -> None:
    count = int(RATE * LENGTH_S)
    values = [sample(i / RATE) for i in range(count)]
    scale = PEAK / max(abs(v) for v in values)
    frames = b"".join(struct.pack("<h", round(v * scale * 32767)) for v in values)
    with wave.open(str(OUT), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
