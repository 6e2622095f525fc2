"""LaTeX primitives: escaping arbitrary strings, exact numbers, symbolic parameters.

Symbols and dim names are arbitrary non-whitespace strings (``tok:(``, ``tok:{``, ``a_b``,
``<x>``, ``\\``, ``α``), so nothing from a construction reaches LaTeX unescaped. Names are set in
the typewriter font and every character outside a small safe set is written as ``\\symbol{N}``:
typewriter fonts in the OT1, T1 and Unicode encodings all keep the ASCII glyphs at their ASCII
positions, so the output compiles and looks the same under any of them (the named commands
``\\textless`` or ``\\textquotedbl`` do not: the first needs a math font, the second T1).
Characters outside ASCII become ``\\ssmuchar{HEX}`` (Greek letters become math symbols), which a
LuaLaTeX user can redefine as ``\\symbol{"#1}`` to print the character itself; accented Latin
letters become accent commands (``é`` is ``\\'{e}``).

Numbers go through sympy's LaTeX printer (``sympy.latex(Rational(1, 3))`` is ``\\frac{1}{3}``),
and a weight that names a :class:`~ssmproof.ssm.program.Param` prints as its symbol.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping, Sequence
from fractions import Fraction
from functools import lru_cache

import sympy

from ssmproof.errors import SSMFileError
from ssmproof.numerics.cyclotomic import Cyclotomic
from ssmproof.ssm.program import SSM, Param, Weight

__all__ = [
    "tt", "tt_words", "pieces", "piece_widths", "text", "dim", "comment_safe", "join_words",
    "Symbols", "param_symbols",
    "check_param_latex", "number", "cyclotomic", "to_sympy", "weight", "expression", "estimate_tt",
    "estimate_math",
]

_SAFE_TT = frozenset(string.ascii_letters + string.digits + ".:,;()[]/+=*@!?")
_BREAK_AFTER = frozenset(".:_/,")
_BREAK_RUN = 16  # a break point at least every this many characters of a long name

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "varepsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "varsigma", "τ": "tau",
    "υ": "upsilon", "φ": "varphi", "χ": "chi", "ψ": "psi", "ω": "omega", "ϵ": "epsilon",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
_TEXT_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "_": r"\_", "#": r"\#", "$": r"\$",
    "%": r"\%", "&": r"\&", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", '"': "''", "`": r"\lq{}",
    "-": "-{}",
}


_ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=",
            "\u0306": "u", "\u0308": '"', "\u030a": "r", "\u030c": "v", "\u0327": "c"}


def _nonascii(ch: str) -> str:
    if ch in _GREEK:
        return rf"\ensuremath{{\{_GREEK[ch]}}}"
    nfd = unicodedata.normalize("NFD", ch)
    if len(nfd) == 2 and nfd[0].isascii() and nfd[0].isalpha() and nfd[1] in _ACCENTS:
        return rf"\{_ACCENTS[nfd[1]]}{{{nfd[0]}}}"
    return rf"\ssmuchar{{{ord(ch):04X}}}"


def _tt_char(ch: str) -> str:
    if ch in _SAFE_TT:
        return ch
    if ch.isspace():
        return r"\ "
    if " " < ch < "\x7f":
        return rf"\symbol{{{ord(ch)}}}"
    return _nonascii(ch)


def _tt_units(ch: str) -> int:
    """Printed width of one name character in typewriter characters: ``\\ssmuchar`` prints
    ``⟨U+HEX⟩``, about eight of them; everything else prints as one."""
    if ch.isascii() or ch in _GREEK:
        return 1
    nfd = unicodedata.normalize("NFD", ch)
    if len(nfd) == 2 and nfd[0].isascii() and nfd[0].isalpha() and nfd[1] in _ACCENTS:
        return 1
    return 8


def tt(s: str, *, breakable: bool = True) -> str:
    """Escape ``s`` for the typewriter font (the caller selects the font).

    With ``breakable``, names printing wider than 12 characters get ``\\ssmbreak`` (a break
    point with a small penalty, defined by :mod:`ssmproof.render.latex`) after separators and at
    least every 16 printed characters (a space is a break point already), so a long dim name can
    wrap in a paragraph or a ``p`` column: no unbreakable piece is wider than 16 typewriter
    characters (84 pt at 10 pt), whatever the name, and a ragged paragraph breaks between names
    rather than inside one when it can.

    Examples
    --------
    >>> tt("tok:(")
    'tok:('
    >>> tt("a_b{#}")
    'a\\\\symbol{95}b\\\\symbol{123}\\\\symbol{35}\\\\symbol{125}'
    >>> tt("α")
    '\\\\ensuremath{\\\\alpha}'
    """
    if not breakable:
        return "".join(_tt_char(ch) for ch in s)
    return r"\ssmbreak{}".join("".join(_tt_char(ch) for ch in piece) for piece in pieces(s))


def pieces(s: str) -> list[str]:
    """``s`` cut at the break points :func:`tt` gives it (none when it prints at most 12
    characters wide); whitespace stays at the end of its piece.

    >>> pieces("L1.pre.rule[24]"), pieces("tok:a")
    (['L1.', 'pre.', 'rule[24]'], ['tok:a'])
    """
    if sum(_tt_units(ch) for ch in s) <= 12:
        return [s]
    out, cur, run = [], "", 0
    for i, ch in enumerate(s):
        units = _tt_units(ch)
        if run and run + units > _BREAK_RUN:
            out.append(cur)
            cur, run = "", 0
        cur += ch
        run = 0 if ch.isspace() else run + units
        if i + 1 < len(s) and ch in _BREAK_AFTER and run:
            out.append(cur)
            cur, run = "", 0
    return out + [cur] if cur else out


def piece_widths(s: str) -> tuple[float, ...]:
    """Printed widths (typewriter ems) of the pieces of ``s`` between its break points (a
    space is one): what a paragraph or ``p`` column can wrap, for estimating its lines.

    >>> [round(w, 3) for w in piece_widths("tok:a b")]
    [3.15, 0.525]
    """
    return tuple(estimate_tt(part) for p in pieces(s) for part in re.split(r"(?<=\s)", p)
                 if part)


def tt_words(s: str) -> str:
    """Escape free text with spaces (a parameter's constraint) for the typewriter font: it
    breaks at its spaces, and inside a word only when that word alone is long.

    >>> tt_words("0 < lam <= 1/3")
    '0\\\\ \\\\symbol{60}\\\\ lam\\\\ \\\\symbol{60}=\\\\ 1/3'
    """
    return "".join(tt(part) for part in re.split(r"(\s+)", s) if part)


def text(s: str) -> str:
    """Escape free text (notes, constraints) for the roman font, OT1-safe.

    >>> text("50% of a_b < 1")
    '50\\\\% of a\\\\_b \\\\textless{} 1'
    """
    out = []
    for ch in s:
        if ch in _TEXT_SPECIAL:
            out.append(_TEXT_SPECIAL[ch])
        elif ch == "\n" or ch == "\t" or ch == "\r":
            out.append(" ")
        elif ch.isspace() or " " <= ch < "\x7f":
            out.append(ch)
        else:
            out.append(_nonascii(ch))
    return "".join(out)


def dim(name: str) -> str:
    r"""A dim or symbol name as LaTeX: ``\ssmdim{...}`` (typewriter, valid in text and math).

    >>> dim("L1.seen")
    '\\ssmdim{L1.seen}'
    """
    return rf"\ssmdim{{{tt(name)}}}"


def comment_safe(s: str) -> str:
    """``s`` reduced to printable ASCII on one line, for ``%`` comments.

    >>> comment_safe("a\\nb%c λ")
    'a?b%c ?'
    """
    return "".join(ch if " " <= ch < "\x7f" else "?" for ch in s)


# ------------------------------------------------------------------------------ parameters
_LATEX_COMMANDS = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho",
    "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma",
    "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    "ell", "hbar", "infty", "partial", "nabla", "prime", "star", "ast", "dagger", "circ",
    "cdot", "mathrm", "mathit", "mathbf", "mathsf", "mathtt", "mathcal", "operatorname",
    "hat", "bar", "tilde", "vec", "dot", "ddot", "check", "breve", "widehat", "widetilde",
    "overline", "underline", "text", "frac", "tfrac", "sqrt",
})
_LATEX_TOKEN = re.compile(r"\\([A-Za-z]+)|\\(.)|([A-Za-z0-9_^{}()'+\-,.=/| ])|(.)", re.S)


def check_param_latex(p: Param, index: int, path: str) -> None:
    """Refuse a parameter's ``latex`` unless it is a plain math symbol (no file access, no
    definitions, balanced braces), so that a construction file cannot break or hijack a document.
    """
    def bad(problem: str) -> SSMFileError:
        return SSMFileError(path, f"parameters[{index}].latex", problem,
                            "write a plain math symbol such as \\lambda, \\alpha_1 or "
                            "\\tilde{\\mu}, or leave it empty to print the name")

    depth = 0
    for m in _LATEX_TOKEN.finditer(p.latex):
        cmd, other, plain, odd = m.groups()
        if cmd is not None and cmd not in _LATEX_COMMANDS:
            raise bad(f"command \\{cmd} is not allowed")
        if other is not None and other not in ",;!":
            raise bad(f"'\\{other}' is not allowed")
        if odd is not None:
            raise bad(f"character {odd!r} is not allowed")
        depth += {"{": 1, "}": -1}.get(plain or "", 0)
        if depth < 0:
            raise bad("unbalanced braces")
    if depth:
        raise bad("unbalanced braces")
    if "^^" in p.latex or re.search(r"[_^](\s*[}_^]|\s*$)", p.latex):
        raise bad("a sub- or superscript has no argument")


Symbols = Mapping[str, sympy.Symbol]


def param_symbols(ssm: SSM, path: str = "<ssm>") -> tuple[dict[str, sympy.Symbol],
                                                         dict[sympy.Symbol, str]]:
    """sympy symbols for the declared parameters, and their LaTeX names for the printer."""
    syms: dict[str, sympy.Symbol] = {}
    names: dict[sympy.Symbol, str] = {}
    for i, p in enumerate(ssm.parameters):
        s = sympy.Symbol(p.name)
        syms[p.name] = s
        if p.latex:
            check_param_latex(p, i, path)
            names[s] = p.latex
    return syms, names


# --------------------------------------------------------------------------------- numbers
@lru_cache(maxsize=4096)
def _rational_latex(num: int, den: int) -> str:
    return sympy.latex(sympy.Rational(num, den))


def number(x: Fraction | int | Cyclotomic) -> str:
    """An exact rational through sympy's printer (math mode, no dollars); a complex weight as
    its sum over powers of ζₙ (``\\zeta_{3}``), in parentheses when it has several terms.

    >>> number(Fraction(-1, 3)), number(2)
    ('- \\\\frac{1}{3}', '2')
    >>> number(Cyclotomic.zeta(3)), number(Cyclotomic.from_powers(5, {0: 1, 2: -2}))
    ('\\\\zeta_{3}', '\\\\left(1 - 2 \\\\zeta_{5}^{2}\\\\right)')
    """
    if isinstance(x, Cyclotomic):
        return cyclotomic(x)
    f = Fraction(x)
    return _rational_latex(f.numerator, f.denominator)


def cyclotomic(x: Cyclotomic) -> str:
    """Σ cₖ ζₙᵏ in math mode (see :func:`number`)."""
    terms = []
    for k, c in x.powers().items():
        z = "" if k == 0 else (rf"\zeta_{{{x.n}}}" + (f"^{{{k}}}" if k > 1 else ""))
        mag = abs(c)
        coef = "" if (mag == 1 and z) else number(mag) + (" " if z else "")
        terms.append(("-" if c < 0 else "+", coef + z))
    text = ("- " if terms[0][0] == "-" else "") + terms[0][1]
    text += "".join(f" {sign} {body}" for sign, body in terms[1:])
    return text if len(terms) == 1 else rf"\left({text}\right)"


def to_sympy(w: Weight, syms: Symbols) -> sympy.Expr:
    """A weight as a sympy value: a Rational, the parameter's Symbol, or Σ cₖ·exp(2πik/n)."""
    if isinstance(w, str):
        return syms[w]
    if isinstance(w, Cyclotomic):
        return sum((sympy.Rational(c.numerator, c.denominator)
                    * sympy.exp(2 * sympy.pi * sympy.I * k / w.n)
                    for k, c in w.powers().items()), sympy.Integer(0))
    f = Fraction(w)
    return sympy.Rational(f.numerator, f.denominator)


