"""The torch module computes DESIGN §3 exactly: the same decisions and states as Machine.

torch is optional (the ``ssmproof[torch]`` extra); without it these tests skip and say why.
"""

from __future__ import annotations

import glob
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install 'ssmproof[torch]'")

from ssmproof import examples  # noqa: E402
from ssmproof.numerics.formats import parse  # noqa: E402
from ssmproof.sim.machine import Machine  # noqa: E402
from ssmproof.ssm import jsonio  # noqa: E402
from ssmproof.ssm.program import ONE, SSM, Layer, Mode, default_embedding, tok  # noqa: E402
from ssmproof.testing import ssms, words  # noqa: E402
from ssmproof.torch import agreement, rounding  # noqa: E402
from ssmproof.torch import module as tmodule  # noqa: E402

FORMATS = ["bfloat16", "float32", "float64"]
GALLERY = sorted(p for p in glob.glob("constructions/*/*.json")
                 if not p.endswith((".cert.json", "classification.json", "MANIFEST.json"))
                 and '"ssmproof-ssm/2"' not in open(p, encoding="utf-8").read())
# (ssmproof-ssm/2 files have complex weights; the torch bridge covers rational models only)
# A fast subset for CI: a signed gate, a lag, a predictive construction, a two-layer cascade.
CI_GALLERY = ["constructions/parity/recognize-signed.json",
              "constructions/flipflop/recognize-nonnegative.json",
              "constructions/tomita4/predict-nonnegative.json",
              "constructions/D2/recognize-nonnegative.json"]


def test_the_ci_subset_is_part_of_the_gallery():
    assert set(CI_GALLERY) <= set(GALLERY) and len(GALLERY) >= 30


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", CI_GALLERY, ids=lambda p: p.split("/", 1)[1])
def test_module_agrees_with_machine_on_every_word_up_to_10(path, fmt):
    a = agreement.exhaustive(jsonio.load(path), fmt, 10)
    assert a.agrees, a.first_mismatch
    assert a.words_covered == sum(len(jsonio.load(path).alphabet) ** k for k in range(11))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", CI_GALLERY[:2], ids=lambda p: p.split("/", 1)[1])
def test_module_agrees_with_machine_on_random_words_up_to_2000(path, fmt):
    a = agreement.random_words(jsonio.load(path), fmt, 6, 2000, seed=1)
    assert a.agrees, a.first_mismatch
    assert a.positions > 6 * 500  # the lengths really spread up to 2000


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", GALLERY, ids=lambda p: p.split("/", 1)[1])
def test_every_gallery_module_agrees_with_machine(path, fmt):
    ssm = jsonio.load(path)
    exhaustive = agreement.exhaustive(ssm, fmt, 10)
    assert exhaustive.agrees, exhaustive.first_mismatch
    sampled = agreement.random_words(ssm, fmt, 20, 2000, seed=0)
    assert sampled.agrees, sampled.first_mismatch


@settings(max_examples=25, deadline=None)
@given(st.data(), st.sampled_from(["bfloat16", "float16", "float32"]))
def test_random_ssms_agree_in_both_recurrence_modes(data, fmt):
    """Random rational gates (3/4, 1/3, ...) make the rounding of h = rnd(rnd(a·h)+b) bite, so
    the parallel scan's verify-and-repair path is exercised, not only the exact-scan case."""
    ssm = data.draw(ssms(("a", "b"), gate_class=data.draw(st.sampled_from(["nonnegative",
                                                                             "signed"]))))
    batch = data.draw(st.lists(words(("a", "b"), max_size=60), min_size=1, max_size=6))
    module = tmodule.to_module(ssm, fmt)
    positions, bad, first, flagged = agreement.compare(module, Machine(ssm, parse(fmt)), batch)
    assert bad == 0, first  # every word the module did not flag agrees exactly


def _decay(gate: Fraction, inp: Fraction) -> SSM:
    """One state h ← gate·h + inp on every token; accept while h > 1/2 (over {a})."""
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {ONE: gate}}, input={"L1.h": {ONE: inp}},
                  export=("L1.h",))
    return SSM("decay", Mode.RECOGNIZE, ("a",), default_embedding(("a",)), (layer,),
               accept={"L1.h": 1, ONE: Fraction(-1, 2)})


def test_scan_repairs_where_rounding_breaks_associativity():
    """h ← (3/4)·h + 1/3 in bfloat16: every step rounds, so the float64 scan's states are wrong
    at some positions (checked here) and the module must still return the sequential ones."""
    ssm = _decay(Fraction(3, 4), Fraction(1, 3))
    module = tmodule.to_module(ssm, "bfloat16")
    layer = module.layers[0]
    symbols = torch.ones(1, 40, dtype=torch.long)
    a = torch.full((1, 41, 1), float(parse("bfloat16").rnd(Fraction(3, 4))), dtype=torch.float64)
    b = torch.full((1, 41, 1), float(parse("bfloat16").rnd(Fraction(1, 3))), dtype=torch.float64)
    raw = rounding.round_to(tmodule._affine_scan(a, b, layer.recurrence.init.double()[None]),
                            "bfloat16")
    sequential = layer.recurrence._sequential(a, b, layer.recurrence.init.double()[None])
    assert not torch.equal(raw, sequential)  # the naive scan really is wrong here
    scan, seq = module(symbols, scan=True), module(symbols, scan=False)
    assert torch.equal(scan.states[0], seq.states[0])
    want = [Fraction(0)]
    machine = Machine(ssm, parse("bfloat16"))
    config = machine.start()
    for t in [0] + [1] * 40:
        config, _ = machine.step(config, t)
        want.append(config[0])
    assert scan.states[0][0, :, 0].double().tolist() == [float(v) for v in want[1:]]


