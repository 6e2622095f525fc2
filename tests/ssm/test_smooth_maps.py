"""Format ssmproof-ssm/3: smooth activations and product maps (what an imported Mamba needs)."""

import json
from fractions import Fraction

import mpmath
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssmproof import cli
from ssmproof.errors import SSMFileError, SsmproofError
from ssmproof.numerics.formats import parse
from ssmproof.render.latex import to_latex
from ssmproof.sim.gates import structural_gate_class
from ssmproof.sim.machine import Machine
from ssmproof.ssm import jsonio
from ssmproof.ssm.program import (
    SSM,
    Activation,
    Dense,
    Layer,
    Mode,
    Product,
    default_embedding,
)


def tiny_mamba(decay: Fraction = Fraction(-3, 2)) -> SSM:
    """One channel in Mamba's form: Δ = softplus(tok:1 − 1/2), gate exp(decay·Δ), input Δ·tok:1;
    readout silu(rsqrt(h² + 1/100) − 2) — every smooth map and a product on the state."""
    pre = (Dense(("L.d",), {"L.d": {"tok:1": 1, "one": Fraction(-1, 2)}},
                 activation=Activation.SOFTPLUS),
           Dense(("L.a0",), {"L.a0": {"L.d": decay}}, activation=Activation.EXP),
           Product(("L.b0",), {"L.b0": ("L.d", "tok:1")}),
           Dense(("L.a", "L.b"), {"L.a": {"L.a0": 1}, "L.b": {"L.b0": 1}},
                 activation=Activation.LINEAR))
    mlp = (Product(("L.sq",), {"L.sq": ("L.h", "L.h")}),
           Dense(("L.r",), {"L.r": {"L.sq": 1}}, {"L.r": Fraction(1, 100)}, Activation.RSQRT),
           Dense(("L.o",), {"L.o": {"L.r": 1}}, {"L.o": -2}, Activation.SILU))
    layer = Layer("L", ("L.h",), gate={"L.h": {"L.a": 1}}, input={"L.h": {"L.b": 1}},
                  pre_mlp=pre, mlp=mlp)
    return SSM("tiny_mamba", Mode.RECOGNIZE, ("0", "1"), default_embedding(("0", "1")),
               (layer,), accept={"L.o": 1})


def _by_hand(word, fmt_name):
    """The same model computed directly from the formulas, each value rounded once (mpmath)."""
    fmt = parse(fmt_name)

    def rnd_of(f):
        with mpmath.workprec(300):
            y = f()
            man, e = mpmath.frexp(y)
            return fmt.rnd(Fraction(int(mpmath.nint(man * mpmath.mpf(2) ** 280)), 2**280)
                           * Fraction(2) ** int(e))

    def mp(q):
        q = Fraction(q)
        return mpmath.mpf(q.numerator) / q.denominator

    h, out = Fraction(0), []
    for t in ["BOS", *word]:
        one = 1 if t == "1" else 0
        pre = fmt.rnd(Fraction(one) - Fraction(1, 2))
        d = rnd_of(lambda: mpmath.log(1 + mpmath.exp(mp(pre))))
        a = rnd_of(lambda: mpmath.exp(mp(fmt.rnd(Fraction(-3, 2) * d))))
        b = fmt.rnd(d * one)
        h = fmt.rnd(fmt.rnd(a * h) + b)
        ms = fmt.rnd(fmt.rnd(h * h) + fmt.weight(Fraction(1, 100)))  # weights rounded once
        r = rnd_of(lambda: 1 / mpmath.sqrt(mp(ms)))
        z = fmt.rnd(r - 2)
        o = rnd_of(lambda: mp(z) / (1 + mpmath.exp(-mp(z)))) if z else 0
        out.append((h, fmt.rnd(o) > 0))
    return out


@pytest.mark.parametrize("fmt", ["float32", "bfloat16"])
@given(word=st.lists(st.sampled_from(["0", "1"]), max_size=8))
def test_the_machine_computes_each_value_as_the_formulas_rounded_once(fmt, word):
    m = Machine(tiny_mamba(), parse(fmt))
    c, got = m.start(), []
    for t in [0, *m.token_ids(word)]:
        c, trace = m.trace_step(c, t)
        got.append((trace.states["L.h"], trace.decision[0]))
    assert got == _by_hand(word, fmt)


def test_a_smooth_model_round_trips_as_version_3_with_a_structural_gate_class():
    text = jsonio.to_json(tiny_mamba())
    data = json.loads(text)
    assert data["format"] == "ssmproof-ssm/3"
    assert data["layers"][0]["pre_mlp"][2] == {"out": ["L.b0"], "product": {"L.b0": ["L.d", "tok:1"]}}
    assert data["metadata"]["gate_class"] == "nonnegative"
    assert data["metadata"]["gate_class_coverage"] == "structural"
    back = jsonio.from_json(text)
    assert jsonio.to_json(back) == text


def test_a_negative_weight_on_the_exp_output_leaves_the_gate_class_unknown():
    ssm = tiny_mamba()
    layer = ssm.layers[0]
    flipped = Layer(layer.name, layer.state, gate={"L.h": {"L.a": -1}}, input=layer.input,
                    pre_mlp=layer.pre_mlp, mlp=layer.mlp)
    info = structural_gate_class(SSM(ssm.name, ssm.mode, ssm.alphabet, ssm.embedding,
                                     (flipped,), accept=ssm.accept))
    assert info["gate_class"] == "unknown"


def test_a_version_1_file_with_a_smooth_map_is_refused_naming_the_format():
    data = json.loads(jsonio.to_json(tiny_mamba()))
    data["format"] = "ssmproof-ssm/1"
    with pytest.raises(SSMFileError, match=r"format: .*ssmproof-ssm/3"):
        jsonio.from_json(json.dumps(data))


def test_a_product_of_an_unknown_dim_is_refused_naming_the_field():
    data = json.loads(jsonio.to_json(tiny_mamba()))
    data["layers"][0]["pre_mlp"][2]["product"]["L.b0"] = ["L.d", "nowhere"]
    with pytest.raises(SSMFileError, match=r"pre_mlp\[2\]\.product\.L\.b0\.nowhere"):
        jsonio.from_json(json.dumps(data))


def test_a_pre_mlp_product_may_not_read_the_layer_s_own_state():
    data = json.loads(jsonio.to_json(tiny_mamba()))
    data["layers"][0]["pre_mlp"][2]["product"]["L.b0"] = ["L.d", "L.h"]
    with pytest.raises(SSMFileError, match="nonlinear RNN"):
        jsonio.from_json(json.dumps(data))


def test_exact_arithmetic_refuses_the_model_with_exit_2(tmp_path, capsys):
    path = tmp_path / "m.json"
    path.write_text(jsonio.to_json(tiny_mamba()))
    assert cli.main(["run", str(path), "--input", "1 0"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "softplus(-1/2) is irrational" in err and "--format float32" in err
    assert cli.main(["run", str(path), "--input", "1 0", "--format", "float32"]) == 0


def test_paths_built_for_relu_models_refuse_a_smooth_one_by_name():
    with pytest.raises(SsmproofError, match="LaTeX rendering covers ReLU/linear models"):
        to_latex(tiny_mamba())
