"""README keeps up with the code: every command, every exit code, and the CI command."""

from __future__ import annotations

import re
import subprocess
import sys

import typer
from typer.testing import CliRunner

from conftest import EXAMPLE, REPO
from narrate.cli import app
from narrate.errors import ExitStatus

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_command_and_its_options_are_documented() -> None:
    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert {"build", "script", "voices", "feed", "remove", "serve", "check"} <= set(commands)
    for name, command in commands.items():
        assert f"`narrate {name}" in README, name
        for param in command.params:
            for flag in (o for o in param.opts if o.startswith("--") and o != "--help"):
                assert flag in README, f"{name} {flag}"


def test_every_exit_status_is_in_the_table() -> None:
    for status in ExitStatus:
        assert re.search(rf"^\| {int(status)} \| \S", README, re.M), status


def test_quick_start_builds_the_bundled_example() -> None:
    assert f"narrate build {EXAMPLE.relative_to(REPO)}" in README
    assert EXAMPLE.is_file()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    block = re.search(r"<!-- test-command -->\s*```sh\n(.+?)\n```", README, re.S)
    assert block is not None
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci
    command = block.group(1)
    for step in ("pip install", "ruff check", "mypy", "pytest"):
        assert step in command


def test_the_module_runs_as_a_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "narrate", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("narrate ")


def test_the_script_excerpt_in_readme_is_what_narrate_says() -> None:
    block = re.search(r"<!-- script-excerpt -->\s*```\n(.+?)\n```", README, re.S)
    assert block is not None
    result = CliRunner().invoke(app, ["script", str(EXAMPLE)])
    assert result.exit_code == 0, result.stderr
    for line in block.group(1).splitlines():
        assert line in result.stdout.splitlines(), line
