"""The batched numpy simulator gives exactly Machine's decisions and run_words' results.

Machine (``ssmproof.sim.machine``) is the reference. Every property compares against it word by
word; the designed cases make float64 arithmetic genuinely inexact (and show that it is, by
doing the naive float64 computation in the test) to prove the replay on Machine is what keeps
the answers right.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ssmproof import examples
from ssmproof.errors import FormatError, SsmproofError
from ssmproof.numerics.formats import NonFiniteValue, parse
from ssmproof.sim import assemble, batched
from ssmproof.sim.machine import Machine
from ssmproof.sim.run import run_words
from ssmproof.ssm.program import ONE, SSM, Activation, Dense, Layer, Mode, default_embedding, tok
from ssmproof.testing import ssms, words
from ssmproof.testing.random_ssm import random_ssm

FORMATS = ["fixed:8.4", "fixed:16.8", "float16", "bfloat16", "float32", "int:8"]
HAND_WRITTEN = {
    "last_is_a": examples.last_is_a(),  # words over {a, b} ending in a
    "contains_aa": examples.contains_aa(),  # words over {a, b} containing aa
    "kth_last_is_a_3": examples.kth_last_is_a(3),  # the 3rd symbol from the end is a
    "parity_signed": examples.parity_signed(),  # an even number of 1s
    "dyck1_bounded_2": examples.dyck1_bounded(2),  # balanced ( ), depth at most 2
    "dyck1_predictor_2": examples.dyck1_predictor(2),  # predictive Dyck-1, depth at most 2
}


def machine_decisions(ssm: SSM, fmt: str, words: list[tuple[str, ...]]) -> list:
    """The reference: Machine.decisions per word, None where Machine raises NonFiniteValue."""
    machine = Machine(ssm, parse(fmt))
    return [_decisions_or_none(machine, w) for w in words]


def _decisions_or_none(machine: Machine, word: tuple[str, ...]) -> list | None:
    try:
        return machine.decisions(word)
    except NonFiniteValue:
        return None


def machine_configs(ssm: SSM, fmt: str, words: list[tuple[str, ...]]) -> list:
    """Machine's configuration after each word, None where it raises NonFiniteValue."""
    machine = Machine(ssm, parse(fmt))
    return [_config_or_none(machine, w) for w in words]


def _config_or_none(machine: Machine, word: tuple[str, ...]) -> tuple | None:
    config = machine.start()
    try:
        for t in [0, *machine.token_ids(word)]:
            config, _ = machine.step(config, t)
    except NonFiniteValue:
        return None
    return config


def assert_same_as_machine(
    ssm: SSM, fmt: str, words: list[tuple[str, ...]], batch_size: int = batched.DEFAULT_BATCH_SIZE
) -> batched.BatchRun:
    """Decisions at every position *and* the final configurations (exact values) agree:
    a state that is wrong in a low bit is caught even when no decision flips."""
    run = batched.simulate_batch(ssm, words, fmt=fmt, batch_size=batch_size, configs=True)
    assert [None if d is None else list(d) for d in run.decisions] == machine_decisions(
        ssm, fmt, words
    )
    assert list(run.configs) == machine_configs(ssm, fmt, words)
    return run


def word_lists(
    alphabet: tuple[str, ...], max_length: int = 20, max_words: int = 10
) -> st.SearchStrategy[list[tuple[str, ...]]]:
    return st.lists(words(alphabet, max_size=max_length), max_size=max_words)


# ------------------------------------------------------------------ a generator of wide weights
def _dyadic(rng: np.random.Generator, spread: int, integer: bool, bits: int) -> Fraction:
    """An odd m of 1 to ``bits`` bits (length uniform) times 2**e: e in [0, spread] (integer)
    or [-spread, spread]."""
    length = int(rng.integers(1, bits + 1))
    m = 2 * int(rng.integers(-(2 ** (length - 1)), 2 ** (length - 1))) + 1
    e = int(rng.integers(0 if integer else -spread, spread + 1))
    return Fraction(m) * Fraction(2) ** e