def weight(w: Weight, syms: Symbols, names: Mapping[sympy.Symbol, str]) -> str:
    """One weight in math mode: a rational, or its parameter's symbol."""
    if isinstance(w, str):
        return sympy.latex(syms[w], symbol_names=dict(names))
    return number(w)


def expression(e: sympy.Expr, names: Mapping[sympy.Symbol, str]) -> str:
    """A sympy expression (e.g. a gate value with a parameter) in math mode."""
    if isinstance(e, sympy.Rational):
        return _rational_latex(int(e.p), int(e.q))
    return sympy.latex(e, symbol_names=dict(names))



# ------------------------------------------------------------------------- width estimates
def estimate_tt(s: str) -> float:
    """Printed width of ``s`` in the typewriter font, in ems of that font (0.525 em a
    character; a character printed as ``⟨U+HEX⟩`` counts as eight).

    >>> estimate_tt("tok:a"), estimate_tt("→")
    (2.625, 4.2)
    """
    return 0.525 * sum(_tt_units(ch) for ch in s)


def estimate_math(latex: str) -> float:
    r"""A rough width in ems of a short math-mode string such as ``- \frac{1}{3}``.

    Fractions count their longer part at script size; commands count as one symbol.
    """
    m = re.fullmatch(r"(-\s*)?\\frac\{([^{}]*)\}\{([^{}]*)\}", latex.strip())
    if m:
        return (0.8 if m.group(1) else 0.0) + 0.4 * max(len(m.group(2)), len(m.group(3))) + 0.3
    plain = re.sub(r"\\[A-Za-z]+", "x", latex)
    plain = re.sub(r"[{}\s]", "", plain)
    return 0.55 * len(plain) + (0.3 if latex.lstrip().startswith("-") else 0.0)


def join_words(words: Sequence[str]) -> str:
    """Symbols of a word in typewriter, separated by thin spaces; ε for the empty word."""
    if not words:
        return r"$\varepsilon$"
    return r"\ssmdim{" + r"\,\allowbreak{}".join(tt(w) for w in words) + "}"

