"""A construction whose every name is hostile to LaTeX: the escaping tests' fixture.

Symbols are arbitrary non-whitespace strings, so the alphabet below holds every LaTeX special
character, ligature-forming pairs, a would-be command, non-ASCII letters (Greek, accented, an
astral-plane character) and a control character; dim and layer names do the same.
"""

from __future__ import annotations

from fractions import Fraction

from ssmproof.ssm.program import ONE, SSM, Dense, Layer, Mode, Param, default_embedding, tok

NASTY_SYMBOLS = (
    "(", "{", "}", "\\", "#", "$", "%", "&", "~", "^", "_", "<", ">", '"', "'", "`", "|",
    "--", "<<", "!`", "?`", "\\end{document}", "α", "é", "→", "\U0001d538", "\x01", "a_b[1]",
    "tok:(", "%comment",
)


def nasty_ssm(*, symbols: tuple[str, ...] = NASTY_SYMBOLS) -> SSM:
    """One layer counting ``{`` minus ``}`` with a symbolic decay, and an MLP with nasty outputs.

    Every dim name, the layer name and the construction name contain LaTeX specials.
    """
    state = "L1.{count}%$#&_^~\\"
    out = "L1.out<1>|\"'`"
    gate = {state: {ONE: "lam"}}
    inp = {state: {tok("{"): 1, tok("}"): -1, tok("\\"): Fraction(1, 3)}}
    mlp = (Dense((out,), {out: {state: Fraction(-7, 2), tok("%"): 2}}, {out: Fraction(1, 2)}),)
    layer = Layer("L1&{\\x}", (state,), gate=gate, input=inp, mlp=mlp, export=(state,))
    params = (Param("lam", Fraction(1, 2), "0 < lam <= 1/2; 100% {safe} \\ & ~^_", r"\lambda"),)
    return SSM("nasty {name} $%#&~^_\\<>", Mode.RECOGNIZE, symbols, default_embedding(symbols),
               (layer,), accept={out: 1, state: -1}, parameters=params)


def long_gate_ssm(*, terms: int = 12, name_len: int = 40, states: int = 2,
                  lag: int = 3, pad_char: str = "x") -> SSM:
    """A recurrence whose gate and input have many terms over long names: the equation layout's
    fixture (one line would be far wider than any page).

    Layer 1 (position-wise) writes ``terms`` stream dims with names of about ``name_len``
    characters (padded with ``pad_char``: ``→`` prints as ``⟨U+2192⟩``, eight characters wide);
    layer 2 lags ``lag`` of them and keeps ``states`` state dims whose gate is
    ``1 − ⅓ Σ dims − λ·prev`` and whose input mixes fractions, a parameter and lagged dims.
    """
    alphabet = ("a", "b")
    pad = pad_char * max(name_len - 16, 1)
    outs = tuple(f"L1.{pad}.unit[{i}]" for i in range(terms))
    mlp = (Dense(outs, {o: {tok("a"): 1, tok("b"): -(i % 3)} for i, o in enumerate(outs)}),)
    first = Layer("L1", (), gate={}, input={}, mlp=mlp)
    lagged = outs[:lag]
    state = tuple(f"L2.{pad}.state[{j}]" for j in range(states))
    gate = {s: {ONE: 1, **{o: Fraction(-1, 3) for o in outs},
                **{f"prev:{o}": "lam" for o in lagged}} for s in state}
    inp = {s: {**{o: Fraction(j + 1, 7) for o in outs[j::2]},
               **{f"prev:{o}": -1 for o in lagged}, tok("b"): "lam"}
           for j, s in enumerate(state)}
    second = Layer("L2", state, gate=gate, input=inp, lag=lagged, export=state)
    params = (Param("lam", Fraction(1, 4), "0 < lam < 1", r"\lambda"),)
    return SSM(f"long_gate_{terms}_{name_len}", Mode.RECOGNIZE, alphabet,
               default_embedding(alphabet), (first, second), accept={state[0]: 1},
               parameters=params)
