"""Benchmark: narrate.speech.normalize against written -> spoken pairs from Google / NeMo.

Run on demand (not part of the test suite):

    python benchmarks/normalization.py [-v] [--folds 5]

Corpora are read from ``../shared/corpora/normalization`` at run time (see its README):
``google-tn-dev.jsonl`` (3,500 sentences) and ``test-cases/test_cases_<class>.txt``.

It prints, for the Google sentences, the **cross-validated** sentence accuracy and the accuracy
on the whole set; the accuracy per class on every NeMo test-case file; for each language with
rules, a table of news phrases and their spoken forms (narrate's words, and as written for
pyttsx3); and the time to normalize a 5,000-word news article (real article bodies from
``../shared/corpora/article-extraction``) against a baseline pass measured in the same run
(``str.split`` and one regex over the same text), plus a long unpunctuated line at two sizes:
the second ratio shows that time grows linearly.

Cross-validation. What a rule-based normalizer learns from its development sentences is the
content of its hand-made tables (acronyms said as words, nouns that make a number a count,
titles, units...) and its rules: each is a *knob* (:mod:`narrate.speech.trace`). The sentences
are cut into K folds (by a hash of their text). For each fold, the knobs that only its own
sentences use (no sentence of the other folds, the tuning folds, does) are switched off and the
fold is scored: an entry or a rule that fits only those sentences cannot have been learned
from the others, so it does not count for them. The cross-validated figure is the held-out
accuracy over all folds; a sentence-shaped patch raises the whole-set figure, never this one.
Rule changes are decided on it.

Lenient scoring, as the corpus README describes: lowercase, drop punctuation tokens and the
word "and", hyphens to spaces, collapse whitespace, then exact match. The corpus writes
punctuation as separate tokens ("Kyiv ."); narrate attaches it ("Kyiv."), so punctuation is
also stripped from the ends of every token, on both sides alike. The baseline, measured in the
same run, is the identity (no normalization at all).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from narrate.speech.lexicon import spoken_lexicon
from narrate.speech.normalize import normalize
from narrate.speech.trace import Knob, tracing
from narrate.voices import load_profile

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "normalization"
ARTICLES = CORPUS.parent / "article-extraction" / "ground-truth.json"
# Every test-case file but normalize_with_audio (several acceptable outputs a case).
CLASSES = tuple(
    sorted(
        p.stem.removeprefix("test_cases_")
        for p in (CORPUS / "test-cases").glob("test_cases_*.txt")
        if p.stem != "test_cases_normalize_with_audio"
    )
)
_EDGE_PUNCT = "\"'`.,;:!?()[]{}«»“”‘’—–-…/"


def lenient(text: str) -> str:
    tokens = []
    for token in text.lower().replace("-", " ").split():
        token = token.strip(_EDGE_PUNCT)
        if token and token != "and" and re.search(r"\w", token):
            tokens.append(token)
    return " ".join(tokens)


def load_google() -> list[tuple[str, str]]:
    path = CORPUS / "google-tn-dev.jsonl"
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [(row["text"], row["gt_normalized"]) for row in rows]


def load_class(name: str) -> list[tuple[str, str]]:
    path = CORPUS / "test-cases" / f"test_cases_{name}.txt"
    if not path.exists():
        return []
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        written, sep, spoken = line.partition("~")
        if sep and written.strip():
            pairs.append((written, spoken))
    return pairs


def score(pairs: list[tuple[str, str]], system: Callable[[str], str]) -> tuple[int, float]:
    """(cases passed, seconds per case)."""
    start = time.perf_counter()
    passed = sum(lenient(system(written)) == lenient(spoken) for written, spoken in pairs)
    elapsed = time.perf_counter() - start
    return passed, elapsed / max(len(pairs), 1)


def identity(text: str) -> str:
    return text


def article_paragraphs(words: int = 5000) -> list[str]:
    """Paragraphs of real news article bodies, about ``words`` words in all."""
    bodies = json.loads(ARTICLES.read_text(encoding="utf-8"))
    paragraphs: list[str] = []
    count = 0
    for key in sorted(bodies):
        for paragraph in bodies[key]["articleBody"].split("\n"):
            if paragraph.strip() and count < words:
                paragraphs.append(paragraph.strip())
                count += len(paragraph.split())
    return paragraphs


def _best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def timing() -> None:
    if not ARTICLES.exists():
        print(f"\n(no {ARTICLES}: article timing skipped)")
        return
    paragraphs = article_paragraphs()
    words = sum(len(p.split()) for p in paragraphs)
    token = re.compile(r"\w+|[^\w\s]")
    base = _best_of(5, lambda: [(p.split(), token.findall(p)) for p in paragraphs])
    ours = _best_of(5, lambda: [normalize(p) for p in paragraphs])
    lexicon = spoken_lexicon(load_profile("default"))
    with_lexicon = _best_of(5, lambda: [normalize(p, lexicon=lexicon) for p in paragraphs])
    print(f"\nnormalize a {words:,}-word article ({len(paragraphs)} paragraphs), best of 5:")
    print(f"  baseline (str.split + one regex)  {base:8.4f} s")
    print(f"  narrate.speech.normalize          {ours:8.4f} s   {ours / base:6.0f}x the baseline")
    print(
        f"  ... with the default voice's lexicon ({len(lexicon)} entries)"
        f"  {with_lexicon:8.4f} s   {with_lexicon / base:6.0f}x the baseline"
    )
    print("long unpunctuated line (words and numbers, no stop):")
    previous = 0.0
    for size in (500_000, 1_000_000):
        line = ("word 12 Dr x.y " * (size // 15))[:size]
        seconds = _best_of(1, lambda line=line: normalize(line))
        growth = f"   x{seconds / previous:.2f} for twice the text" if previous else ""
        print(f"  {size:>9,} characters            {seconds:8.3f} s{growth}")
        previous = seconds


def fold_of(text: str, folds: int) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % folds


def cross_validate(
    pairs: list[tuple[str, str]], folds: int
) -> tuple[list[float], float, list[int], dict[int, set[Knob]]]:
    """(held-out accuracy per fold, whole-set accuracy, knobs switched off per fold, those knobs).

    One traced pass over every sentence gives what each uses and whether it passes; each fold
    is then scored with the knobs only it uses switched off (its sentences that use one are
    normalized again).
    """
    used: list[set[Knob]] = []
    passed: list[bool] = []
    for written, spoken in pairs:
        with tracing() as trace:
            got = normalize(written)
        used.append(trace.used)
        passed.append(lenient(got) == lenient(spoken))
    fold = [fold_of(written, folds) for written, _ in pairs]
    accuracy, switched_off, knobs = [], [], {}
    for f in range(folds):
        tuning: set[Knob] = set().union(*(u for u, g in zip(used, fold, strict=True) if g != f))
        held = [i for i, g in enumerate(fold) if g == f]
        off = set().union(*(used[i] for i in held)) - tuning
        correct = 0
        for i in held:
            if used[i] & off:
                with tracing(off=off):
                    got = normalize(pairs[i][0])
                correct += lenient(got) == lenient(pairs[i][1])
            else:
                correct += passed[i]
        accuracy.append(correct / max(len(held), 1))
        switched_off.append(len(off))
        knobs[f] = off
    return accuracy, sum(passed) / len(pairs), switched_off, knobs


# News phrases per language: what the rules make of them (a table for reading, not a score).
PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        "at 10 a.m. ET",
        "the CIA, the NBA, AP, the USA and the NCAA",
        "3-5 June 2024",
        "rates of 5.25%-5.5%",
        "1.5m people",
        "after WWII",
        "Henry VIII's wives",
        "2½ cups",
        "he is 6'2\"",
        "$80/barrel",
        "25 pts in 32 mins",
        "call ext. 204",
        "1,200 sq ft",
        "built c. 1950",
        "10x more",
        "1990 protesters",
        "+44 20 7946 0958",
    ),
    "de": (
        "am 1. September 2024",
        "der 2. Weltkrieg, im 19. Jahrhundert",
        "3,2 Millionen, 1.200 Menschen",
        "um 14:30 Uhr",
        "3,50 €, 1,2 Mrd. Euro",
        "5,5 %",
        "120 km/h, 21 °C",
        "Dr. Müller, z. B., Nr. 5",
        "seit 1990, in den 1990er Jahren",
    ),
    "fr": (
        "le 1er septembre 2024",
        "au XXIe siècle, Louis XIV",
        "3,2 millions, 1 200 personnes",
        "à 14h30",
        "3,50 €, 1,2 milliard d'euros",
        "5,5 %",
        "120 km/h, -3 °C",
        "M. Dupont, Mme Martin, n° 5",
        "21 personnes et 1 heure",
    ),
    "es": (
        "el 1 de septiembre de 2024",
        "en el siglo XXI, Felipe VI",
        "3,2 millones, 1.200 personas",
        "a las 14:30",
        "3,50 €, 1,2 millones de euros",
        "5,5 %",
        "120 km/h, -3 °C",
        "el Sr. García, EE. UU., n.º 5",
        "21 personas y 1 hora",
    ),
}


def phrase_tables() -> None:
    for language, phrases in PHRASES.items():
        print(f"\nspoken forms, {language} (narrate's words | for pyttsx3, where it differs)")
        width = max(len(p) for p in phrases)
        for phrase in phrases:
            words = normalize(phrase, language=language)
            espeak = normalize(phrase, language=language, engine="pyttsx3")
            tail = f"   | {espeak}" if espeak != words else ""
            print(f"  {phrase:{width}}  {words}{tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", action="store_true", help="list failures and switched-off knobs")
    parser.add_argument("--folds", type=int, default=5, help="folds of the cross-validation")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 1
    google = load_google()
    needs_change = [(w, s) for w, s in google if lenient(w) != lenient(s)]

    held_out, whole, switched_off, knobs = cross_validate(google, args.folds)
    pooled = statistics.fmean(held_out)
    print(f"google-tn-dev: {len(google)} sentences, {args.folds}-fold cross-validation")
    for f, (accuracy, off) in enumerate(zip(held_out, switched_off, strict=True)):
        print(f"  fold {f}: held out {accuracy:6.1%}   ({off} knobs only its sentences use: off)")
    spread = f"{min(held_out):.1%} to {max(held_out):.1%}"
    print(f"  cross-validated sentence accuracy  {pooled:6.1%}   (folds {spread})")
    print(f"  whole-set sentence accuracy        {whole:6.1%}   (every knob on)\n")

    sets = [("google-tn-dev: all", google), ("google-tn-dev: needs a change", needs_change)]
    sets += [(f"class: {name}", pairs) for name in CLASSES if (pairs := load_class(name))]
    header = f"{'set':34} {'cases':>6} {'identity':>9} {'narrate':>9} {'ratio':>7} {'µs/case':>8}"
    print(header)
    print("-" * len(header))
    for label, pairs in sets:
        base, _ = score(pairs, identity)
        ours, per_case = score(pairs, normalize)
        ratio = f"{ours / base:.2f}x" if base else "n/a"
        n = len(pairs)
        print(f"{label:34} {n:6d} {base / n:9.1%} {ours / n:9.1%} {ratio:>7} {per_case * 1e6:8.0f}")
    phrase_tables()
    timing()
    if args.v:
        print("\nknobs only one fold's sentences use (switched off for that fold):")
        for f, off in knobs.items():
            print(f"  fold {f}: {', '.join(sorted(f'{t}:{k}' for t, k in off))}")
        print("\nfailures (needs a change):")
        for written, spoken in needs_change:
            got = normalize(written)
            if lenient(got) != lenient(spoken):
                print(f"  {written}\n    want {lenient(spoken)}\n    got  {lenient(got)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
