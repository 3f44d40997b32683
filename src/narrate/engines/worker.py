"""What every engine's worker process shares (``pyttsx3_worker``, ``piper_worker``).

A worker reads one JSON request a line on stdin and answers one JSON line on the stdout it had at
start; that stdout is then pointed at /dev/null, so that what an engine prints never mixes with
answers, nor reaches the user. Requests: ``{"op": "say", "text", "path"}`` and
``{"op": "voices"}``; end of input ends the process. Its first answer is its status:
``{"status": "ready" | "failed", "detail"}``.

On Linux every request runs in a child forked from the worker (``in_child``), so that what a
segment sounds like never depends on what the worker said before (espeak-ng keeps state between
utterances; Piper's generator noise follows the model's random state), and a child that crashes
or hangs takes no engine with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import sys
import wave
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TextIO

FORK = sys.platform.startswith("linux")

Say = Callable[[str, str], dict[str, Any]]  # (text, path) -> the answer


def in_child(work: Callable[[], dict[str, Any]], inherited: Sequence[int] = ()) -> dict[str, Any]:
    """``work()`` in a forked child; its answer, or ``{"error": why}`` if it failed or died.

    The child closes the file descriptors in ``inherited`` (the worker's requests and answers:
    held open by a child, they would hide the worker's death from narrate) and dies with the
    worker, so that a child that hangs never outlives the worker blocked waiting for it.
    """
    worker = os.getpid()
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError as exc:  # out of processes or file descriptors
        return {"error": f"cannot start an engine: {exc}"}
    if pid == 0:  # the child: answer through the pipe, then leave without cleaning up
        code = 0
        try:
            die_with_parent(worker)
            os.close(read_end)
            for fd in inherited:
                with contextlib.suppress(OSError):
                    os.close(fd)
            try:
                result = work()
            except Exception as exc:
                result = {"error": f"{type(exc).__name__}: {exc}"}
            with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
                pipe.write(json.dumps(result))
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        found = pipe.read()
    status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:  # a real-time signal has no name
            name = f"signal {-status}"
        return {"error": f"the engine died ({name})"}
    try:
        answer: dict[str, Any] = json.loads(found)
    except json.JSONDecodeError:
        return {"error": f"the engine exited with code {status} and no answer"}
    return answer


def die_with_parent(parent: int) -> None:
    """Have Linux kill this process when ``parent`` (the process that made it) ends; if it has
    ended already, end now. Elsewhere, nothing."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def fix_rate(path: str, real_hz: int) -> int:
    """Write the real sample rate into a WAV's header when the engine wrote another (pyttsx3
    2.99 writes 22,050 Hz whatever espeak-ng made); returns the rate the header had."""
    with wave.open(path, "rb") as wav:
        params, frames = wav.getparams(), wav.readframes(wav.getnframes())
    if params.framerate != real_hz:
        with wave.open(path + ".fix", "wb") as out:
            out.setparams(params._replace(framerate=real_hz))
            out.writeframes(frames)
        os.replace(path + ".fix", path)
    return int(params.framerate)


def answer(channel: TextIO, **message: Any) -> None:
    channel.write(json.dumps(message) + "\n")
    channel.flush()


def open_channel() -> TextIO:
    """The answers' channel (the stdout the worker had); stdout itself goes to /dev/null."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    # Killed with narrate, even if narrate can't stop it (SIGKILL): in a session of its own, it
    # would not get the terminal's hangup, and a child it waits for may never end.
    die_with_parent(os.getppid())
    return channel


def serve(
    channel: TextIO,
    say: Say,
    voices: Callable[[], list[dict[str, Any]]],
    reply: Callable[..., None] = answer,
) -> None:
    """Answer requests until stdin ends: each ``say`` (and voice listing) in a child of its own
    on Linux (see the module's docstring), in this process elsewhere."""
    inherited = (0, channel.fileno())
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "say":
            work = partial(say, request["text"], request["path"])
            reply(channel, **(in_child(work, inherited) if FORK else work()))
        elif request["op"] == "voices":
            listing = partial(lambda: {"voices": voices()})
            reply(channel, **(in_child(listing, inherited) if FORK else listing()))
