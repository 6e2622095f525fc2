"""Every script in ``benchmarks/`` runs from the project folder, in a small configuration, and
prints what its committed output promises.

Why: nothing ran these scripts, and ``prove_speed.py``'s Dyck(8,10) row stopped with a TypeError
for a whole session after two API changes. Each test here runs one script as a user would
(``python benchmarks/NAME.py ...`` in a fresh interpreter, from the repository root) on sizes
that take seconds, and checks its output: the rows are there and well formed, the verdicts are
the right ones, and rows that do not depend on timing equal the committed ``*.out.txt`` (or the
docs page the script writes) cell for cell. Scripts that write files are pointed at a scratch
folder, and the committed files are checked to be untouched.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
TIMEOUT = 600  # seconds: a hung script fails the test instead of the whole CI run



def run(script: str, *args: str, code: int = 0) -> str:
    """Run ``benchmarks/SCRIPT.py ARGS`` from the repository root; its stdout."""
    done = subprocess.run([sys.executable, str(Path("benchmarks") / f"{script}.py"), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == code, (
        f"{script} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split(" | ")]


def table(text: str, width: int) -> list[list[str]]:
    """The ``a | b | c`` rows of ``text`` with ``width`` cells, header and rule excluded."""
    rows = [cells(line) for line in text.splitlines() if " | " in line]
    rows = [r for r in rows if len(r) == width]
    return [r for r in rows if set(r) != {"---"} and r[0] not in ("DFA", "case", "language")]


def committed(name: str) -> str:
    return (BENCH / name).read_text(encoding="utf-8")


def assert_same_rows(got: list[list[str]], want: list[list[str]], *, key: int,
                     timing: set[int], least: int) -> None:
    """Rows of ``got`` whose first ``key`` cells name a row of ``want`` agree with it in every
    cell but the timing columns; at least ``least`` rows are compared."""
    index = {tuple(r[:key]): r for r in want}
    compared = 0
    for row in got:
        old = index.get(tuple(row[:key]))
        if old is None:
            continue
        compared += 1
        for i, (a, b) in enumerate(zip(row, old, strict=True)):
            if i not in timing:
                assert a == b, f"{row[:key]} column {i}: {a!r} now, {b!r} committed"
    assert compared >= least, f"only {compared} rows to compare with the committed output"


def digest(*paths: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_every_benchmark_script_has_a_smoke_test() -> None:
    """A new script in benchmarks/ needs a test here that runs it (a non-slow one)."""
    source = Path(__file__).read_text(encoding="utf-8")
    fast = re.split(r"@pytest\.mark\.slow\ndef [^\n]*\n(?:    [^\n]*\n|\n)*", source)
    ran = set(re.findall(r'\brun\("(\w+)"', "".join(fast)))
    assert {p.stem for p in BENCH.glob("*.py")} <= ran


def test_batched_sim_agrees_with_the_machine_on_every_word() -> None:
    out = run("batched_sim", "--words", "20", "--length", "10")
    assert out.count("results identical on every word timed by both") == 2
    rows = re.findall(r"^  (Machine\.decisions, per word|run_words \(prefix sharing\)|"
                      r"batched_decisions|batched_run_words)\s+(\d+)\s+[\d,]+\s+[\d,]+\s+\d+x$",
                      out, re.M)
    assert [int(n) for _, n in rows] == [20] * 8


def test_checker_speed_confirms_gallery_certificates() -> None:
    out = run("checker_speed", "--certificates", "constructions/D2/*.cert.json")
    rows = [line.split() for line in out.splitlines() if line.startswith("D2/")]
    assert [(r[0], r[1], r[-1]) for r in rows] == [
        ("D2/predict-nonnegative.cert.json", "4", "confirmed"),
        ("D2/recognize-nonnegative.cert.json", "8", "confirmed")]
    assert "total (2 certificates)" in out


def test_checker_combined_rows_equal_the_committed_output() -> None:
    out = run("checker_combined", "--cases", "1", "2", "6", "7")

    def rows(text: str) -> dict[str, list[str]]:
        # name (56 columns), then method, holds, configs, verify s, check s, ratio, verdict
        return {line[:56].rstrip(): line[56:].split() for line in text.splitlines()
                if line.startswith("Dyck(")}

    got, want = rows(out), rows(committed("checker_combined.out.txt"))
    assert len(got) == 4 and {r[-1] for r in got.values()} == {"confirmed"}
    for name, cells in got.items():  # method, holds, configs and verdict; not the seconds
        assert [cells[i] for i in (0, 1, 2, 6)] == [want[name][i] for i in (0, 1, 2, 6)], name
    assert [got[n][1] for n in got] == ["True", "True", "False", "False"]


def test_checker_int_invariant_rows_equal_the_committed_output() -> None:
    out = run("checker_int_invariant", "--cases", "1", "2", "7")

    def rows(text: str) -> dict[str, list[str]]:
        # name (28 columns), then format, holds, local checks, verify s, check s, ratio, verdict
        return {line[:28].rstrip(): line[28:].split() for line in text.splitlines()
                if line.startswith("Dyck(")}

    got, want = rows(out), rows(committed("checker_int_invariant.out.txt"))
    assert list(got) == ["Dyck(2,2) dyck-clearing", "Dyck(2,3) dyck-clearing",
                         "Dyck(2,2) dyck-recognizer"]
    for name, cells in got.items():  # format, holds, local checks and verdict; not the seconds
        assert [cells[i] for i in (0, 1, 2, 6)] == [want[name][i] for i in (0, 1, 2, 6)], name
    assert [got[n][1] for n in got] == ["True", "True", "False"]
    assert {r[-1] for r in got.values()} == {"confirmed"}


def test_counters_precision_rows_equal_the_docs_page(tmp_path: Path) -> None:
    page = ROOT / "docs" / "counters-precision.md"
    before = digest(page)
    out_file = tmp_path / "counters.md"
    run("counters_precision", "--languages", "dyck1", "anbn", "--formats", "fixed:4.0",
        "bfloat16", "--output", str(out_file))
    written = table(out_file.read_text(encoding="utf-8"), 4)
    assert len(written) == 4
    assert_same_rows(written, table(page.read_text(encoding="utf-8"), 4), key=2, timing=set(),
                     least=4)
    assert digest(page) == before


def test_decompose_prints_both_tables_and_the_committed_dyck_rows() -> None:
    out = run("decompose", "--sizes", "5", "--letters", "2", "--seeds", "1", "--dyck", "2")
    rows = table(out, 12)
    assert [r[0] for r in rows] == ["random n=5 k=2", "D_1 (3 states)", "D_2 (4 states)"]
    assert all(re.fullmatch(r"\d+(\.\d)?( \[\d+\])?", c) for r in rows for c in r[1:])
    assert_same_rows(rows[1:], table(committed("decompose.out.txt"), 12), key=1,
                     timing={10, 11}, least=2)


def test_dyck_memory_rows_equal_the_docs_page(tmp_path: Path) -> None:
    page = ROOT / "docs" / "dyck-memory.md"
    before = digest(page)
    out_file = tmp_path / "dyck.md"
    run("dyck_memory", "--cases", "1,1", "2,2", "8,10", "--bound-cases", "2,2",
        "--least-cases", "2,2", "3,2", "--output", str(out_file))
    text = out_file.read_text(encoding="utf-8")
    docs = page.read_text(encoding="utf-8")
    rows = [r for r in table(text, 10) if r[0] != "(K, H)"]
    assert [(r[0], r[1]) for r in rows] == [
        (size, f"`{recipe}`") for size in ("(1, 1)", "(2, 2)", "(8, 10)")
        for recipe in ("dyck-clearing", "dyck-two-layer")]
    assert_same_rows(rows, table(docs, 10), key=2, timing=set(), least=6)
    assert_same_rows(table(text, 5), table(docs, 5), key=1, timing=set(), least=1)
    least = [r for r in table(text, 7) if r[0] != "(K, H)"]
    assert [r[0] for r in least] == ["(2, 2)", "(3, 2)"]
    assert least[0][6] == "**impossible**"
    assert_same_rows(least, table(docs, 7), key=1, timing=set(), least=2)
    assert digest(page) == before


def test_groups_rows_equal_the_committed_output() -> None:
    out = run("groups", "--specs", "parity", "count_a_mod3")
    rows = table(out, 12)
    assert [(r[0], r[1]) for r in rows] == [("parity", "recognize"), ("parity", "predict"),
                                            ("count_a_mod3", "recognize"),
                                            ("count_a_mod3", "predict")]
    assert {r[8] for r in rows} == {"HOLDS all lengths"}
    assert_same_rows(rows, table(committed("groups.out.txt"), 12), key=2, timing={9, 10},
                     least=4)


def test_minimize_agrees_with_the_old_refinement_on_known_sizes() -> None:
    out = run("minimize", "--dyck", "2,3", "3,2", "--kth-last", "4")
    rows = [line.split() for line in out.splitlines()[1:]]
    # Dyck(K,H) has 1 + K + ... + K^H live states and one dead state, all distinguishable;
    # "the 4th symbol from the end is a" needs the last four symbols: 2^4 states
    assert [(r[0], r[1], r[2]) for r in rows] == [("dyck:2,3", "16", "16"),
                                                  ("dyck:3,2", "14", "14"),
                                                  ("4th_last_a", "16", "16")]
    assert all(r[-1].endswith("×") for r in rows)


def test_monoid_agrees_with_the_old_classify() -> None:
    # the script itself asserts that the BFS closure, the old classify (read from git) and the
    # new one agree; the rows must be there, with the old columns filled in
    out = run("monoid", "--cases", "4,2,0", "5,2,2")
    rows = [line.split() for line in out.splitlines()[1:]]
    assert [r[:3] for r in rows] == [["4", "2", "0"], ["5", "2", "2"]]
    assert all(r[4] == "False" and r[-1].endswith("×") for r in rows)


def test_mutation_runs_a_mutant_in_a_scratch_copy() -> None:
    out = run("mutation", "--mutants", "1", "--only", "ssmproof/numerics/formats.py",
              "--tests", "tests/numerics/test_formats_rounding.py::"
              "test_fixed_4_2_agrees_with_brute_force_on_every_multiple_of_one_sixty_fourth")
    assert re.search(r"^mutation points: \d+ in ssmproof/sim, ssmproof/numerics", out, re.M)
    assert re.search(r"^\[  1\] (killed|survived|timeout) +ssmproof/numerics/formats\.py:\d+ ",
                     out, re.M)
    assert re.search(r"^mutants run: 1 ", out, re.M)
    assert re.search(r"^SURVIVING VERDICT FLIPS: \d+$", out, re.M)


def _mutation_module():  # noqa: ANN202
    sys.path.insert(0, str(BENCH))
    try:
        import mutation
    finally:
        sys.path.remove(str(BENCH))
    return mutation


def test_mutation_targets_exist() -> None:
    """A renamed test file would silently drop out of mutation.py's targeted tests."""
    mutation = _mutation_module()
    missing = [t for ts in mutation.TESTS.values() for t in ts if not (ROOT / t).exists()]
    assert not missing
    assert all((ROOT / p).is_dir() for p in mutation.PACKAGES)