def test_bfloat16_rounding_is_single_not_through_float32():
    x = torch.tensor([1 + 2.0**-8 + 2.0**-30, -(1 + 2.0**-8 + 2.0**-30)], dtype=torch.float64)
    assert x.to(torch.float32).to(torch.bfloat16).double().tolist() == [1.0, -1.0]  # double
    assert rounding.round_to(x, "bfloat16").tolist() == [1 + 2**-7, -(1 + 2**-7)]
    ref = parse("bfloat16").rnd(Fraction(1) + Fraction(1, 2**8) + Fraction(1, 2**30))
    assert ref == Fraction(1) + Fraction(1, 2**7)


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, width=64),
       st.sampled_from(["bfloat16", "float16", "float32"]))
def test_round_to_equals_the_integer_reference(x, fmt):
    f = parse(fmt)
    try:
        want = float(f.rnd(Fraction(x)))
    except Exception:  # NonFiniteValue: overflow, where the module gives inf
        want = float("inf") if x > 0 else float("-inf")
    got = rounding.round_to(torch.tensor([x], dtype=torch.float64), fmt).item()
    assert got == want


def test_an_inexact_float64_dot_product_is_flagged_not_hidden():
    """1 + 2**-24 + 2**-60 rounds up to 1 + 2**-23 in float32 (above the tie), but a float64
    matmul first rounds it to the tie 1 + 2**-24, which float32 then rounds to even, 1. The
    module cannot prove that sum exact, so it must flag the position; it does, and the value it
    computed there is indeed not DESIGN's."""
    emb = {s: {tok(s): 1, ONE: 1, "c": 1} for s in ("BOS", "a")}
    row = {tok("a"): 1, ONE: Fraction(1, 2**24), "c": Fraction(1, 2**60)}
    layer = Layer("L1", ("L1.h",), gate={"L1.h": {}}, input={"L1.h": row}, export=("L1.h",))
    ssm = SSM("tiny", Mode.RECOGNIZE, ("a",), emb, (layer,), accept={"L1.h": 1})
    out = tmodule.to_module(ssm, "float32")(torch.ones(1, 1, dtype=torch.long))
    assert out.inexact[0].tolist() == [False, True]  # BOS: 2**-24 + 2**-60 is exact
    machine = Machine(ssm, parse("float32"))
    config, _ = machine.step(machine.step(machine.start(), 0)[0], 1)
    assert config[0] == 1 + Fraction(1, 2**23)
    assert out.states[0][0, 1, 0].item() == 1.0  # what the unprovable float64 sum gave


def test_a_tampered_weight_is_caught_by_the_agreement_check():
    ssm = examples.parity_signed()
    module = tmodule.to_module(ssm, "float32")
    with torch.no_grad():
        module.layers[0].gate.weight[0].neg_()  # the flip gate becomes a no-op
    a = agreement.exhaustive(ssm, "float32", 4, module=module)
    # BOS, "0" and "1" start from h = 0, where the sign of the gate does not matter; "1 0"
    # multiplies h = 1 by the flipped gate: the first representative (in BFS order) to differ
    assert not a.agrees and a.first_mismatch == ("1", "0")


def test_structure_is_visible_and_the_state_dict_round_trips():
    ssm = jsonio.load("constructions/flipflop/recognize-nonnegative.json")
    module = tmodule.to_module(ssm, "bfloat16")
    text = repr(module)
    assert "Conv1d" in text and "DiagonalRecurrence" in text and "Embedding" in text
    state = module.state_dict()
    assert all(v.dtype == torch.bfloat16 for v in state.values())
    fresh = tmodule.to_module(ssm, "bfloat16")
    with torch.no_grad():
        for p in fresh.parameters():
            p.zero_()
    fresh.load_state_dict(state)
    for key, value in fresh.state_dict().items():
        assert torch.equal(value, state[key]), key
    w = tmodule.encode_words(module, [["w", "0", "r", "0"], ["w", "0", "r", "1"]])
    assert module(w).decisions[:, -1, 0].tolist() == [True, False]
    assert fresh(w).decisions[:, -1, 0].tolist() == [True, False]


def test_unsupported_format_names_the_formats_that_work():
    from ssmproof.errors import FormatError

    with pytest.raises(FormatError, match="float16, bfloat16, float32 or float64"):
        tmodule.to_module(examples.parity_signed(), "fixed:8.4")
