"""Benchmark: the sentence splitter narrate uses (pysbd, via narrate.speech.segment) on pySBD's
English "Golden Rules", against a naive regex baseline measured in the same run.

Run on demand (not part of the test suite):

    python benchmarks/sentences.py [-v]

A case passes when the split equals the expected sentences exactly (whitespace trimmed).
The corpus is read from ``../shared/corpora/sentences/golden-rules-en.json`` at run time.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from narrate.speech.segment import split_sentences

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "sentences"
GOLDEN = CORPUS / "golden-rules-en.json"

Splitter = Callable[[str], list[str]]
BASELINE = r"baseline (regex [.!?]\s+)"


def narrate_split(text: str) -> list[str]:
    """What make_script does to a paragraph before normalizing each sentence."""
    return split_sentences(text, "en")


def naive_split(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def run(cases: list[dict[str, object]], split: Splitter) -> tuple[list[bool], float]:
    """(pass/fail per case, seconds per case)."""
    start = time.perf_counter()
    results = []
    for case in cases:
        expected = [str(s).strip() for s in case["sentences"]]  # type: ignore[attr-defined]
        results.append(split(str(case["text"])) == expected)
    return results, (time.perf_counter() - start) / max(len(cases), 1)


def main() -> int:
    if not GOLDEN.exists():
        print(f"corpus not found: {GOLDEN}", file=sys.stderr)
        return 1
    cases = json.loads(GOLDEN.read_text(encoding="utf-8"))
    narrate_split("Warm up.")  # build the segmenter outside the timing
    ours, ours_time = run(cases, narrate_split)
    base, base_time = run(cases, naive_split)
    n = len(cases)
    print(f"{'splitter':30} {'passed':>9} {'share':>7} {'µs/case':>9}")
    rows = [("narrate (pysbd, clean=False)", ours, ours_time), (BASELINE, base, base_time)]
    for label, results, seconds in rows:
        share = sum(results) / n
        print(f"{label:30} {sum(results):4d}/{n:<4d} {share:7.1%} {seconds * 1e6:9.0f}")
    ratio = f"{sum(ours) / sum(base):.2f}x" if sum(base) else "n/a"
    print(f"pass ratio narrate/baseline: {ratio}; time ratio: {ours_time / base_time:.0f}x")
    if "-v" in sys.argv:
        for case, ok in zip(cases, ours, strict=True):
            if not ok:
                print(
                    f"\nFAIL {case['rule']}\n  want {case['sentences']}\n"
                    f"  got  {narrate_split(case['text'])}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
