"""How an episode is finished, measured on the MP3s: the lead-in, the tail, the pauses, the floor.

    python benchmarks/finish.py [--voices default natural] [--source FILE]

Builds the bundled example (or FILE) with each voice, as the profile says and with a room tone
(``[finish] room_tone = true``), and, in the same run, with the finish off and the pauses as
two constants (the way narrate joined speech before: no lead-in or tail, no fades, digital
silence; the baseline). Prints, from the decoded MP3:

- where speech starts and how long before the end it stops;
- the gaps between sentences (silences of 250 ms or more): how many, their spread (standard
  deviation; two constants give a spread near zero apart from the engine's own edges);
- how fast a sentence's end falls to silence (ms from 10 dB below its level to -50 dBFS,
  median over sentence ends: espeak-ng's ends fell in about a millisecond);
- the level of the pauses (dBFS; -inf is digital silence) and the integrated loudness and true
  peak that mastering reached (target -16 LUFS +-1, at most -1 dBTP).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GAP_MS = 250
SPEECH_DBFS = -45.0


def measure(mp3: Path, work: Path) -> dict[str, Any]:
    from pydub import AudioSegment
    from pydub.silence import detect_nonsilent

    from narrate.audio.ffmpeg import ffmpeg_exe

    wav = work / "decoded.wav"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(mp3), str(wav)], check=True)
    audio = AudioSegment.from_wav(str(wav))
    spans = detect_nonsilent(audio, min_silence_len=GAP_MS, silence_thresh=SPEECH_DBFS)
    gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:], strict=False)]
    pauses = [audio[a[1] + 50 : b[0] - 50] for a, b in zip(spans, spans[1:], strict=False)]
    floor = max((p.dBFS for p in pauses if len(p) > 100), default=float("-inf"))
    falls = []
    for _, end in spans:
        tail = audio[max(0, end - 300) : end + 50]
        level = tail[:100].dBFS
        loud = [n for n in range(len(tail)) if tail[n : n + 1].dBFS > level - 10]
        quiet = [n for n in range(len(tail)) if tail[n : n + 1].dBFS < -50]
        if loud and quiet and quiet[-1] > loud[-1]:
            falls.append(next(q for q in quiet if q > loud[-1]) - loud[-1])
    return {
        "start_ms": spans[0][0] if spans else 0,
        "end_gap_ms": len(audio) - spans[-1][1] if spans else 0,
        "gaps": len(gaps),
        "gap_sd_ms": statistics.pstdev(gaps) if len(gaps) > 1 else 0.0,
        "distinct_gaps": len({round(g / 10) for g in gaps}),
        "fall_ms": statistics.median(falls) if falls else 0.0,
        "floor_dbfs": floor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voices", nargs="+", default=["default", "natural"])
    parser.add_argument("--source", default=str(REPO / "examples" / "riverton-ferry-page-dump.txt"))
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from narrate.config import load_settings
    from narrate.pipeline import build_episode

    with tempfile.TemporaryDirectory(prefix="narrate-finish-") as tmp:
        work = Path(tmp)
        for voice in args.voices:
            settings = load_settings(cwd=work, voice=voice)
            profile = settings.voice
            flat = replace(
                profile.pacing, long_sentence_ms_per_word=0, question_pause_ms=0, pause_jitter_ms=0
            )
            unfinished = replace(profile.finish, lead_in_ms=0, tail_ms=0, fade_in_ms=0)
            variants = {
                "baseline (no finish, constant pauses)": replace(
                    profile, pacing=flat, finish=replace(unfinished, fade_out_ms=0)
                ),
                "as the profile says": profile,
                "with room tone": replace(profile, finish=replace(profile.finish, room_tone=True)),
            }
            print(f"\n{voice} ({profile.engine})")
            for label, variant in variants.items():
                folder = work / f"{voice}-{len(label)}"
                chosen = replace(settings, voice=variant)
                built = build_episode(args.source, chosen, work_dir=folder)
                got = measure(built.mp3_path, work)
                print(
                    f"  {label:38s} starts {got['start_ms']:4d} ms, ends {got['end_gap_ms']:4d} ms "
                    f"early; {got['gaps']} gaps, sd {got['gap_sd_ms']:3.0f} ms, "
                    f"{got['distinct_gaps']} distinct; ends fall in {got['fall_ms']:.0f} ms; "
                    f"pauses at {got['floor_dbfs']:.1f} dBFS; {built.audio.integrated_lufs} LUFS, "
                    f"{built.audio.true_peak_dbtp} dBTP"
                )


if __name__ == "__main__":
    main()
