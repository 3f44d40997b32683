"""Draw narrate's default cover (src/narrate/defaults/cover.png): a waveform on a dark square.

Run once by hand when the design changes: ``python tools/make_cover.py``. Pure standard library,
so the packaged image can be rebuilt without an imaging dependency.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

SIZE = 1400
BACKGROUND = (18, 28, 48)
BARS = (244, 162, 54)
OUT = Path(__file__).resolve().parents[1] / "src" / "narrate" / "defaults" / "cover.png"


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def main() -> None:
    bar_count, margin = 23, 220
    step = (SIZE - 2 * margin) / bar_count
    heights = [0.18 + 0.7 * abs(math.sin(i * 0.55) * math.cos(i * 0.21)) for i in range(bar_count)]
    rows = []
    for y in range(SIZE):
        row = bytearray(b"\x00")  # filter type: none
        for x in range(SIZE):
            color = BACKGROUND
            i = int((x - margin) // step)
            if 0 <= i < bar_count and (x - margin) % step < step * 0.6:
                half = heights[i] * (SIZE / 2 - margin)
                if abs(y - SIZE / 2) <= half:
                    color = BARS
            row += bytes(color)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", raw)
    OUT.write_bytes(png + _chunk(b"IEND", b""))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
