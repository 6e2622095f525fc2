"""Mutation testing of the verifier: how many small bugs do the tests catch, and do any that
slip through change a verdict?

A small AST mutator (no dependency: mutmut and cosmic-ray mutate in place and want their own
configuration and database; here one file changes at a time in a scratch copy of the repository,
which keeps the worktree untouched and the run reproducible from a seed). Operators:

- ``compare``: flip a comparison (``<`` ↔ ``>=``, ``<=`` ↔ ``>``, ``==`` ↔ ``!=``, ``is`` ↔
  ``is not``, ``in`` ↔ ``not in``);
- ``arith``: swap ``+`` and ``-`` (binary and augmented);
- ``constant``: an integer constant ``n`` becomes ``n + 1``;
- ``return``: ``return X`` becomes ``return None`` (``return True``/``False`` are flipped);
- ``negate``: ``if c`` / ``while c`` / ``x if c else y`` / ``assert``-free conditions become
  ``not c``;
- ``drop``: a statement in a block of several becomes ``pass``.

Every mutation point of the target modules is enumerated, a sample is drawn with ``--seed``, and
each mutant is judged twice, each time in a fresh interpreter against the mutated copy:

1. *verdict flip*: ``mutation_claims.py`` (known-true and known-false claims) gives a wrong
   verdict — HOLDS for a false claim or FAILS for a true one;
2. *killed*: the targeted tests of its module (``TESTS`` below, ``-x``, not slow) fail, or time
   out after ``--per-mutant`` seconds (wall clock: on a loaded machine give it room).

Each mutant runs in a child forked from a parent that has already imported numpy, sympy,
hypothesis and pytest but never ssmproof, so the child imports the mutated copy fresh and pays
only for ssmproof's own import (POSIX only).

A surviving mutant that flips a verdict is a hole in the tests through which a false HOLDS (or a
false FAILS) could ship; the run lists every one. The whole run stops at ``--budget`` seconds.

Run: ``python benchmarks/mutation.py [--mutants 80] [--seed 0] [--budget 1800]
[--per-mutant 60] [--only PATH] [--tests TEST ...]`` (``--tests`` replaces every module's
targeted tests by the pytest node ids given: a quick run of the machinery, not a measurement).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ssmproof/sim", "ssmproof/numerics", "ssmproof/verify", "ssmproof/check")

# The tests that cover each package (fast ones; the whole suite is too slow per mutant).
TESTS = {
    "ssmproof/sim": ["tests/verify/test_soundness.py", "tests/verify/test_meta_rounding.py",
                     "tests/verify/test_verify.py"],
    "ssmproof/numerics": ["tests/numerics/test_formats_rounding.py",
                          "tests/verify/test_meta_rounding.py"],
    "ssmproof/verify": ["tests/verify/test_soundness.py", "tests/verify/test_first_failure.py",
                        "tests/verify/test_verify.py"],
    "ssmproof/check": ["tests/check/test_verdict.py", "tests/check/test_numbers.py",
                       "tests/check/test_broken_verifiers.py", "tests/check/test_language.py"],
}
_FLIP = {ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.LtE: ast.Gt, ast.Gt: ast.LtE, ast.Eq: ast.NotEq,
         ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn,
         ast.NotIn: ast.In}
OPERATORS = ("compare", "arith", "constant", "return", "negate", "drop")


@dataclass(frozen=True)
class Mutant:
    path: str  # relative to the repository root
    operator: str
    index: int  # which point of that operator in the file (in ast.walk order)
    line: int
    description: str


# ------------------------------------------------------------------------------- mutation
def _points(tree: ast.AST) -> dict[str, list[ast.AST]]:
    """Every node each operator can mutate, in ``ast.walk`` order (skipping docstrings)."""
    out: dict[str, list[ast.AST]] = {op: [] for op in OPERATORS}
    docstrings = {id(b[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef,
                                    ast.ClassDef))
                  for b in [n.body] if b and isinstance(b[0], ast.Expr)
                  and isinstance(b[0].value, ast.Constant)}
    annotations = {id(x) for n in ast.walk(tree) if isinstance(n, (ast.AnnAssign, ast.arg))
                   for a in [n.annotation] if a is not None for x in ast.walk(a)}
    for node in ast.walk(tree):
        if id(node) in annotations:
            continue
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _FLIP:
            out["compare"].append(node)
        elif isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op,
                                                                        (ast.Add, ast.Sub)):
            out["arith"].append(node)
        elif (isinstance(node, ast.Constant) and type(node.value) is int
              and id(node) not in docstrings):
            out["constant"].append(node)
        elif isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            out["return"].append(node)
        if isinstance(node, (ast.If, ast.While, ast.IfExp)):
            out["negate"].append(node)
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and len(block) > 1:
                out["drop"].extend(s for s in block
                                   if isinstance(s, (ast.Expr, ast.Assign, ast.AugAssign,
                                                     ast.AnnAssign, ast.Return))
                                   and id(getattr(s, "value", None)) not in docstrings)
    return out


def _mutate(node: ast.AST, operator: str, tree: ast.Module) -> str:
    """Change ``node`` in place (it belongs to ``tree``); return a one-line description."""
    if operator == "compare":
        old = type(node.ops[0])  # type: ignore[attr-defined]
        node.ops[0] = _FLIP[old]()  # type: ignore[attr-defined]
        return f"{old.__name__} -> {_FLIP[old].__name__}"
    if operator == "arith":
        new = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()  # type: ignore
        desc = f"{type(node.op).__name__} -> {type(new).__name__}"  # type: ignore
        node.op = new  # type: ignore[attr-defined]
        return desc
    if operator == "constant":
        node.value += 1  # type: ignore[attr-defined]
        return f"{node.value - 1} -> {node.value}"  # type: ignore[attr-defined]
    if operator == "return":
        v = node.value  # type: ignore[attr-defined]
        if isinstance(v, ast.Constant) and isinstance(v.value, bool):
            node.value = ast.Constant(not v.value)  # type: ignore[attr-defined]
            return f"return {v.value} -> return {not v.value}"
        node.value = ast.Constant(None)  # type: ignore[attr-defined]
        return f"return {ast.unparse(v)[:40]} -> return None"
    if operator == "negate":
        node.test = ast.UnaryOp(ast.Not(), node.test)  # type: ignore[attr-defined]
        return f"condition {ast.unparse(node.test.operand)[:40]} negated"  # type: ignore
    # drop: replace the statement by `pass` in whichever block holds it
    for parent in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if isinstance(block, list):
                for i, s in enumerate(block):
                    if s is node:
                        block[i] = ast.Pass()
                        return f"dropped `{ast.unparse(s)[:50]}`"
    raise AssertionError("statement not found")


def enumerate_mutants(root: Path) -> list[Mutant]:
    out = []
    for package in PACKAGES:
        for path in sorted((root / package).glob("*.py")):
            rel = str(path.relative_to(root))
            tree = ast.parse(path.read_text())
            for op, nodes in _points(tree).items():
                for i, n in enumerate(nodes):
                    out.append(Mutant(rel, op, i, getattr(n, "lineno", 0), ""))
    return out


def mutated_source(root: Path, m: Mutant) -> tuple[str, str]:
    tree = ast.parse((root / m.path).read_text())
    node = _points(tree)[m.operator][m.index]
    desc = _mutate(node, m.operator, tree)
    ast.fix_missing_locations(tree)
    return ast.unparse(tree), desc


# ------------------------------------------------------------------------------- running
def _scratch_copy() -> Path:
    dest = Path(tempfile.mkdtemp(prefix="ssmproof-mutation-"))
    for name in ("ssmproof", "tests", "benchmarks", "automata", "constructions", "docs",
                 "pyproject.toml", "README.md"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


_PRELOAD = ("numpy", "sympy", "hypothesis", "pytest", "networkx", "ml_dtypes", "jsonschema",
            "automata", "tqdm")


def _preload() -> None:
    """Import the heavy third-party packages once; every forked child inherits them (ssmproof
    itself is never imported here, so each child imports the mutated copy fresh)."""
    import importlib

    for name in _PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def judge(copy: Path, m: Mutant, timeout: float,
          tests: list[str] | None = None) -> tuple[dict[str, object] | None, str]:
    """Fork a child that imports the (mutated) copy, runs the claims, then the targeted tests.

    Returns the claims' verdicts (None if the child died first) and ``passed``, ``failed`` or
    ``timeout`` for the tests (``tests``, if given, instead of the module's targeted tests).
    """
    package = os.path.dirname(m.path)
    targets = [t for t in tests or TESTS[package] if (copy / t.split("::")[0]).exists()]
    out = copy / ".mutant-claims.json"
    out.unlink(missing_ok=True)
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 3
        try:
            os.chdir(copy)
            sys.path.insert(0, str(copy))
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            try:
                import mutation_claims
                verdicts: object = mutation_claims.run()
                import ssmproof
                assert ssmproof.__file__.startswith(str(copy)), ssmproof.__file__
            except Exception as err:  # the mutant broke the import itself
                verdicts = {"<import>": type(err).__name__}
            out.write_text(json.dumps(verdicts))
            import pytest
            code = int(pytest.main(["-x", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
                                    "-m", "not slow", *targets]))
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            status = None
            break
        time.sleep(0.05)
    verdicts = json.loads(out.read_text()) if out.exists() else None
    if status is None:
        return verdicts, "timeout"
    return verdicts, "passed" if os.waitstatus_to_exitcode(status) == 0 else "failed"


def flips(verdicts: dict[str, object] | None, want: dict[str, bool]) -> list[str]:
    """Claims whose verdict is the wrong *answer* (a crash or null is not a flip)."""
    if verdicts is None:
        return []
    return [n for n, w in want.items() if isinstance(verdicts.get(n), bool)
            and verdicts[n] is not w]


def _expected() -> dict[str, bool]:
    """The right verdicts, read from mutation_claims.py without importing ssmproof here."""
    tree = ast.parse((ROOT / "benchmarks" / "mutation_claims.py").read_text())
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "claims")
    ret = next(n for n in ast.walk(fn) if isinstance(n, ast.Return))
    return {k.value: v.elts[0].value for k, v in zip(ret.value.keys, ret.value.values)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mutants", type=int, default=80, help="how many to sample (default 80)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--budget", type=float, default=1800.0, help="seconds for the whole run")
    ap.add_argument("--per-mutant", type=float, default=60.0, help="seconds per test run")
    ap.add_argument("--only", default=None, help="sample only from paths containing this")
    ap.add_argument("--tests", nargs="+", default=None,
                    help="pytest node ids run for every mutant instead of its module's tests")
    args = ap.parse_args()

    want = _expected()
    every = enumerate_mutants(ROOT)
    pool = [m for m in every if args.only is None or args.only in m.path]
    sample = random.Random(args.seed).sample(pool, min(args.mutants, len(pool)))
    # kept in random order: if the budget runs out, what ran is still an unbiased sample
    copy = _scratch_copy()
    t0 = time.perf_counter()
    print(f"mutation points: {len(every)} in {', '.join(p for p in PACKAGES if (ROOT / p).is_dir())}"
          f" ({', '.join(f'{k} {v}' for k, v in sorted(Counter(m.operator for m in every).items()))})")
    print(f"sample: {len(sample)} (seed {args.seed}), budget {args.budget:.0f} s, "
          f"{args.per_mutant:.0f} s per mutant's tests")
    _preload()
    sys.path.insert(0, str(copy / "benchmarks"))
    os.environ.update(PYTHONDONTWRITEBYTECODE="1", SSMPROOF_HYPOTHESIS_PROFILE="ci")
    sys.dont_write_bytecode = True
    base, base_tests = judge(copy, Mutant("ssmproof/numerics/x.py", "none", 0, 0, ""),
                             args.per_mutant * 4, args.tests)
    assert base is not None and not flips(base, want), f"unmutated claims are wrong: {base}"
    assert base_tests == "passed", "the unmutated targeted tests do not pass"
    results = []
    try:
        for k, m in enumerate(sample):
            if time.perf_counter() - t0 > args.budget:
                print(f"budget reached after {k} mutants")
                break
            original = (copy / m.path).read_text()
            source, desc = mutated_source(copy, m)
            (copy / m.path).write_text(source)
            try:
                verdicts, tests = judge(copy, m, args.per_mutant, args.tests)
            finally:
                (copy / m.path).write_text(original)
            flipped = flips(verdicts, want)
            status = {"passed": "survived", "failed": "killed", "timeout": "timeout"}[tests]
            results.append((m, desc, status, flipped))
            mark = "  VERDICT FLIP: " + ", ".join(flipped) if flipped else ""
            print(f"[{k + 1:3d}] {status:8s} {m.path}:{m.line} {m.operator}: {desc}{mark}",
                  flush=True)
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    _summary(results, time.perf_counter() - t0)


def _summary(results: list, wall: float) -> None:
    n = len(results)
    killed = sum(1 for r in results if r[2] != "survived")
    survivors = [r for r in results if r[2] == "survived"]
    flip_all = [r for r in results if r[3]]
    flip_survivors = [r for r in survivors if r[3]]
    print()
    timeouts = sum(1 for r in results if r[2] == "timeout")
    print(f"mutants run: {n}   killed: {killed} (of which timed out: {timeouts})   survived: "
          f"{len(survivors)}   kill rate: {killed / n:.1%}" if n else "no mutant ran")
    print(f"mutants that flip a verdict: {len(flip_all)} (all killed by the tests: "
          f"{len(flip_all) - len(flip_survivors)})")
    print(f"SURVIVING VERDICT FLIPS: {len(flip_survivors)}")
    for m, desc, _, flipped in flip_survivors:
        print(f"  {m.path}:{m.line} {m.operator}: {desc} -> {', '.join(flipped)}")
    by_path = Counter(r[0].path for r in survivors)
    if survivors:
        print("survivors by module (no verdict flip among the claims): " + ", ".join(
            f"{p} {c}" for p, c in sorted(by_path.items())))
    print(f"wall time: {wall:.0f} s")


if __name__ == "__main__":
    main()
