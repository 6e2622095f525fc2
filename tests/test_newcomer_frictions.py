"""The frictions a newcomer met on a fresh clone (issue 12), each pinned by a test."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

import ssmproof
from ssmproof import atomic, cli, examples
from ssmproof.errors import SsmproofError
from ssmproof.ssm import jsonio


def _write(path: Path, ssm: object) -> str:
    path.write_text(jsonio.to_json(ssm))  # type: ignore[arg-type]
    return str(path)


def test_compile_to_a_folder_is_bad_input_with_one_line(tmp_path: Path, capsys) -> None:
    assert cli.main(["compile", "tomita:4", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is a folder" in err[0] and str(tmp_path) in err[0]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_get_the_mode_the_umask_allows(tmp_path: Path, umask: int,
                                                     mode: int) -> None:
    old = os.umask(umask)
    try:
        atomic.write_text(str(tmp_path / "out.json"), "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == mode


def test_run_with_two_inputs_runs_both_in_order(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path / "p.json", examples.parity_signed())
    assert cli.main(["run", path, "--input", "1 1", "--input", "1", "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(x["input"], x["accepts"]) for x in lines] == [(["1", "1"], True), (["1"], False)]


def test_simulate_reads_a_string_as_one_word_like_run_input() -> None:
    ssm = examples.last_is_a()
    assert [r.input for r in ssmproof.simulate(ssm, "bba")] == [("b", "b", "a")]
    assert [r.input for r in ssmproof.simulate(ssm, "b b a")] == [("b", "b", "a")]
    assert [r.accepts for r in ssmproof.simulate(ssm, ["ab", "ba", ""])] == [False, True, False]


def test_verify_accepts_a_spec_path_or_a_zoo_name(tmp_path: Path) -> None:
    spec = tmp_path / "par.json"
    spec.write_text(json.dumps({"name": "par", "alphabet": ["0", "1"], "regex": "(0*10*1)*0*"}))
    ssm = examples.parity_signed()
    for lang in (str(spec), spec, "parity"):
        cert = ssmproof.verify(ssm, lang, prove=True)
        assert cert.holds is True and cert.all_lengths


def test_run_trace_prints_the_gates_inputs_and_states_it_promises(tmp_path: Path,
                                                                   capsys) -> None:
    path = _write(tmp_path / "p.json", examples.parity_signed())
    assert cli.main(["run", path, "--input", "1", "--trace"]) == 0
    out = capsys.readouterr().out.splitlines()
    # parity by a sign flip: the gate on '1' is -1, the input 1, the state flips 0 -> 1
    assert out[2] == "  1: gate L1.odd=-1; input L1.odd=1; state L1.odd=1"


def _on_a_terminal(argv: list[str], cwd: Path) -> str:
    """Run ``ssmproof argv`` with stdout and stderr on a pseudo-terminal; return what showed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))  # 100 columns
    proc = subprocess.Popen([sys.executable, "-m", "ssmproof", *argv], cwd=cwd,
                            stdout=follower, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_long_verify_shows_progress_on_a_terminal_and_none_under_json(tmp_path: Path) -> None:
    path = _write(tmp_path / "aa.json", examples.contains_aa())
    (tmp_path / "spec.json").write_text(json.dumps(
        {"name": "contains_aa", "alphabet": ["a", "b"], "regex": "(a|b)*aa(a|b)*"}))
    shown = _on_a_terminal(["verify", path, "--against", "spec.json", "--exhaustive", "12"],
                           tmp_path)
    assert "HOLDS" in shown and "exhaustive:" in shown  # tqdm's "exhaustive: 100%|…"
    quiet = _on_a_terminal(["verify", path, "--against", "spec.json", "--exhaustive", "12",
                            "--json"], tmp_path)
    assert "exhaustive:" not in quiet and json.loads(quiet)["holds"] is True


def test_build_latex_without_pdflatex_says_so_in_one_line(monkeypatch, capsys) -> None:
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "pdflatex" else real(name))
    assert cli.main(["build", "--check", "--latex"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs pdflatex" in err[0]


def test_setup_goes_on_to_the_environment_when_apt_get_fails(tmp_path: Path) -> None:
    # A PATH where pdflatex/dot are missing and apt-get always fails, as root or not: setup
    # must still reach the virtual-environment step (here a stub python3 that records it).
    root = Path(__file__).resolve().parents[1]
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for name, body in {"apt-get": "exit 100", "id": "echo 0",
                       "python3": f"echo \"$@\" >> {tmp_path}/venv-called; exit 1"}.items():
        (bin_ / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_ / name).chmod(0o755)
    (bin_ / "dirname").symlink_to(shutil.which("dirname"))  # the only other tool it needs
    env = {"PATH": str(bin_), "SSMPROOF_VENV": str(tmp_path / "venv")}
    done = subprocess.run(["/bin/bash", str(root / "scripts" / "setup.sh")], env=env,
                          capture_output=True, text=True)
    assert "apt-get could not install" in done.stderr or "please install" in done.stderr
    assert (tmp_path / "venv-called").read_text().startswith("-m venv")


def test_draw_cascade_of_a_minimal_non_star_free_dfa_says_why_not_minimise_first(
        tmp_path: Path, capsys) -> None:
    # parity's DFA {even, odd} is minimal: the group {1 swaps them} is the language's own,
    # so "minimise first" would send the user in a circle.
    assert cli.main(["draw", "parity", "--cascade", "-o", str(tmp_path / "c.dot")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "minimise" not in err[0]
    assert "not star-free" in err[0] and "u=ε, w=1, v=ε has period 2" in err[0]
    assert "drop --cascade" in err[0] and not (tmp_path / "c.dot").exists()


@pytest.mark.parametrize("name, has_sink", [
    ("tomita:1", True),   # 1*: a 0 leads to a state from which nothing is accepted
    ("parity", False),    # even/odd number of 1s: either state reaches acceptance
    ("tomita:3", True),   # an odd run of 1s then an odd run of 0s can never be repaired
    ("tomita:5", False),  # even 0s and even 1s: a group, every state can get back
])
def test_classify_says_sink_included_only_when_the_minimal_dfa_has_one(
        name: str, has_sink: bool, capsys) -> None:
    assert ssmproof.classify(ssmproof.load(name)).sink is has_sink
    assert cli.main(["classify", name]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert ("sink included" in line) is has_sink and ("no sink" in line) is (not has_sink)


def test_an_empty_transitions_table_is_reported_as_present_but_empty_with_the_fix(
        tmp_path: Path, capsys) -> None:
    spec = tmp_path / "e.json"
    spec.write_text(json.dumps({"name": "e", "alphabet": ["a"], "states": [], "start": "q",
                                "accepting": [], "transitions": {}}))
    assert cli.main(["classify", str(spec)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "missing" not in err[0]
    assert err[0].startswith(f"ssmproof: {spec}: states: empty, and `transitions` is given but "
                             "empty ({})")
    assert "list the states in `states`" in err[0]
    # with its one state listed, the same empty table is a fine spec: every edge goes to the sink
    spec.write_text(json.dumps({"name": "e", "alphabet": ["a"], "states": ["q"], "start": "q",
                                "accepting": ["q"], "transitions": {}}))
    assert ssmproof.load(str(spec)).accepts([]) and not ssmproof.load(str(spec)).accepts(["a"])


INTERNAL_WORDS = ("PAPER", "Thm ", "(observed)")  # a file users do not have; a JSON qualifier


@pytest.mark.parametrize("argv", [
    ["compile", "dyck1", "-o", "OUT"],            # a counter: its gate class is observed only
    ["compile", "tomita:4", "-o", "OUT"],         # a closed exploration
    ["classify", "tomita:4"],
    ["classify", "parity"],
    ["refute", "SSM", "--against", "tomita:4"],   # star-free: nothing to refute
], ids=lambda argv: " ".join(argv[:2]))
def test_messages_say_internal_words_in_plain_words(tmp_path: Path, capsys,
                                                    argv: list[str]) -> None:
    ssm = _write(tmp_path / "t4.json", ssmproof.compile_language("tomita:4"))
    argv = [{"OUT": str(tmp_path / "out.json"), "SSM": ssm}.get(a, a) for a in argv]
    cli.main(argv)
    shown = capsys.readouterr()
    text = shown.out + shown.err
    assert text and not [w for w in INTERNAL_WORDS if w in text], text
    if argv[1] == "dyck1":  # the coverage is said, not named
        assert "judged from the 2 distinct gate value(s) met in a bounded exploration" in text


def test_recipe_summaries_cite_the_paper_by_name() -> None:
    from ssmproof.recipes import RECIPES

    cited = [r.summary for r in RECIPES.values() if "Theorem" in r.summary]
    assert len(cited) >= 9 and all("Sarrof, Veitsman & Hahn 2024" in s for s in cited)
    assert not [r.name for r in RECIPES.values() if "PAPER" in r.summary or "Thm" in r.summary]


def test_compile_warns_when_an_exact_proof_cannot_close_and_names_the_format_that_does(
        tmp_path: Path, capsys) -> None:
    spec = tmp_path / "aa.json"  # contains aa: star-free, but not stutter-invariant
    spec.write_text(json.dumps({"name": "contains_aa", "alphabet": ["a", "b"],
                                "regex": "(a|b)*aa(a|b)*"}))
    out = str(tmp_path / "aa_nolag.json")
    assert cli.main(["compile", str(spec), "--no-lag", "-o", out]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("ssmproof: note: an exact `verify --prove` of "
                                               "this construction cannot close")
    assert "gate λ = 2^-75" in err[0] and "(verify --prove --format bfloat16)" in err[0]
    # both halves of the note are true: exact search keeps growing, bfloat16 closes
    assert cli.main(["verify", out, "--against", str(spec), "--prove",
                     "--max-configurations", "300", "--json"]) == 3
    assert "cannot close" in capsys.readouterr().err  # verify says it before searching
    assert cli.main(["verify", out, "--against", str(spec), "--prove", "--format", "bfloat16",
                     "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["all_lengths"] is True
    # with the lag view there is no decaying channel and nothing to warn about
    assert cli.main(["compile", str(spec), "-o", str(tmp_path / "aa.json.out")]) == 0
    assert capsys.readouterr().err == ""


def test_a_failure_names_both_files_when_construction_and_language_share_a_name(
        tmp_path: Path) -> None:
    from ssmproof.testing import assert_proves, assert_recognizes

    good = tmp_path / "abc.json"  # (abc)*: the construction is compiled from this one
    good.write_text(json.dumps({"name": "abc_star", "alphabet": ["a", "b", "c"],
                                "regex": "(abc)*"}))
    other = tmp_path / "abc_a.json"  # (abc)*a, under the same name by mistake
    other.write_text(json.dumps({"name": "abc_star", "alphabet": ["a", "b", "c"],
                                 "regex": "(abc)*a"}))
    ssm = _write(tmp_path / "abc_ssm.json", ssmproof.compile_language(str(good)))
    for check in (assert_proves, assert_recognizes):
        with pytest.raises(AssertionError) as info:
            check(ssm, str(other))
        first = str(info.value).splitlines()[0]
        assert first == (f"'abc_star' ({ssm}) does not recognize 'abc_star' ({other}) "
                         "(format exact).")
    with pytest.raises(AssertionError) as info:  # objects without files: say which is which
        assert_proves(ssmproof.compile_language(str(good)), ssmproof.load(str(other)))
    assert str(info.value).startswith("the construction 'abc_star' does not recognize the "
                                      "language 'abc_star' (format exact).")


def _lib_dfas():
    """Two automata-lib DFAs, as a README reader would build them."""
    from automata.fa.dfa import DFA as LibDFA

    # parity: an even number of 1s (not star-free: its group is Z2)
    parity = LibDFA(states={"even", "odd"}, input_symbols={"0", "1"}, initial_state="even",
                    transitions={"even": {"0": "even", "1": "odd"},
                                 "odd": {"0": "odd", "1": "even"}}, final_states={"even"})
    # contains aa over {a, b}, with integer state names
    aa = LibDFA(states={0, 1, 2}, input_symbols={"a", "b"}, initial_state=0,
                transitions={0: {"a": 1, "b": 0}, 1: {"a": 2, "b": 0}, 2: {"a": 2, "b": 2}},
                final_states={2})
    return parity, aa


def test_an_automata_lib_dfa_is_accepted_wherever_a_dfa_is(tmp_path: Path) -> None:
    from ssmproof.testing import assert_proves, assert_recognizes

    parity, aa = _lib_dfas()
    c = ssmproof.classify(parity)
    assert (c.states, c.star_free, c.witness.period) == (2, False, 2)
    assert ssmproof.classify(aa).star_free is True
    assert ssmproof.minimize(aa).states == ("0", "1", "2")
    signed = ssmproof.compile_language(parity)  # --gates auto: a sign flip
    assert signed.metadata["gate_class"] == "signed"
    assert assert_proves(signed, parity).all_lengths
    assert ssmproof.verify(signed, parity, prove=True).configurations == 2
    nonneg = ssmproof.compile_language(aa, gates="nonnegative")
    assert assert_recognizes(nonneg, aa, examples=20).precheck.holds
    # a nonnegative attempt at parity is refuted against the automata-lib DFA too
    attempt = jsonio.load(str(Path(examples.__file__).parents[1] / "examples" /
                               "parity_attempt.json"))
    assert ssmproof.refute(attempt, parity).found is True


def test_a_partial_automata_lib_dfa_gets_the_rejecting_sink_a_spec_would() -> None:
    from automata.fa.dfa import DFA as LibDFA

    # words over {a, b} that are a prefix of "ab" (partial: every other edge is missing)
    lib = LibDFA(states={"s", "a", "ab"}, input_symbols={"a", "b"}, initial_state="s",
                 transitions={"s": {"a": "a"}, "a": {"b": "ab"}, "ab": {}},
                 final_states={"s", "a", "ab"}, allow_partial=True)
    from ssmproof.lang import dfa

    d = dfa.native(lib)
    assert d.states == ("s", "a", "ab", "sink") and d.accepts(("a", "b"))
    assert not d.accepts(("b",)) and not d.accepts(("a", "b", "a"))
    with pytest.raises(SsmproofError, match="is not a language"):
        ssmproof.classify(42)
