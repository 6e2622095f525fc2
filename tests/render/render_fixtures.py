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
