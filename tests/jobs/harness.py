"""The jobs tests' harness: a real redis-server on a free port and real `narrate worker` processes.

Without redis-server (the Debian package) the tests that need it are skipped with the reason,
unless NARRATE_REQUIRE_REDIS=1 (CI, which installs it), where they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from redis import Redis

STORY = (
    "{title}\n\nBy Ada Quill\n\n"
    "The council met on Tuesday to discuss the harbour {n}. Members voted to repair the sea "
    "wall before winter.\n\nWork will start in May, officials said.\n"
)
# Short heartbeats and leases, no backoff: a fault is recovered from in seconds.
QUEUE_TOML = """
[voice]
profile = "test-tone"

[queue]
redis_url = "{url}"
heartbeat_s = 1
lock_s = 3
retries = 2
retry_backoff_s = [0]
job_timeout_s = 120
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """redis-server in a folder of its own, with an append-only file written at every
    command: stopped (SIGTERM) and started again, it comes back with every job."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for(lambda: self._answers(), 10, "redis-server to start")

    def _answers(self) -> bool:
        try:
            return bool(Redis.from_url(self.url, socket_connect_timeout=0.2).ping())
        except Exception:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def client(self) -> Redis:
        return Redis.from_url(self.url)


def wait_for(condition: Callable[[], object], timeout_s: float, what: str) -> None:
    """Poll ``condition`` (a state in Redis or on disk) until it holds."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        reason = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("NARRATE_REQUIRE_REDIS") == "1":
            pytest.fail(reason + "; NARRATE_REQUIRE_REDIS=1 requires the jobs tests to run")
        pytest.skip(reason)
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder)
    yield server
    server.stop()


class Show:
    """A show's working folder: narrate.toml with the test queue, articles, its workers."""

    def __init__(self, root: Path, redis: RedisServer) -> None:
        self.root, self.redis = root, redis
        self.out = root / "output"
        (root / "narrate.toml").write_text(QUEUE_TOML.format(url=redis.url), encoding="utf-8")
        self.workers: list[subprocess.Popen[bytes]] = []

    def articles(self, count: int, start: int = 0) -> list[str]:
        paths = []
        for n in range(start, start + count):
            path = self.root / "articles" / f"story-{n:04d}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(STORY.format(title=f"Harbour story {n}", n=n), encoding="utf-8")
            paths.append(str(path))
        return paths

    def narrate(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "narrate", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert done.returncode == 0, done.stderr
        return done

    def worker(self, *args: str) -> subprocess.Popen[bytes]:
        log = self.root / f"worker-{len(self.workers)}.log"  # a file: a full pipe would block it
        with log.open("wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "narrate", "worker", *args],
                cwd=self.root,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its own group: the worker and RQ's scheduler die together
            )
        self.workers.append(process)
        return process

    def logs(self) -> str:
        return "".join(
            f"--- {path.name}\n" + path.read_text(errors="replace")[-2000:]
            for path in sorted(self.root.glob("worker-*.log"))
        )

    def wait_published(self, count: int, timeout_s: float = 120) -> None:
        try:
            wait_for(lambda: self.published() == count, timeout_s, f"{count} published")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.narrate('status').stdout}{self.logs()}") from None

    def status(self) -> dict[str, int]:
        lines = self.narrate("status").stdout.splitlines()
        pairs = (line.split("\t") for line in lines if line.count("\t") == 1)
        return {label: int(count) for label, count in pairs}

    def published(self) -> int:
        return int(self.redis.client().hlen("narrate:narrate:published"))

    def running(self) -> int:
        return int(self.redis.client().zcard("rq:wip:narrate"))

    def stop_workers(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.workers:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def show(tmp_path: Path, redis_server: RedisServer) -> Iterator[Show]:
    (tmp_path / "show").mkdir()
    made = Show(tmp_path / "show", redis_server)
    yield made
    made.stop_workers()


def feed_episodes(out: Path) -> list[dict[str, object]]:
    """The feed's episodes as a podcast client reads them, each enclosure checked on disk."""
    import podcastparser

    with (out / "feed.xml").open("rb") as handle:
        parsed = podcastparser.parse("http://127.0.0.1:8000/feed.xml", handle)
    episodes: list[dict[str, object]] = parsed["episodes"]
    for episode in episodes:
        (enclosure,) = episode["enclosures"]
        path = out / enclosure["url"].removeprefix("http://127.0.0.1:8000/")
        assert path.stat().st_size == enclosure["file_size"], path
    return episodes


def horse_of(worker_pid: int) -> int | None:
    """The work horse of a worker: its child that leads a process group of its own (RQ's
    scheduler is a child too, but stays in the worker's group)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid, pgrp = int(entry.name), int(fields[1]), int(fields[2])
        if ppid == worker_pid and pgrp == pid:
            return pid
    return None


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A local S3 (moto's server mode) for object-storage spools; yields a bucket's URL. The
    AWS_* variables reach the workers this test starts, as they would on real hosts."""
    import urllib.request

    binary = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    port = free_port()
    process = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=0.5):
                return True
        except OSError:
            return False

    try:
        wait_for(answers, 30, "moto's S3 server to start")
        for name, value in {
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }.items():
            monkeypatch.setenv(name, value)
        import fsspec
        from s3fs import S3FileSystem

        S3FileSystem.clear_instance_cache()  # fsspec keeps one per arguments: the old server's
        fs, _ = fsspec.core.url_to_fs("s3://narrate-spool")
        fs.mkdir("narrate-spool")
        yield "s3://narrate-spool/shows/ledger"
    finally:
        process.terminate()
        process.wait(10)
