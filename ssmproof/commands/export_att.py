"""``ssmproof export-att SPEC -o OUT.att [--minimize]``: a DFA as an AT&T acceptor and symbols."""

from __future__ import annotations

import argparse

from ssmproof.commands import common

HELP = "write a spec's DFA as an AT&T (OpenFST text) acceptor, with its symbol table beside it"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", help="a spec file or zoo name (a regular language)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.att",
                   help="the AT&T file (.att or .fst.txt); the symbol table goes to OUT.syms")
    p.add_argument("--minimize", action="store_true",
                   help="write the minimal DFA instead of the spec's own states")


def handle(args: argparse.Namespace) -> int:
    from ssmproof.lang import att, dfa
    from ssmproof.lang import spec as specs

    automaton = specs.to_dfa(specs.resolve(args.spec))
    if args.minimize:
        automaton = dfa.minimize(automaton)
    written, table = att.write(automaton, args.output)
    common.out(f"wrote {written} ({len(automaton.states)} states, "
               f"{len(automaton.alphabet)} symbols) and its symbol table {table}")
    return 0
