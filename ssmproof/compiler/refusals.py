"""The compiler's refusals, each written once: a language the requested gate class cannot model.

Every route that refuses (``compile_language``, ``starfree.compile_dfa``) builds its exception
here, so the wording — and the witness or group it carries — is the same wherever it comes from:

- :func:`not_star_free` — nonnegative gates and a language that is not star-free (PAPER §3);
- :func:`weak_gates` — signed gates and a language whose witness has an odd period;
- :func:`not_solvable` — a non-solvable group: no diagonal SSM of any gate class.
"""

from __future__ import annotations

from ssmproof.errors import NotSolvableError, NotStarFreeError, WeakGatesError
from ssmproof.lang.groups import GroupInfo
from ssmproof.lang.monoid import Witness

__all__ = ["describe", "not_star_free", "weak_gates", "not_solvable"]


def describe(witness: Witness) -> str:
    """The witness in words.

    Examples
    --------
    >>> describe(Witness(u=(), w=("1",), v=(), period=2))
    'membership of u·wⁿ·v is periodic in n with period 2 for u = ε, w = 1, v = ε'
    """
    def word(w: tuple[str, ...]) -> str:
        return " ".join(w) if w else "ε"

    return (f"membership of u·wⁿ·v is periodic in n with period {witness.period} for "
            f"u = {word(witness.u)}, w = {word(witness.w)}, v = {word(witness.v)}")


def not_star_free(name: str, witness: Witness, *, needed: str | None = None
                  ) -> NotStarFreeError:
    """Nonnegative gates cannot model ``name``; ``needed`` (the narrowest class that can, when
    known) is named as the way out.

    Examples
    --------
    >>> err = not_star_free("t6", Witness((), ("0",), (), 3), needed="complex")
    >>> str(err).split(". ")[-1][:54], err.witness.period
    ('Pass --gates complex (or auto) for a complex construct', 3)
    """
    way_out = "" if needed is None else (
        f". Pass --gates {needed} (or auto) for a {needed} construction, or run `ssmproof "
        "refute` on any nonnegative SSM to see it err")
    return NotStarFreeError(
        f"{name}: not star-free: {describe(witness)}; so no SSM with nonnegative gates models "
        f"it at finite precision (Sarrof et al. 2024, Theorems 2 and 4){way_out}", witness)


def weak_gates(name: str, witness: Witness) -> WeakGatesError:
    """Signed gates cannot model ``name``: ``witness`` has an odd period."""
    return WeakGatesError(
        f"{name}: signed gates cannot model it: {describe(witness)}, an odd period; a real "
        "diagonal gate's orbit under a fixed word has period 1 or 2, so every real diagonal SSM "
        "answers u·wⁿ·v with a power-of-2 period at finite precision (Grazzi et al. 2025; "
        "Sarrof et al. 2024, Thm 2). Pass --gates complex (or auto)", witness)


def not_solvable(name: str, group: GroupInfo) -> NotSolvableError:
    """No diagonal SSM models ``name``: its syntactic monoid holds the non-solvable ``group``."""
    return NotSolvableError(
        f"{name}: the syntactic monoid contains the non-solvable group {group.name} "
        f"(order {group.order}; e.g. the word {' '.join(group.example) or 'ε'} lies in it): no "
        "diagonal SSM, real or complex, of any fixed depth recognizes this language unless "
        "TC⁰ = NC¹ (Merrill, Petty & Sabharwal 2024, 'The Illusion of State in State-Space "
        "Models'; Barrington 1989: the word problem of a non-solvable group is "
        "NC¹-complete)", group.name, group.order)