def test_mutation_claims_give_the_right_verdicts() -> None:
    """The claims mutation.py judges mutants by come out right on the unmutated code: each true
    claim true and each false one false (none null, none an exception's name)."""
    got = json.loads(run("mutation_claims"))
    want = _mutation_module()._expected()  # the right verdicts, as mutation.py reads them
    assert got["claims"] == want
    assert len(want) == 18 and sum(want.values()) == 10
    assert Path(got["module"]).resolve().is_relative_to(ROOT)


def test_prove_speed_quick_runs_every_kind_of_row() -> None:
    out = run("prove_speed", "--quick", "--seeds", "1", "--reference-budget", "50",
              "--dyck-budget", "200")
    rows = table(out, 12)
    labels = [r[0] for r in rows]
    assert labels[:6] == ["D4 recognizer (gallery)", "random aperiodic n=8 k=2 seed=1",
                          "random aperiodic n=8 k=3 seed=1", "D4 star-free route",
                          "dyck:2,2 recognize", "dyck:2,3 predict"]
    assert all(label.startswith("dyck:2,3 predict (invariant, ") for label in labels[6:])
    assert [r[1] for r in rows[6:]] == ["exact", "bfloat16"]
    # D_m's recognizer reaches 2^(m+1) configurations (D12: 8,192 in the committed run); a
    # Dyck(2,3) predictor's configurations are its 1 + 2 + 4 + 8 live stacks
    assert rows[0][2] == rows[3][2] == "32"
    assert [r[2] for r in rows[6:]] == ["15 (not listed)"] * 2
    assert all(r[10].endswith("×") or "× (projected" in r[10] for r in rows)


