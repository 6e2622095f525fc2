"""``ssmproof refute`` on every signed or complex construction of the committed gallery: the
impossibility argument needs every gate real and ≥ 0, so it must say "does not apply" (exit 1),
name the gate it met, and never claim an error (these constructions are proved correct)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ssmproof import cli

ROOT = Path(__file__).resolve().parents[2]
GALLERY = sorted(p for p in (ROOT / "constructions").glob("*/*.json")
                 if p.stem.endswith(("-signed", "-complex")))


def _spec(construction: Path) -> Path:
    """The spec file the gallery built the construction from (automata/NAME.json or .toml)."""
    name = construction.parent.name
    return next(ROOT / "automata" / f"{name}{ext}" for ext in (".json", ".toml")
                if (ROOT / "automata" / f"{name}{ext}").exists())


def test_the_gallery_has_signed_and_complex_constructions_of_both_modes() -> None:
    # 6 signed languages (parity, aa_star, aaaa_star, abab_star, tomita3, tomita5) and 5 complex
    # ones (tomita6, count_a_mod3, count_a_mod5, a_even_b_mod3, s3_word_problem), two modes each
    assert sum(p.stem.endswith("-signed") for p in GALLERY) == 12
    assert sum(p.stem.endswith("-complex") for p in GALLERY) == 10


@pytest.mark.parametrize("construction", GALLERY,
                         ids=[f"{p.parent.name}/{p.stem}" for p in GALLERY])
def test_refute_does_not_apply_to_signed_or_complex_gallery_constructions(
        construction: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["refute", str(construction), "--against", str(_spec(construction)),
                     "--json"])
    answer = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (answer["found"], answer["status"], answer["n"]) == (False, "not_applicable", None)
    reason = answer["reason"]
    if construction.stem.endswith("-signed"):
        assert "< 0" in reason, reason
    else:  # a complex construction may meet a sign flip (an S3 or Z2 × Z3 digit) first
        assert "not real" in reason or "< 0" in reason, reason
