"""Every ```bash and ```python block in README.md and docs/ runs as written.

Each document's blocks run in order in one fresh folder (later blocks use the files earlier ones
wrote), as a reader would type them from the repository root: the folder holds links to the
repository's ``automata/``, ``examples/`` and ``.venv/`` and nothing else, the environment's
``bin`` comes first on PATH, and each block has a time limit. A block preceded by
``<!-- snippet: skip REASON -->`` is not run (the set-up itself, network installs); one preceded
by ``<!-- snippet: slow -->`` runs only in the slow suite; ``<!-- snippet: exit N -->`` says the
block's documented exit code is N (a failed verification is 1). A block that fails names the
file, the line and the output.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(bash|python)\s*$")
MARK = re.compile(r"^<!--\s*snippet:\s*(skip|slow|exit \d+)\b.*-->\s*$")
TIME_LIMIT = 180


@dataclass(frozen=True)
class Block:
    doc: Path
    line: int
    lang: str
    code: str
    mark: str | None


def blocks(doc: Path) -> list[Block]:
    """The runnable fenced blocks of ``doc``, with the marker on the line before each."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        prev = MARK.match(lines[i - 1]) if i else None
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        out.append(Block(doc, i + 1, m.group(1), "\n".join(lines[i + 1:end]) + "\n",
                         prev.group(1) if prev else None))
        i = end + 1
    return out


def _folder(tmp: Path) -> dict[str, str]:
    for name in ("automata", "examples", "constructions"):
        (tmp / name).symlink_to(ROOT / name)
    # `source .venv/bin/activate` gets the environment running these tests
    venv = Path(sys.prefix) if sys.prefix != sys.base_prefix else ROOT / ".venv"
    (tmp / ".venv").symlink_to(venv)
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _run(block: Block, cwd: Path, env: dict[str, str]) -> None:
    if block.lang == "bash":
        argv = ["bash", "-euo", "pipefail", "-c", block.code]
    else:
        argv = [sys.executable, "-c", block.code]
    try:
        done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=TIME_LIMIT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{block.doc.relative_to(ROOT)}:{block.line}: over {TIME_LIMIT} s; mark it "
                    "<!-- snippet: slow --> or make it cheaper")
    expected = int(block.mark.split()[1]) if block.mark and block.mark.startswith("exit") else 0
    if done.returncode != expected:
        pytest.fail(f"{block.doc.relative_to(ROOT)}:{block.line}: exit {done.returncode}\n"
                    f"{block.code}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n"
                    f"{done.stderr[-3000:]}")


def _params() -> list[object]:
    out: list[object] = []
    for doc in DOCS:
        found = blocks(doc)
        if not found:
            continue
        name = str(doc.relative_to(ROOT))
        out.append(pytest.param(doc, False, id=name))
        if any(b.mark == "slow" for b in found):
            out.append(pytest.param(doc, True, id=f"{name}[with slow]", marks=pytest.mark.slow))
    return out


@pytest.mark.parametrize("doc, with_slow", _params())
def test_every_snippet_runs_as_written(doc: Path, with_slow: bool, tmp_path: Path) -> None:
    if "ssmproof.torch" in doc.read_text(encoding="utf-8"):
        pytest.importorskip("torch", reason="the torch extra is not installed")
        pytest.importorskip("mambapy", reason="the torch extra is installed only in part")
    env = _folder(tmp_path)
    for block in blocks(doc):
        if block.mark == "skip" or (block.mark == "slow" and not with_slow):
            continue
        _run(block, tmp_path, env)


def test_the_extractor_sees_the_guides_blocks_and_markers() -> None:
    found = blocks(ROOT / "docs" / "guide.md")
    assert len(found) >= 5 and {b.lang for b in found} == {"bash", "python"}
    readme = blocks(ROOT / "README.md")
    assert readme[0].mark == "skip"  # the set-up command is CI itself
