"""Issue 11: ways the verifier once said HOLDS for a false claim, each kept as a regression test.

1. predict mode compared the machine's decisions (construction's alphabet order) with the
   language's allowed-next tuple (language order) by position;
2. stream/state dims named like the simulator's registers (``gate:<state>``) collided with them;
3. ``--mode predict`` on a recognizer crashed (StopIteration) or printed a bogus counterexample.
"""

from __future__ import annotations

import json
from fractions import Fraction
from dataclasses import replace
from pathlib import Path

import pytest

from ssmproof.cli import main
from ssmproof.errors import SSMFileError, SsmproofError
from ssmproof.lang.api import load
from ssmproof.lang.automaton import DFA
from ssmproof.sim.batched import batched_decisions
from ssmproof.sim.machine import Machine
from ssmproof.sim.run import run_words
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import SSM, Layer, Mode, default_embedding
from ssmproof.testing import assert_predicts, assert_proves
from ssmproof.verify.api import first_failure, verify

ROOT = Path(__file__).resolve().parents[2]


# ------------------------------------------------------------------ 1. alphabet order, predict
def _tomita1_predictor(alphabet: tuple[str, ...], *, opposite: bool) -> SSM:
    """A predictor for 1* (no state needed: after any prefix of 1*, '1' and EOS are allowed).

    ``opposite`` swaps the two symbols' readouts: it then allows 0 and forbids 1, which is
    wrong on every prefix whatever order the alphabet is listed in.
    """
    yes, no = {"one": 1}, {}
    nxt = {"0": yes if opposite else no, "1": no if opposite else yes, "EOS": {"one": 1}}
    return SSM("t1_pred", Mode.PREDICT, alphabet, default_embedding(alphabet), (), next=nxt)


@pytest.mark.parametrize("alphabet", [("0", "1"), ("1", "0")])
def test_a_wrong_predictor_fails_whatever_order_its_alphabet_is_listed_in(alphabet):
    ssm, lang = _tomita1_predictor(alphabet, opposite=True), load("tomita:1")
    for kw in ({"prove": True}, {"exhaustive": 8}, {"random": 20, "max_length": 6}):
        cert = verify(ssm, lang, **kw)
        assert cert.holds is False, kw
        assert cert.counterexample == () and cert.wrong_symbol == "0"  # ε: 0 is allowed wrongly
        # expected/got are listed in the language's order (0, 1, EOS), whatever the SSM's
        assert cert.expected == [False, True, True] and cert.got == [True, False, True]
    fail = first_failure(Machine(ssm), lang, Mode.PREDICT, ("1", "1"))
    assert fail is not None and fail.counterexample == ()
    with pytest.raises(AssertionError, match="wrong for 0"):
        assert_predicts(ssm, lang, examples=5)
    with pytest.raises(AssertionError):
        assert_proves(ssm, lang)


@pytest.mark.parametrize("alphabet", [("0", "1"), ("1", "0")])
def test_a_right_predictor_holds_whatever_order_its_alphabet_is_listed_in(alphabet):
    ssm, lang = _tomita1_predictor(alphabet, opposite=False), load("tomita:1")
    cert = verify(ssm, lang, prove=True)
    assert cert.holds is True and cert.all_lengths
    assert verify(ssm, lang, exhaustive=8).holds is True
    assert verify(ssm, lang, random=20, max_length=6).holds is True
    assert first_failure(Machine(ssm), lang, Mode.PREDICT, ("1", "1", "0")) is None
    assert_predicts(ssm, lang, examples=5)
    assert_proves(ssm, lang)


