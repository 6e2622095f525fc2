"""The checker re-runs ``prove+exhaustive``, ``prove+random`` and ``prove+exhaustive+random``.

``verify`` writes these when several checks are asked at once: prove first, then the others, each
only while none has failed. The checker re-checks every part as its own certificate: a closed
proof makes every word right (the other parts' counts must still describe a run), a proof cut
off by its budget must stop at a depth with exactly its configurations and edges, and the
exhaustive and random parts are walked as in ``tests/check/test_bounded_recheck.py``. The whole
is confirmed only when every part is; the first part that disagrees or is not re-checked names
itself in the reason.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ssmproof.check import CONFIRMED, DISAGREES, NOT_RECHECKED, check_data
from ssmproof.cli import main
from ssmproof.recipes import dyck
from ssmproof.ssm import jsonio
from ssmproof.testing.random_ssm import random_ssm
from ssmproof.testing.strategies import dfas
from ssmproof.verify.api import verify

from .helpers import ssm_data
from .test_agreement import _spec_file
from .test_bounded_recheck import _broken, _cert, _prefixes, _recognizer


def _clearing() -> dict:
    """The Dyck(2,2) predictor that clears a group when its bracket closes: exact, it closes."""
    return json.loads(jsonio.to_json(dyck.clearing(2, 2)))


def test_a_closed_proof_with_exhaustive_and_random_parts_is_confirmed_part_by_part():
    data = _clearing()
    cert = _cert(data, "dyck:2,2", prove=True, exhaustive=4, random=7, max_length=9, seed=3)
    assert (cert["method"], cert["holds"], cert["all_lengths"]) == (
        "prove+exhaustive+random", True, True)
    strings = _prefixes(2, 2, 4)  # by brute force over every word, not from the DFA
    assert cert["strings_checked"] == strings
    v = check_data(cert, data, "dyck:2,2")
    assert v.status == CONFIRMED, v.reason
    assert (v.configurations, v.edges) == (cert["configurations"], cert["edges"])
    assert v.checked[0] == "holds for all lengths: the product closed with no error"
    assert v.checked[-2:] == [
        f"exhaustive: {strings} strings, every word up to length 4, right by the proof",
        "random: 7 words up to length 9 (seed 3), right by the proof"]


def test_a_closed_proofs_parts_that_do_not_add_up_are_disagreements():
    data = _clearing()
    cert = _cert(data, "dyck:2,2", prove=True, exhaustive=4)
    assert cert["method"] == "prove+exhaustive"
    v = check_data(dict(cert, strings_checked=_prefixes(2, 2, 4) + 1), data, "dyck:2,2")
    assert v.status == DISAGREES
    assert v.reason == (f"the exhaustive part: strings_checked {_prefixes(2, 2, 4) + 1} is not "
                        "the number of words up to any length")
    v = check_data(dict(cert, edges=cert["edges"] - 1), data, "dyck:2,2")
    assert v.status == DISAGREES
    assert v.reason == (f"the prove part: edges count mismatch: the certificate says "
                        f"{cert['edges'] - 1}, the re-exploration finds {cert['edges']}")
    v = check_data(dict(cert, all_lengths=False), data, "dyck:2,2")
    assert v.status == DISAGREES and "claims all lengths exactly when it holds" in v.reason


def test_a_proof_cut_off_before_an_exhaustive_part_is_found_by_its_counts():
    data = _recognizer()  # exact: the failure latch counts for ever, so the proof cannot close
    cert = _cert(data, "dyck:2,2", prove=True, exhaustive=4, max_configurations=3)
    assert (cert["method"], cert["holds"], cert["max_length_checked"]) == (
        "prove+exhaustive", None, 4)  # the exhaustive length; the proof's depth is not written
    v = check_data(cert, data, "dyck:2,2")
    assert v.status == CONFIRMED, v.reason
    assert v.depth == 1 and (v.configurations, v.edges) == (cert["configurations"], cert["edges"])
    assert f"{sum(4 ** n for n in range(5))} strings up to length 4 recounted" in v.checked
    v = check_data(dict(cert, configurations=cert["configurations"] + 1), data, "dyck:2,2")
    assert v.status == DISAGREES and v.reason.startswith(
        f"the prove part: no depth has the claimed {cert['configurations'] + 1} configurations")
    v = check_data(dict(cert, max_length_checked=5), data, "dyck:2,2")
    assert v.status == DISAGREES and v.reason == (
        f"the exhaustive part: strings_checked mismatch: the certificate says "
        f"{cert['strings_checked']}, the words up to length 5 are {sum(4 ** n for n in range(6))}")


def test_a_cut_off_proof_that_in_fact_closes_is_a_disagreement():
    data = _clearing()
    cert = _cert(data, "dyck:2,2", prove=True, exhaustive=3)
    lie = dict(cert, holds=None, all_lengths=False, max_length_checked=3)
    v = check_data(lie, data, "dyck:2,2")
    assert v.status == DISAGREES
    assert v.reason.startswith("the prove part: the exploration closes (depth ")


def test_a_prove_random_certificate_gives_the_proofs_depth_which_is_checked():
    data = _recognizer()
    cert = _cert(data, "dyck:2,2", prove=True, random=10, max_length=6, max_configurations=20)
    assert (cert["method"], cert["holds"]) == ("prove+random", None)
    v = check_data(cert, data, "dyck:2,2")
    assert v.status == CONFIRMED and v.depth == cert["max_length_checked"], v.reason
    v = check_data(dict(cert, max_length_checked=cert["max_length_checked"] + 1), data,
                   "dyck:2,2")
    assert v.status == DISAGREES and v.reason == (
        f"the prove part: max_length_checked {cert['max_length_checked'] + 1} is not the depth "
        f"{cert['max_length_checked']} at which the proof stopped")


def test_a_failure_after_a_cut_off_proof_is_confirmed_in_the_part_that_failed():
    bad = _broken()  # "[ ]" is rejected: the counter ignores "]"
    for kw, method in [(dict(exhaustive=4), "prove+exhaustive"),
                       (dict(random=50, max_length=6), "prove+random"),
                       (dict(exhaustive=1, random=50, max_length=6), "prove+exhaustive+random")]:
        cert = _cert(bad, "dyck:2,2", prove=True, max_configurations=1, **kw)
        assert (cert["method"], cert["holds"], cert["counterexample"]) == (
            method, False, ["[", "]"])
        v = check_data(cert, bad, "dyck:2,2")
        assert v.status == CONFIRMED and v.depth == 1, (method, v.reason)
    cert = _cert(bad, "dyck:2,2", prove=True, max_configurations=1, exhaustive=4)
    v = check_data(dict(cert, counterexample=["(", "[", "]", ")"]), bad, "dyck:2,2")
    assert v.status == DISAGREES and v.reason.startswith(
        "the exhaustive part: not the shortest counterexample")
    cert = _cert(bad, "dyck:2,2", prove=True, max_configurations=1, exhaustive=1, random=50,
                 max_length=6)
    v = check_data(dict(cert, strings_checked=6), bad, "dyck:2,2")
    assert v.status == DISAGREES and v.reason == (
        "the exhaustive+random part: strings_checked mismatch: the certificate says 6, the "
        "words up to length 1 are 5")
    v = check_data(dict(cert, counterexample=["["]), bad, "dyck:2,2")
    assert v.status == DISAGREES and v.reason == (
        "the exhaustive+random part: the counterexample [[] does not replay")


def test_a_part_that_cannot_be_rechecked_makes_the_whole_not_rechecked():
    bad = _broken()
    cert = _cert(bad, "dyck:2,2", prove=True, random=50, max_length=6, max_configurations=1)
    lie = dict(cert, holds=None, counterexample=None, wrong_symbol=None)  # "the sample held"
    v = check_data(lie, bad, "dyck:2,2")
    assert v.status == NOT_RECHECKED and v.reason.startswith(
        "the random part: the random words are not in the certificate; walking every word up "
        "to length 6 finds [[ ]]: wrong decision")
    data = _clearing()
    cert = _cert(data, "dyck:2,2", prove=True, exhaustive=2)
    v = check_data(cert, data, "dyck:2,2", max_configurations=cert["configurations"] - 1)
    assert v.status == NOT_RECHECKED and v.reason.startswith(
        f"the prove part: the certificate claims {cert['configurations']} configurations, more "
        "than the checker's bound")


def test_verify_with_several_checks_and_recheck_is_confirmed_on_the_command_line(tmp_path,
                                                                                 capsys):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(_recognizer()))
    bad.write_text(json.dumps(_broken()))
    args = ["--against", "dyck:2,2", "--prove", "--exhaustive", "4", "--recheck", "--json"]
    assert main(["verify", str(good), *args, "--random", "9", "--format", "bfloat16"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "prove+exhaustive+random" and out["recheck"]["status"] == "confirmed"
    assert main(["verify", str(bad), *args, "--max-configurations", "1"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["method"], out["counterexample"]) == ("prove+exhaustive", ["[", "]"])
    assert out["recheck"]["status"] == "confirmed" and out["recheck"]["depth"] == 1


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), dfa=dfas(states=(1, 4), symbols=2),
       fmt=st.sampled_from(["exact", "bfloat16", "fixed:6.2"]),
       mode=st.sampled_from(["recognize", "predict"]), budget=st.integers(1, 8),
       parts=st.sampled_from(["exhaustive", "random", "exhaustive+random"]),
       exhaustive=st.integers(0, 5), random=st.integers(1, 8), length=st.integers(0, 6))
def test_checker_confirms_every_combined_certificate_on_random_constructions(
        tmp_path_factory, seed, dfa, fmt, mode, budget, parts, exhaustive, random, length):
    from ssmproof.lang import spec as specs

    path = _spec_file(tmp_path_factory.mktemp("combined"), dfa)
    lang = specs.to_language(specs.resolve(path))
    ssm = random_ssm(seed, lang.alphabet, mode=mode, lag=True, gate_class="nonnegative")
    cert = json.loads(verify(
        ssm, lang, fmt=fmt, prove=True, mode=mode, seed=seed, max_configurations=budget,
        exhaustive=exhaustive if "exhaustive" in parts else None,
        random=random if "random" in parts else None, max_length=length).to_json())
    v = check_data(cert, ssm_data(ssm), path)
    if v.status == NOT_RECHECKED:  # only a real error the random sample did not meet
        assert cert["holds"] is None and "the sample may have missed" in v.reason, v.reason
        return
    assert v.status == CONFIRMED, (v.reason, cert["method"], cert["holds"])
    assert (v.configurations, v.edges) == (cert["configurations"], cert["edges"])


def test_prove_against_a_counter_language_falls_back_and_is_not_rechecked():
    """``verify --prove`` on a non-regular language writes its bounded fallback (holds null):
    the checker has no finite product to walk, so it says so instead of refusing the file."""
    from ssmproof import examples

    ssm = examples.dyck1_predictor(300)
    cert = json.loads(verify(ssm, "dyck1", prove=True).to_json())
    assert (cert["method"], cert["holds"]) == ("exhaustive+random", None)
    v = check_data(cert, ssm_data(ssm), "dyck1")
    assert v.status == NOT_RECHECKED and v.reason.startswith("'dyck1' is not regular")