def wide_ssm(seed: int, *, spread: int, integer: bool = False, bits: int = 3) -> SSM:
    """A random SSM whose dyadic weights span 2**±spread with up to ``bits`` significant bits:
    sums and products of such values are often not float64-exact, so the error-free checks
    and the replay get exercised (random_ssm's small rationals almost never do)."""
    rng = np.random.default_rng(seed)

    def weight() -> Fraction:
        return _dyadic(rng, spread, integer, bits)

    def row(dims: list[str]) -> dict[str, Fraction]:
        return {d: weight() for d in dims if rng.random() < 0.6}

    alphabet = ("a", "b")
    stream = sorted({d for r in default_embedding(alphabet).values() for d in r})
    layers = []
    for i in range(1, int(rng.integers(1, 3)) + 1):
        name = f"L{i}"
        states = tuple(f"{name}.h{j}" for j in range(int(rng.integers(1, 3))))
        lag = (tok("a"),) if rng.random() < 0.5 else ()
        view = stream + [f"prev:{d}" for d in lag]
        hidden = (f"{name}.z0", f"{name}.z1")
        outs = (f"{name}.o0",)
        first = Dense(
            hidden, {z: row([*states, *view]) for z in hidden}, {z: weight() for z in hidden}
        )
        second = Dense(outs, {o: row(list(hidden)) for o in outs}, activation=Activation.LINEAR)
        layers.append(
            Layer(
                name,
                states,
                {s: row(view) for s in states},
                {s: row(view) for s in states},
                {s: weight() for s in states},
                lag,
                (),
                (first, second),
            )
        )
        stream = stream + list(outs)
    readout = row(stream) or {ONE: Fraction(1)}
    return SSM(
        f"wide_{seed}",
        Mode.RECOGNIZE,
        alphabet,
        default_embedding(alphabet),
        tuple(layers),
        accept=readout,
    )


# ------------------------------------------------------------------------------- properties
@given(
    name=st.sampled_from(sorted(HAND_WRITTEN)),
    fmt=st.sampled_from(FORMATS + ["exact"]),
    batch_size=st.integers(1, 8),
    data=st.data(),
)
def test_batched_equals_machine_on_hand_written_ssms(name, fmt, batch_size, data):
    ssm = HAND_WRITTEN[name]
    words = data.draw(word_lists(ssm.alphabet))
    got = batched.batched_decisions(ssm, words, fmt=fmt, batch_size=batch_size)
    assert got == machine_decisions(ssm, fmt, words)
    assert_same_as_machine(ssm, fmt, words, batch_size)


@settings(max_examples=40)
@given(
    fmt=st.sampled_from([f for f in FORMATS if f != "int:8"]),
    gate_class=st.sampled_from(["nonnegative", "signed"]),
    mode=st.sampled_from(["recognize", "predict"]),
    data=st.data(),
)
def test_batched_equals_machine_on_random_ssms(fmt, gate_class, mode, data):
    # random_ssm's weights are rationals such as 1/3: int:8 (integer weights only) is covered
    # by the integer wide SSMs below. random_ssm's defaults: 1-3 layers, MLP on; lag a coin.
    ssm = data.draw(ssms(("a", "b"), gate_class=gate_class, layers=(1, 3), mlp=True, mode=mode))
    assert_same_as_machine(ssm, fmt, data.draw(word_lists(ssm.alphabet)))


@settings(max_examples=40)
@given(
    seed=st.integers(0, 10**6),
    fmt=st.sampled_from(
        ["fixed:16.8", "fixed:24.24", "float16", "bfloat16", "float32", "float64", "exact"]
    ),
    data=st.data(),
)
def test_batched_equals_machine_on_wide_weights(seed, fmt, data):
    ssm = wide_ssm(
        seed, spread=6 if fmt == "float16" else 12, bits=20 if fmt in ("exact", "float64") else 3
    )
    assert_same_as_machine(ssm, fmt, data.draw(word_lists(ssm.alphabet, 12, 8)))