def test_the_cli_reports_the_reordered_wrong_predictor(tmp_path, capsys):
    path = tmp_path / "t1.json"
    path.write_text(jsonio.to_json(_tomita1_predictor(("1", "0"), opposite=True)))
    assert main(["verify", str(path), "--against", "tomita:1", "--prove", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["holds"] is False and out["counterexample"] == [] and out["wrong_symbol"] == "0"
    assert main(["verify", str(path), "--against", "tomita:1", "--exhaustive", "8"]) == 1
    capsys.readouterr()
    # run prints names, in the construction's alphabet order with EOS last (DESIGN §7)
    assert main(["run", str(path), "--input", "1 1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["allowed_next"] == [["0", "EOS"]] * 3


def test_the_compiled_d2_predictor_holds_against_a_spec_listing_b_before_a(tmp_path):
    spec = tmp_path / "d2ba.json"
    spec.write_text(json.dumps({"name": "D2ba", "alphabet": ["b", "a"],
                                "regex": "(a(ab)*b)*"}))
    ssm = jsonio.load(str(ROOT / "constructions/D2/predict-nonnegative.json"))
    assert ssm.alphabet == ("a", "b")
    for against in (str(ROOT / "automata/D2.json"), str(spec)):
        lang = load(against)
        cert = verify(ssm, lang, prove=True)
        assert cert.holds is True and cert.all_lengths, against
        assert verify(ssm, lang, random=50, max_length=12).holds is True


def test_batched_run_names_predictions_like_machine():
    ssm = _tomita1_predictor(("1", "0"), opposite=True)
    runs = list(run_words(ssm, [("1",)]))
    assert runs[0].allowed_next == (("0", "EOS"), ("0", "EOS"))
    # batched decisions are in the machine's own order, like Machine.decisions
    assert batched_decisions(ssm, [("1",)]) == [Machine(ssm).decisions(("1",))]


# --------------------------------------------------------------- 3. the other mode, refused
def test_predict_mode_on_a_recognizer_is_bad_input_not_a_verdict(capsys):
    rec = str(ROOT / "constructions/tomita1/recognize-nonnegative.json")
    with pytest.raises(SsmproofError, match="recognizer"):
        verify(jsonio.load(rec), load("tomita:1"), mode=Mode.PREDICT, prove=True)
    for spec in ("tomita:1",):
        code = main(["verify", rec, "--against", spec, "--mode", "predict", "--prove"])
        assert code == 2
        err = capsys.readouterr().err
        assert err.startswith("ssmproof: ") and "recognize" in err and "Traceback" not in err
    d2 = str(ROOT / "constructions/D2/recognize-nonnegative.json")
    assert main(["verify", d2, "--against", str(ROOT / "automata/D2.json"), "--mode", "predict",
                 "--exhaustive", "4"]) == 2


def test_recognize_mode_on_a_predictor_says_which_readout_it_judged():
    ssm = jsonio.load(str(ROOT / "constructions/D2/predict-nonnegative.json"))
    cert = verify(ssm, load(str(ROOT / "automata/D2.json")), mode=Mode.RECOGNIZE, exhaustive=6)
    assert any("EOS readout" in n for n in cert.notes)


# ------------------------------------------------------------- 2. names like the simulator's
def _ends_in_a_by_collision() -> dict:
    """The issue's file: stream dim ``gate:L1.h`` means "the token is b".

    Published semantics: a = [token is a], b = [token is b], h = a·h + b, accept iff h > 0, so
    "b" is accepted (h = 1). A simulator that keeps L1.h's gate in a register named
    ``gate:L1.h`` reads the gate (= [token is a]) as the input instead: it computes
    "ends in a" and would be "proved" to recognise (a|b)*a.
    """
    alphabet = ("a", "b")
    emb = default_embedding(alphabet)
    emb["b"] = {"one": 1, "tok:b": 1, "gate:L1.h": 1}
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {"tok:a": 1}},
                  input={"L1.h": {"gate:L1.h": 1}}, export=("L1.h",))
    return jsonio.to_dict(SSM("collide", Mode.RECOGNIZE, alphabet, emb, (layer,),
                              accept={"L1.h": 1}))


def _same_step_gate() -> dict:
    """The issue's second file: states ["gate:L1.y", "L1.y"].

    A simulator keeping L1.y's gate in register ``gate:L1.y`` would read the first state's
    value of the *same step* as L1.y's gate: a nonlinear RNN the validator exists to forbid.
    """
    alphabet = ("a", "b")
    layer = Layer("L1", ("gate:L1.y", "L1.y"),
                  gate={"gate:L1.y": {"one": 1}, "L1.y": {"tok:a": 2}},
                  input={"gate:L1.y": {"tok:b": 1}, "L1.y": {"tok:b": 1}},
                  export=("L1.y",))
    # y = 2[a]·y + [b] is 2 after "b a" and 1 after "b b"; accept iff y > 3/2
    return jsonio.to_dict(SSM("same_step", Mode.RECOGNIZE, alphabet, default_embedding(alphabet),
                              (layer,), accept={"L1.y": 1, "one": Fraction(-3, 2)}))


@pytest.mark.parametrize("make,field", [(_ends_in_a_by_collision, "embedding"),
                                        (_same_step_gate, "layers[0].state")])
def test_files_naming_dims_like_the_simulators_registers_are_refused(make, field, tmp_path,
                                                                       capsys):
    path = tmp_path / "adv.json"
    path.write_text(json.dumps(make()))
    with pytest.raises(SSMFileError, match=field.replace("[", r"\[").replace("]", r"\]")):
        jsonio.load(str(path))
    assert main(["verify", str(path), "--against", _ends_in_a(tmp_path), "--prove"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "reserved" in err and "\n" == err[-1] and err.count("\n") == 1


def _ends_in_a(tmp_path) -> str:
    spec = tmp_path / "ends_a.json"
    spec.write_text(json.dumps({"name": "ends_a", "alphabet": ["a", "b"], "regex": "(a|b)*a"}))
    return str(spec)


# (a|b)*a as a DFA: state 1 = the last symbol was a
_ENDS_IN_A = DFA(("a", "b"), ("no", "yes"), 0, frozenset({1}), ((1, 0), (1, 0)), "ends_a")


def test_the_simulator_keeps_its_registers_apart_from_any_dim_name():
    # built in memory, so the validator never sees it: Machine alone must keep the semantics
    d = _ends_in_a_by_collision()
    ssm = jsonio.from_json(json.dumps(d).replace("gate:L1.h", "GATE_L1_h"))
    collide = replace(ssm, embedding={**ssm.embedding,
                                      "b": {"one": 1, "tok:b": 1, "gate:L1.h": 1}},
                      layers=(replace(ssm.layers[0], input={"L1.h": {"gate:L1.h": 1}}),))
    for fmt in ("exact", "bfloat16"):
        m = Machine(collide, _parse(fmt))
        # published semantics: h = [a]·h + [b]; accept iff some b was read
        assert [m.accepts(w) for w in [("b",), ("a",), ("b", "a"), ("a", "b"), ()]] == \
            [True, False, True, True, False]
        assert batched_decisions(collide, [("b",), ("a",)], fmt=fmt) == \
            [m.decisions(("b",)), m.decisions(("a",))]
    cert = verify(collide, _ENDS_IN_A, prove=True)
    assert cert.holds is False and cert.counterexample == ("a",)  # L accepts it, the file not


def test_two_states_named_like_a_gate_register_keep_their_own_gates():
    d = _same_step_gate()
    plain = jsonio.from_json(json.dumps(d).replace("gate:L1.y", "L1.x"))
    tricky = replace(plain, layers=(replace(
        plain.layers[0], state=("gate:L1.y", "L1.y"),
        gate={"gate:L1.y": {"one": 1}, "L1.y": {"tok:a": 2}},
        input={"gate:L1.y": {"tok:b": 1}, "L1.y": {"tok:b": 1}}),))
    words = [(), ("b",), ("b", "a"), ("b", "b"), ("b", "b", "a"), ("a", "b", "b")]
    want = [False, False, True, False, True, False]  # y = 2[a]·y + [b] > 3/2, by hand
    assert [Machine(plain).accepts(w) for w in words] == want
    assert [Machine(tricky).accepts(w) for w in words] == want


def _parse(name: str):
    from ssmproof.numerics.formats import parse

    return parse(name)


# ------------------------------------------------------------ 7. reserved names, every place
def _contains_aa_with(place: str, name: str) -> dict:
    """examples.contains_aa() with one declared dim renamed to ``name`` at ``place``."""
    from ssmproof import examples

    d = jsonio.to_dict(examples.contains_aa())
    layer = d["layers"][0]
    if place == "embedding":
        d["embedding"]["b"][name] = "1"
    elif place == "state":
        layer["state"].append(name)
    elif place == "pre_mlp":
        layer["pre_mlp"][0]["out"].append(name)
    else:
        layer["mlp"] = [{"activation": "relu", "out": [name], "weights": {}}]
    return d


@pytest.mark.parametrize("prefix", ["prev:", "gate:", "input:", "readout:"])
@pytest.mark.parametrize("place,field", [("embedding", "embedding.b"),
                                         ("state", "layers[0].state"),
                                         ("pre_mlp", "layers[0].pre_mlp[0].out"),
                                         ("mlp", "layers[0].mlp[0].out")])
def test_every_reserved_prefix_is_refused_wherever_a_dim_is_declared(prefix, place, field,
                                                                     tmp_path, capsys):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_contains_aa_with(place, prefix + "L1.seen")))
    assert main(["run", str(path), "--input", "a a"]) == 2
    err = capsys.readouterr().err
    assert err == (f"ssmproof: {path}: {field}: dim '{prefix}L1.seen' uses the reserved prefix "
                   f"'{prefix}'; rename the dim (no declared dim may start with 'prev:', "
                   "'gate:', 'input:', 'readout:')\n")
    # the same names one character off are ordinary dims
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps(_contains_aa_with(place, prefix[:-1] + "_L1.seen")))
    assert main(["run", str(ok), "--input", "a a"]) == 0
    assert "accept" in capsys.readouterr().out


# --------------------------------------------- 4. gate class of a predictor: all words count
def _tomita1_predictor_with_gate(*, counter: bool) -> SSM:
    """The right 1* predictor plus an unread channel whose gate is −1 on token 0.

    No prefix of a word of 1* contains a 0, so a proof over prefixes of L never meets that
    gate; the model still produces it (on "0"), so the class is ``signed``. ``counter`` adds a
    channel counting 0s, unbounded in exact arithmetic, so that enumerating every word's
    configurations cannot close.
    """
    base = _tomita1_predictor(("0", "1"), opposite=False)
    state, gate, inp = ["L1.flip"], {"L1.flip": {"one": 1, "tok:0": -2}}, {"L1.flip": {}}
    if counter:
        state.append("L1.zeros")
        gate["L1.zeros"], inp["L1.zeros"] = {"one": 1}, {"tok:0": 1}
    return replace(base, layers=(Layer("L1", tuple(state), gate=gate, input=inp),))


def test_a_negative_gate_outside_every_prefix_of_l_is_not_reported_nonnegative():
    lang = load("tomita:1")
    cert = verify(_tomita1_predictor_with_gate(counter=False), lang, prove=True)
    assert cert.holds is True and cert.all_lengths
    assert cert.gate_class == "signed"
    assert cert.gate_class_coverage.startswith("every reachable gate value")
    assert "2 distinct gate values" in cert.gate_class_coverage  # 1 (BOS, 1) and −1 (on 0)


def test_a_predictor_gate_class_that_could_not_be_enumerated_says_observed():
    lang = load("tomita:1")
    cert = verify(_tomita1_predictor_with_gate(counter=True), lang, prove=True)
    assert cert.holds is True and cert.all_lengths
    assert cert.gate_class == "signed"  # met during the enumeration, before its budget ran out
    assert "observed" in cert.gate_class_coverage
    assert not cert.gate_class_coverage.startswith("every reachable")
    # without the enumeration the proof alone saw gates 1 only: nonnegative, and it must not
    # be reported as complete; a bounded check says "observed"
    bounded = verify(_tomita1_predictor_with_gate(counter=True), lang, exhaustive=4)
    assert bounded.gate_class == "nonnegative" and "observed" in bounded.gate_class_coverage


def test_a_recognize_mode_proof_covers_every_gate_value_by_itself():
    from ssmproof import examples

    cert = verify(examples.parity_signed(), load("parity"), prove=True)
    assert cert.gate_class == "signed"
    assert cert.gate_class_coverage.startswith("every reachable gate value (the proof closed)")


# ------------------------------------------- 5. a weight the fixed format cannot hold
def test_a_fixed_point_weight_out_of_range_is_named_not_clamped(tmp_path, capsys):
    from ssmproof import examples

    d = jsonio.to_dict(examples.last_is_a())
    d["readout"]["accept"] = {k: ("300" if v == "1" else v) for k, v in
                              d["readout"]["accept"].items()}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(d))
    ssm = jsonio.load(str(path))
    for fmt in ("exact", "fixed:16.0", "bfloat16"):  # 300 fits these: the file holds
        assert verify(ssm, _ENDS_IN_A, fmt=fmt, prove=True).holds is True
    assert main(["verify", str(path), "--against", _ends_in_a(tmp_path), "--format",
                 "fixed:8.0", "--prove"]) == 2
    err = capsys.readouterr().err
    field = next(f for f, w in _fields(ssm) if w == 300)
    assert err == (f"ssmproof: last_is_a: {field}: fixed:8.0: weight 300 is outside the range "
                   "[-128, 127]; use more integer bits (fixed:I.P) or rescale the construction\n")
    assert main(["run", str(path), "--input", "a", "--format", "fixed:8.0"]) == 2


def _fields(ssm):
    from ssmproof.ssm.validate import weights_by_field

    return list(weights_by_field(ssm))