def refute_totals(out: str) -> list[tuple[int, int, int]]:
    """(found, cases, re-checked) of each sample's ``total:`` line."""
    totals = re.findall(r"^total: (\d+)/(\d+) conclusive \([\d.]+ %\), (\d+) re-checked by an "
                        r"independent run, [\d.]+ s$", out, re.M)
    return [(int(a), int(b), int(c)) for a, b, c in totals]


def test_refute_random_quick_finds_and_rechecks() -> None:
    # the right-on-short sample is empty here (one such case takes 5-20 s); the slow test and
    # refute.sweep's doctest run it
    out = run("refute_random", "--count", "7", "--float32", "1", "--bfloat16", "2",
              "--right-on-short", "0", "--block-budget", "2000")
    assert "languages: parity, aa_star, aaaa_star, abab_star, tomita:3, tomita:5, tomita:6" in out
    # every sample finds every case here, and each word found is re-checked by a fresh run
    assert refute_totals(out) == [(7, 7, 7), (1, 1, 1), (2, 2, 2), (0, 0, 0)]


def test_refute_engine_walks_give_the_same_refutations() -> None:
    """Old (Machine's step) and new (the engine's walk) must give equal refutations: the script
    asserts it per case; here 4 random SSMs, every one found, and the total line."""
    out = run("refute_engine", "--count", "4", "--no-wide", "--block-budget", "2000",
              "--float32-cases")
    rows = table(out, 8)
    assert len(rows) == 4 and all(r[1].startswith("found n=") for r in rows), out
    assert re.search(r"^random SSMs, all 4: old [\d.]+ s, new [\d.]+ s, old/new [\d.]+x$", out,
                     re.M), out


