"""``ssmproof verify``: check a construction against a language; exit 0/1/2/3 (DESIGN §4)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ssmproof.commands import common

if TYPE_CHECKING:
    from ssmproof.ssm.program import SSM

HELP = "check a construction against a language and print the certificate"


def configure(p: argparse.ArgumentParser) -> None:
    common.add_ssm_against(p)
    p.add_argument("--mode", choices=["recognize", "predict"],
                   help="default: the construction's own mode")
    p.add_argument("--prove", action="store_true", help="all-length proof by product BFS")
    p.add_argument("--exhaustive", type=common.nonneg_int, metavar="N",
                   help="every string up to length N")
    p.add_argument("--random", type=common.nonneg_int, metavar="K", help="K random words")
    p.add_argument("--max-length", type=common.nonneg_int, metavar="L",
                   help="longest random word (default 200)")
    p.add_argument("--format", default="exact", help="exact, fixed:I.P, float16, bfloat16, "
                   "float32, float64, int:P")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-configurations", type=common.positive_int, default=10**6, metavar="M")
    p.add_argument("--recheck", action="store_true",
                   help="re-run the certificate's claim with the independent checker "
                        "(ssmproof check); a disagreement exits 1")
    p.add_argument("--invariant", nargs="?", const="", metavar="RELATION",
                   help="prove for all lengths by an inductive invariant (docs/verification.md): "
                   "the relation the construction's recipe emits, or a relation file "
                   "(ssmproof-relation/2, or the older /1)")
    p.add_argument("--write-relation", metavar="FILE",
                   help="with --invariant: write the relation checked, its states named in the "
                   "spec's terms (ssmproof-relation/2)")
    p.add_argument("--json", action="store_true")


def handle(args: argparse.Namespace) -> int:
    from ssmproof.verify.api import verify

    ssm, lang = common.load_ssm_against(args)
    _refuse_what_a_smooth_model_cannot_do(ssm, args)
    _warn_if_the_proof_cannot_close(ssm, lang, args)
    relation = None
    if args.write_relation and args.invariant is None:
        from ssmproof.errors import SsmproofError

        raise SsmproofError("--write-relation: writes the relation --invariant checks; add "
                            "--invariant")
    if args.invariant is not None:
        cert, relation = _invariant(ssm, lang, args)
    else:
        cert = verify(ssm, lang, fmt=args.format, mode=args.mode, prove=args.prove,
                      exhaustive=args.exhaustive, random=args.random, max_length=args.max_length,
                      seed=args.seed, max_configurations=args.max_configurations,
                      progress=not args.json)
    recheck = _recheck(cert, args, relation) if args.recheck else None
    if args.json:
        common.emit_json(cert.to_dict() | ({"recheck": recheck.to_dict()} if recheck else {}))
    else:
        common.out(cert.summary())
        for note in (*cert.notes, *cert.findings):
            common.out(f"  note: {note}")
        if recheck is not None:
            common.out(f"  recheck: {recheck.summary()}")
    if recheck is not None and recheck.status == "disagreement":
        return 1
    return {True: 0, False: 1, None: 3}[cert.holds]


def _refuse_what_a_smooth_model_cannot_do(ssm: SSM, args: argparse.Namespace) -> None:
    """An imported Mamba (``ssmproof-ssm/3``) runs only on the rational Machine, ~0.1 s a
    position: no invariant proof, no independent re-check yet, and no unbudgeted default."""
    if args.invariant is not None:
        common.refuse_smooth_file(args.ssm, ssm, "the inductive-invariant proof covers "
                                  "ReLU/linear models only", "drop --invariant and give "
                                  "--exhaustive N or --random K --max-length L")
    if args.recheck and args.prove and not _checker_reads_smooth():
        common.refuse_smooth_file(args.ssm, ssm, "the independent checker (ssmproof check) "
                                  "does not read this format yet", "drop --recheck")
    if not (args.prove or args.exhaustive is not None or args.random is not None):
        common.refuse_smooth_file(args.ssm, ssm, "verify without a method would run a proof "
                                  "over up to 10^6 configurations (or 12-length exhaustive "
                                  "and 1,000 random words) on the rational simulator, hours "
                                  "at ~0.1 s a position", "give a method: --exhaustive N, "
                                  "--random K --max-length L, or --prove --max-configurations M")


def _checker_reads_smooth() -> bool:
    """Whether the independent checker reads ``ssmproof-ssm/3`` (its ``FORMATS``, once any)."""
    from ssmproof.check import model  # keeps start-up light: only with --recheck --prove

    known = getattr(model, "FORMATS", (model.FORMAT, model.FORMAT_COMPLEX))
    return "ssmproof-ssm/3" in known


def _warn_if_the_proof_cannot_close(ssm: object, lang: object,
                                    args: argparse.Namespace) -> None:
    """Before a long silent search: an exact proof of a decaying channel never closes."""
    proving = args.prove or (args.exhaustive is None and args.random is None
                             and args.invariant is None and getattr(lang, "regular", False))
    if not (proving and args.format == "exact" and getattr(ssm, "parameters", ())):
        return
    from ssmproof.compiler import decay  # keeps start-up light: parameters only

    note = decay.exact_proof_note(ssm)  # type: ignore[arg-type]
    if note:
        sys.stderr.write(f"ssmproof: note: {note}\n")


def _recheck(cert: object, args: argparse.Namespace, relation: object = None):  # noqa: ANN202
    """The independent checker (a check.Verdict) on the certificate just made, from the files
    on disk; an invariant certificate also hands over the relation it rests on, as JSON (states
    named in the spec's terms, ``ssmproof-relation/2``, where the language can name them)."""
    import json

    from ssmproof.check import check_data
    from ssmproof.check.inputs import read_document
    from ssmproof.ssm import relation as relation_file

    rel = json.loads(relation_file.to_json(relation)) if relation is not None else None  # type: ignore[arg-type]
    return check_data(json.loads(cert.to_json()), read_document(args.ssm, "SSM file"),  # type: ignore[attr-defined]
                      args.against, cert_path="<this certificate>", ssm_path=args.ssm,
                      relation=rel, relation_path=args.invariant or "<the recipe's relation>")


def _invariant(ssm: object, lang: object, args: argparse.Namespace) -> tuple[object, object]:
    """The invariant certificate, and the relation it rests on (named where possible)."""
    from ssmproof.verify import invariant

    return invariant.from_files(ssm, lang, against=args.against,  # type: ignore[arg-type]
                                relation_path=args.invariant or None, fmt=args.format,
                                mode=args.mode, write_to=args.write_relation)
