"""The process that runs Piper for :mod:`narrate.engines.piper` (``python -m`` this module).

It speaks the protocol of :mod:`narrate.engines.worker`. The voice (an ONNX model and its JSON
config) is loaded once, with onnxruntime's random seed fixed and one thread; then, on Linux,
every segment is said in a child forked from this process:

- Piper's voices add generator noise (``noise_scale``, ``noise_w``) drawn from onnxruntime's
  random state, which moves on with every call: the same sentence said twice by one session
  sounds different. Each child's call is the first its session makes, from the state this
  process has after loading, so a segment's audio is the same, to the byte, whichever worker says
  it and in whatever order (a parallel build equals a serial one, and the cache holds what a
  rebuild would say), and the voice keeps its noise, which makes it sound natural;
- a child that crashes or hangs takes no engine with it.

Elsewhere (no fork) the voice is loaded anew for every segment, for the same reason.
The phonemizer (Piper's own espeak-ng) is started before any child, so each child inherits it.
"""

from __future__ import annotations

import json
import sys
import wave
from typing import Any

from narrate.engines.worker import FORK, answer, open_channel, serve

SEED = 0  # onnxruntime's random seed: the generator noise of every segment starts from it


def load_voice(config: dict[str, Any]) -> Any:
    import onnxruntime
    from piper import PiperVoice

    onnxruntime.set_seed(SEED)  # before the session: its random kernels take it when made
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # one core a worker; the pool runs a worker a core
    options.inter_op_num_threads = 1
    voice = PiperVoice.load(config["model"], config_path=config["config"])
    voice.session = onnxruntime.InferenceSession(
        config["model"], sess_options=options, providers=["CPUExecutionProvider"]
    )
    voice.phonemize("Ready.")  # starts the phonemizer here, not in every child
    return voice


def speak(config: dict[str, Any], voice: Any, text: str, path: str) -> dict[str, Any]:
    """Say ``text`` into the WAV file ``path``; the answer for the parent."""
    from piper import SynthesisConfig

    voice = voice if FORK else load_voice(config)
    settings = SynthesisConfig(
        length_scale=float(config["length_scale"]),
        normalize_audio=False,  # Piper would raise each sentence to full scale: uneven levels
        volume=float(config["volume"]),
    )
    chunks = list(voice.synthesize(text, syn_config=settings))
    rates = {chunk.sample_rate for chunk in chunks}
    if len(rates) != 1:
        return {"said": False, "error": f"Piper said it at {sorted(rates) or 'no'} rates"}
    rate = rates.pop()
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        for chunk in chunks:
            out.writeframes(chunk.audio_int16_bytes)
    return {"said": True, "rate_hz": rate, "header_hz": rate}


def main() -> None:
    channel = open_channel()
    try:
        config = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
        voice = load_voice(config) if config.get("model") else None
    except Exception as exc:  # the parent turns this into an EngineError
        answer(channel, status="failed", detail=f"{type(exc).__name__}: {exc}")
        return
    answer(channel, status="ready", detail=str(config.get("model", "")))
    serve(
        channel,
        say=lambda text, path: speak(config, voice, text, path),
        voices=list,  # the parent lists the voice files itself
    )


if __name__ == "__main__":
    main()