@pytest.mark.slow
def test_refute_random_right_on_short_sample_is_found_past_64() -> None:
    out = run("refute_random", "--count", "0", "--float32", "0", "--bfloat16", "0",
              "--right-on-short", "2", "--short-formats", "bfloat16", "--block-budget", "2000")
    assert refute_totals(out)[-1] == (2, 2, 2)
    row = re.search(r"^bfloat16 +2 +2 +2 +0 +0 +0 +0 +([\d,]+)$", out, re.M)
    assert row is not None and int(row[1].replace(",", "")) >= 64, out


def test_starfree_proves_every_row() -> None:
    out = run("starfree", "--sizes", "5", "--letters", "2", "--seeds", "1", "--dyck", "2",
              "--no-lag-dyck", "1", "--zoo", "--zoo-specs", "tomita1")
    rows = table(out, 15)
    assert len(rows) == 2 + 4 + 1 + 2
    assert {r[14] for r in rows} == {"yes"}
    assert_same_rows(rows, table(committed("starfree.out.txt"), 15), key=3, timing={12, 13},
                     least=9)


def test_sweep_scale_serial_writes_its_table_elsewhere(tmp_path: Path) -> None:
    keep = BENCH / "sweep_scale"
    before = digest(*sorted(p for p in keep.iterdir()))
    out = run("sweep_scale", "--count", "2", "--seed", "1", "--runs", "serial",
              "--keep", str(tmp_path))
    assert "rows identical across the serial run alone (timing aside): yes" in out
    assert "| **all** | 2 | 2 | 0 | 0 | 0 | 0 |" in out
    assert {p.name for p in tmp_path.iterdir()} >= {"results.csv", "summary.md"}
    assert digest(*sorted(p for p in keep.iterdir())) == before


@pytest.mark.slow
def test_sweep_scale_three_runs_agree(tmp_path: Path) -> None:
    out = run("sweep_scale", "--count", "2", "--seed", "1", "--keep", str(tmp_path))
    assert "rows identical across the three runs (timing aside): yes" in out
    assert "dask scheduler + 2 CLI workers" in out


def test_verify_speed_counts_every_string_and_the_committed_proofs() -> None:
    out = run("verify_speed", "--length", "6", "--sample", "50")
    assert "all 127 strings up to length 6" in out
    methods = re.findall(r"^(exact|bfloat16) +(naive per-string loop|prefix sharing"
                         r"(?: \+ merging)?) ", out, re.M)
    assert len(methods) == 6
    proofs = re.findall(r"^(\S+ / \S+) +(\d+) +(\d+) ", out, re.M)
    want = re.findall(r"^(\S+ / \S+) +(\d+) +(\d+) ", committed("verify_speed.out.txt"), re.M)
    assert proofs == want and len(proofs) == 4