@settings(max_examples=30)
@given(
    seed=st.integers(0, 10**6), fmt=st.sampled_from(["int:8", "int:24", "int:40"]), data=st.data()
)
def test_batched_equals_machine_on_integer_weights(seed, fmt, data):
    ssm = wide_ssm(seed, spread=int(fmt[4:]) // 2, integer=True, bits=int(fmt[4:]) // 2)
    assert_same_as_machine(ssm, fmt, data.draw(word_lists(ssm.alphabet, 12, 8)))


def test_wide_weights_do_make_the_replay_fire():
    # Without replays the properties above would not test the fallback at all.
    replayed = total = 0
    for seed in range(12):
        ssm = wide_ssm(seed, spread=10)
        words = [("a", "b", "a"), ("b", "b"), ("a",) * 5, ()]
        run = batched.simulate_batch(ssm, words, fmt="float32")
        replayed, total = replayed + len(run.replayed), total + len(words)
    assert 0 < replayed < total


# ------------------------------------------------------------------------- designed inexactness
def _tiny_plus_big_minus_big() -> SSM:
    """Accept iff the last symbol is a, computed as 2**-40·[a] + 2**40·1 − 2**40·1 > 0.

    Machine adds the three terms in the order of their dim names (L1.a, one, z.one).
    """
    mlp = Dense(
        ("L1.a", "z.one"), {"L1.a": {tok("a"): 1}, "z.one": {ONE: 1}}, activation=Activation.LINEAR
    )
    layer = Layer("L1", (), gate={}, input={}, mlp=(mlp,))
    big = Fraction(2) ** 40
    return SSM(
        "tiny_big",
        Mode.RECOGNIZE,
        ("a", "b"),
        default_embedding(("a", "b")),
        (layer,),
        accept={"L1.a": 1 / big, ONE: big, "z.one": -big},
    )


def test_float64_accumulation_is_inexact_here_and_replay_keeps_machine_answer():
    ssm = _tiny_plus_big_minus_big()
    naive = (2.0**-40 + 2.0**40) - 2.0**40  # what plain float64 accumulation computes
    assert naive == 0.0  # so a naive batched simulator would reject "a"
    assert Machine(ssm, parse("float32")).accepts(["a"])  # 2**-40 > 0 exactly, a float32
    words = [("a",), ("b",), ("b", "a"), ("a", "b"), ()]
    run = batched.simulate_batch(ssm, words, fmt="float32")
    assert [d[-1] for d in run.decisions] == [(True,), (False,), (True,), (False,), (False,)]
    assert run.replayed == (0, 2, 3)  # the words with an a: [a]·2**-40 + 2**40 is not exact
    assert_same_as_machine(ssm, "float32", words)


def _int_square(fmt_bits: int) -> SSM:
    """x = c·[a] with c = 2**(P−1) − 1, then y = c·x, accept iff y > 0: under int:P the
    product c² needs 2P − 2 bits, more than float64's 53 when P = 40."""
    c = 2 ** (fmt_bits - 1) - 1
    first = Dense(("L1.x",), {"L1.x": {tok("a"): c}}, activation=Activation.LINEAR)
    second = Dense(("L1.y",), {"L1.y": {"L1.x": c}}, activation=Activation.LINEAR)
    layer = Layer("L1", (), gate={}, input={}, mlp=(first, second))
    return SSM(
        "int_square",
        Mode.RECOGNIZE,
        ("a", "b"),
        default_embedding(("a", "b")),
        (layer,),
        accept={"L1.y": 1},
    )


def _wrap(v: int, bits: int) -> int:
    v %= 2**bits
    return v - 2**bits if v >= 2 ** (bits - 1) else v


def test_int_products_beyond_2_to_53_are_detected_and_replayed():
    # One product, no addition: only the product check can notice the rounding.
    ssm, fmt, c = _int_square(40), "int:40", 2**39 - 1
    assert _wrap(c * c, 40) == 1  # c² = 2**78 − 2**40 + 1: accept
    assert _wrap(int(float(c) * float(c)), 40) == 0  # float64 drops the 1: would reject
    words = [("a",), ("b",), ("b", "a")]
    run = assert_same_as_machine(ssm, fmt, words)
    assert run.replayed == (0, 2) and run.reason is None
    assert [d[-1] for d in run.decisions] == [(True,), (False,), (True,)]


def _half_gate() -> SSM:
    """h ← ½·h + ½ from h = ½, accept iff 2h − 3/2 > 0; under fixed:8.1 the two roundings
    of DESIGN §3 give h = rnd(rnd(¼) + ½) = ½ (reject), one rounding rnd(¾) = 1 (accept)."""
    half = Fraction(1, 2)
    layer = Layer(
        "L1",
        ("L1.h",),
        gate={"L1.h": {ONE: half}},
        input={"L1.h": {ONE: half}},
        init={"L1.h": half},
        export=("L1.h",),
    )
    return SSM(
        "half_gate",
        Mode.RECOGNIZE,
        ("a", "b"),
        default_embedding(("a", "b")),
        (layer,),
        accept={"L1.h": 2, ONE: Fraction(-3, 2)},
    )


def test_recurrence_rounds_the_product_before_adding_the_input():
    fmt = parse("fixed:8.1")
    assert fmt.rnd(Fraction(3, 4)) == 1 and fmt.rnd(Fraction(1, 4)) + Fraction(1, 2) == Fraction(
        1, 2
    )  # one rounding and two differ here
    run = assert_same_as_machine(_half_gate(), "fixed:8.1", [(), ("a", "b")])
    assert run.decisions[0] == ((False,),) and run.configs[0] == (Fraction(1, 2),)


def _scaled_counter(gate: Fraction, init: Fraction = Fraction(1)) -> SSM:
    """h ← gate·h + [a] from h = init; accept iff h > 0."""
    layer = Layer(
        "L1",
        ("L1.h",),
        gate={"L1.h": {ONE: gate}},
        input={"L1.h": {tok("a"): 1}},
        init={"L1.h": init},
        export=("L1.h",),
    )
    return SSM(
        "scaled_counter",
        Mode.RECOGNIZE,
        ("a", "b"),
        default_embedding(("a", "b")),
        (layer,),
        accept={"L1.h": 1},
    )


def test_exact_values_beyond_2_to_53_are_replayed():
    # h = 2**30 after BOS, then 2**60 + 1 after "a": float64 would drop the 1.
    ssm = _scaled_counter(Fraction(2**30))
    assert 2.0**60 + 1 == 2.0**60
    run = assert_same_as_machine(ssm, "exact", [("a", "a"), ("b",), ("a",)])
    assert run.configs == ((2**90 + 2**30 + 1,), (2**60,), (2**60 + 1,))
    assert run.replayed == (0, 2)


def test_exact_products_by_a_short_weight_are_still_checked():
    # g = 3/2 · (2**52 + 1) needs 54 bits: a 2-bit weight does not make the product exact.
    keep = Layer(
        "L1",
        ("L1.h",),
        gate={"L1.h": {ONE: 1}},
        input={"L1.h": {}},
        init={"L1.h": 2**52 + 1},
        export=("L1.h",),
    )
    scale = Layer(
        "L2",
        ("L2.g",),
        gate={"L2.g": {}},
        input={"L2.g": {"L1.h": Fraction(3, 2)}},
        export=("L2.g",),
    )
    ssm = SSM(
        "three_halves",
        Mode.RECOGNIZE,
        ("a", "b"),
        default_embedding(("a", "b")),
        (keep, scale),
        accept={"L2.g": 1},
    )
    assert 1.5 * float(2**52 + 1) != Fraction(3, 2) * (2**52 + 1)
    run = assert_same_as_machine(ssm, "exact", [("a",), ()])
    assert run.configs[1] == (2**52 + 1, Fraction(3, 2) * (2**52 + 1)) and run.replayed == (0, 1)


def test_exact_products_that_underflow_float64_are_replayed():
    # h = 2**-600 after BOS, 2**-1200 after one more symbol: float64 underflows it to 0 (reject),
    # exactly it is positive (accept).
    ssm = _scaled_counter(Fraction(1, 2**600))
    assert 2.0**-600 * 2.0**-600 == 0.0
    run = assert_same_as_machine(ssm, "exact", [("b",), ()])
    assert run.decisions[0][-1] == (True,) and run.replayed == (0,)


# --------------------------------------------------------------------------------- overflow
def _doubling() -> SSM:
    """h ← 2h + [a]: overflows float16 (max 65504) after 16 a's; accept iff h > 0."""
    layer = Layer(
        "L1", ("L1.h",), gate={"L1.h": {ONE: 2}}, input={"L1.h": {tok("a"): 1}}, export=("L1.h",)
    )
    return SSM(
        "doubling",
        Mode.RECOGNIZE,
        ("a", "b"),
        default_embedding(("a", "b")),
        (layer,),
        accept={"L1.h": 1},
    )


def test_overflow_words_are_errors_exactly_as_run_words_reports_them():
    ssm = _doubling()
    words = [("a",) * 20, ("b",) * 20, ("a",) * 10, ("b",) * 5 + ("a",) * 16, ()]
    expected = list(run_words(ssm, words, fmt="float16"))
    got = batched.batched_run_words(ssm, words, fmt="float16")
    assert got == expected
    assert [r.error is not None for r in got] == [True, False, False, True, False]
    assert got[0].error.startswith("L1.h: float16: ")
    assert batched.batched_decisions(ssm, words, fmt="float16")[0] is None


# ------------------------------------------------------------------------ run_words equality
@pytest.mark.parametrize("name", sorted(HAND_WRITTEN))
@pytest.mark.parametrize("fmt", ["bfloat16", "fixed:8.4", "exact"])
def test_batched_run_words_equals_run_words(name, fmt):
    ssm = HAND_WRITTEN[name]
    rng = np.random.default_rng(0)
    words = [
        tuple(ssm.alphabet[i] for i in rng.integers(0, len(ssm.alphabet), size=n))
        for n in rng.integers(0, 15, size=25)
    ]
    assert batched.batched_run_words(ssm, words, fmt=fmt) == list(run_words(ssm, words, fmt=fmt))


@pytest.mark.parametrize(
    ("ssm", "fmt"),
    [
        (_tiny_plus_big_minus_big(), "float32"),  # words with an a are replayed
        (random_ssm(11, mode="predict"), "exact"),  # 1/3-type weights: every word replayed
        (random_ssm(11, mode="predict"), "bfloat16"),
        (_doubling(), "bfloat16"),
    ],
    ids=["replayed-recognize", "replayed-predict", "predict", "bfloat16-overflow"],
)
def test_batched_run_words_equals_run_words_when_words_are_replayed(ssm, fmt):
    rng = np.random.default_rng(1)
    words = [
        tuple(ssm.alphabet[i] for i in rng.integers(0, len(ssm.alphabet), size=n))
        for n in rng.integers(0, 140, size=12)
    ]
    assert batched.batched_run_words(ssm, words, fmt=fmt) == list(run_words(ssm, words, fmt=fmt))


def test_no_words_give_no_results():
    assert batched.batched_run_words(examples.contains_aa(), [], fmt="bfloat16") == []
    assert batched.simulate_batch(examples.contains_aa(), [], configs=True).configs == ()


# ------------------------------------------------------------------------ whole-run fallbacks
def test_format_wider_than_float64_runs_on_machine_with_a_reason():
    ssm = examples.dyck1_bounded(2)
    words = [("(", ")"), ("(", "(", "(")]
    run = batched.simulate_batch(ssm, words, fmt="fixed:32.32")
    assert run.reason == "fixed:32.32: values need 64 bits, more than float64 holds exactly"
    assert run.replayed == (0, 1)
    assert list(run.decisions) == [tuple(d) for d in machine_decisions(ssm, "fixed:32.32", words)]


def test_exact_with_a_non_dyadic_weight_runs_on_machine():
    ssm = random_ssm(5)  # weights with denominators 3 occur for this seed
    reason = assemble.unsupported_reason(Machine(ssm, parse("exact")))
    assert reason is not None and "is not exactly a float64" in reason
    words = [("0", "1", "1"), ("1",)]
    run = batched.simulate_batch(ssm, words, fmt="exact")
    assert run.reason == reason
    assert list(run.decisions) == [tuple(d) for d in machine_decisions(ssm, "exact", words)]


# ----------------------------------------------------------------------------- bad input
def test_unknown_symbol_names_the_word_and_the_fix():
    with pytest.raises(SsmproofError, match=r"words\[1\]: symbol 'c' is not in the alphabet"):
        batched.simulate_batch(examples.last_is_a(), [("a",), ("a", "c")], fmt="float16")


def test_nonpositive_batch_size_is_refused():
    with pytest.raises(SsmproofError, match="batch_size: 0 is not positive"):
        batched.simulate_batch(examples.last_is_a(), [("a",)], batch_size=0)


# ------------------------------------------------------- the facts the kernel relies on
def _extremes(f) -> list:
    """Values of the format with the most significand bits, the ends and the tiniest."""
    values = {
        f.min_value,
        f.max_value,
        f.min_positive,
        -f.min_positive,
        0,
        f.max_value - f.min_positive if f.kind.value in ("fixed", "int") else 0,
    }
    if f.is_float:
        p = f.layout.precision  # 1.11…1 × 2**e: a full significand in several binades
        values |= {f.rnd((2 - Fraction(1, 2 ** (p - 1))) * Fraction(2) ** e) for e in (-9, 0, 7)}
    return sorted(values)


WEIGHTS = st.one_of(
    st.sampled_from([1, -1, 2, -2, 3, Fraction(1, 2), Fraction(-3, 4)]),
    st.builds(
        lambda k, e: Fraction(k) * Fraction(2) ** e,
        st.integers(-(2**12), 2**12).filter(bool),
        st.integers(-8, 8),
    ),
)


@settings(max_examples=200)
@given(
    fmt=st.sampled_from(
        [
            "fixed:4.2",
            "fixed:8.4",
            "fixed:16.8",
            "fixed:24.24",
            "int:8",
            "int:30",
            "float16",
            "bfloat16",
            "float32",
        ]
    ),
    data=st.data(),
)
def test_what_assemble_proves_exact_is_exact(fmt, data):
    """Every claim of assemble, checked on the format's extreme values: a term marked exact
    multiplies exactly in float64; a coordinate marked exact sums exactly at the corners of its
    range (where the bound is tight); one marked identity is left unchanged by rnd there."""
    f = parse(fmt)

    def weight(w: Fraction | int) -> Fraction | int:  # int:P takes integer weights only
        try:
            return f.weight(Fraction(w).numerator if f.kind.value == "int" else w)
        except FormatError:  # e.g. 2^20 overflows float16: no such weight in this format
            assume(False)
            raise

    weights = [weight(w) for w in data.draw(st.lists(WEIGHTS, min_size=1, max_size=5))]
    weights = [w for w in weights if w != 0]
    bias = weight(data.draw(WEIGHTS))
    coord = assemble._coord(0, [(i, w) for i, w in enumerate(weights)], bias, assemble.arith_of(f))
    for term, w in zip(coord.terms, weights):
        if term.exact:
            assert all(float(w) * float(x) == w * x for x in _extremes(f))
    lo, hi = f.min_value, f.max_value
    corners = [
        [hi if w > 0 else lo for w in weights],
        [lo if w > 0 else hi for w in weights],
        [data.draw(st.sampled_from(_extremes(f))) for _ in weights],
    ]
    for xs in corners:
        exact = bias + sum(w * x for w, x in zip(weights, xs))
        total = float(bias)
        for w, x in zip(weights, xs):
            total += float(w) * float(x)
        if coord.exact:
            assert total == exact
        if coord.identity:
            assert f.rnd(exact) == exact


@settings(max_examples=300)
@given(
    x=st.one_of(
        st.floats(allow_nan=False, allow_infinity=False),
        st.floats(min_value=-(2.0**-120), max_value=2.0**-120),
        st.integers(-(2**40), 2**40).map(lambda k: k * 2.0**-10),
    )
)
def test_fast_bfloat16_rounding_equals_the_format(x):
    fmt = parse("bfloat16")
    got = batched._round_bfloat16(fmt, np.array([x, x + 2.0**-30 * abs(x)]))
    assert np.array_equal(got, fmt.round_array(np.array([x, x + 2.0**-30 * abs(x)])))
