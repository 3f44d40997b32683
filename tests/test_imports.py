"""The architecture, enforced: imports point down (top -> stages -> ground), never sideways
between stage packages, never in a circle.

The graph is read from the source (every ``import``, at the top of a module or inside a function,
since a lazy import is still a dependency), not from what happens to be loaded.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "src" / "narrate"
STAGES = ("intake", "speech", "engines", "audio", "publishing")
GROUND = ("models", "errors", "layout", "language", "months", "version", "machine")
TOP = ("__init__", "__main__", "cli", "config", "voices", "pipeline", "serve", "check", "jobs")


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(root: Path) -> dict[str, Path]:
    return {_module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def _imports(path: Path, name: str, known: set[str]) -> Iterator[str]:
    """The narrate modules ``path`` imports (a name imported from a package counts as the
    submodule when there is one: ``from narrate.speech import dates_en``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "narrate")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "narrate":
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in known else base


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    modules = _modules(root)
    known = set(modules)
    return {
        name: {target for target in _imports(path, name, known) if target != name}
        for name, path in modules.items()
    }


def _layer(module: str) -> tuple[str, str]:
    """("ground" | "stage" | "top", the stage's name or the module's)."""
    parts = module.split(".")
    if len(parts) == 1:
        return "top", "__init__"
    first = parts[1]
    if first in STAGES:
        return "stage", first
    if first in GROUND:
        return "ground", first
    return "top", first


def wrong_way_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports that point up or sideways: the ground importing anything but the ground, a stage
    importing another stage or anything above it."""
    found = []
    for module, targets in sorted(graph.items()):
        layer, stage = _layer(module)
        for target in sorted(targets):
            to_layer, to_stage = _layer(target)
            if target == "narrate":  # the package's __init__: the public API, above everything
                to_layer = "top"
            allowed = (
                to_layer == "ground"
                if layer == "ground"
                else to_layer == "ground" or (to_layer == "stage" and to_stage == stage)
                if layer == "stage"
                else True
            )
            if not allowed:
                found.append(f"{module} -> {target}")
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each as the modules around it (depth-first search, one per cycle
    found from its first module in sorted order)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return found


def test_every_module_is_in_a_layer() -> None:
    strays = [
        m
        for m in import_graph()
        if len(m.split(".")) == 2 and m.split(".")[1] not in (*STAGES, *GROUND, *TOP)
    ]
    assert strays == [], "put each new module in a stage package, the ground or the top"


def test_imports_point_down_and_never_sideways() -> None:
    assert wrong_way_imports(import_graph()) == []


def test_there_is_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_cli_imports_no_audio_or_tagging_library() -> None:
    """cli.py wires the stages; pyttsx3, pydub and mutagen stay inside them."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {n.split(".")[0] for n in names} & {"pyttsx3", "pydub", "mutagen"}


# The checks themselves, on a small package written for the purpose: they must fail when the
# rule is broken (a test that cannot fail proves nothing).


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "narrate"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (  # a cycle inside a stage
            {
                "__init__.py": "",
                "audio/__init__.py": "",
                "audio/join.py": "from narrate.audio.master import x\n",
                "audio/master.py": "def f():\n    from narrate.audio import join\n",
            },
            [["narrate.audio.join", "narrate.audio.master", "narrate.audio.join"]],
        ),
        (  # a relative import closing a cycle through the ground
            {
                "__init__.py": "",
                "models.py": "from . import errors\n",
                "errors.py": "from .models import Article\n",
            },
            [["narrate.errors", "narrate.models", "narrate.errors"]],
        ),
    ],
)
def test_a_cycle_is_found(tmp_path: Path, files: dict[str, str], expected: list[list[str]]) -> None:
    assert cycles(import_graph(_package(tmp_path, files))) == expected


def test_sideways_and_upward_imports_are_found(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "models.py": "from narrate.speech.segment import make_script\n",  # ground -> stage
            "speech/__init__.py": "",
            "speech/segment.py": "from narrate.models import Article\n",  # fine
            "audio/__init__.py": "",
            "audio/join.py": "import narrate.speech.segment\n",  # stage -> another stage
            "publishing/__init__.py": "",
            "publishing/writer.py": "from narrate import pipeline\n",  # stage -> top
            "pipeline.py": "from narrate.audio import join\n",  # top -> stage: fine
        },
    )
    assert wrong_way_imports(import_graph(root)) == [
        "narrate.audio.join -> narrate.speech.segment",
        "narrate.models -> narrate.speech.segment",
        "narrate.publishing.writer -> narrate.pipeline",
    ]
