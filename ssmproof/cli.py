"""The ``ssmproof`` command line (DESIGN §7): a thin driver over :mod:`ssmproof.commands`.

Each subcommand is a module in ``ssmproof/commands/`` with ``HELP``, ``configure(parser)`` and
``handle(args) -> exit code``. Bad input of any kind surfaces as one line
``ssmproof: <file>: <field>: <problem>; <fix>`` and exit 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ssmproof.commands import COMMANDS
from ssmproof.errors import SsmproofError

__all__ = ["main"]


def _parser(chosen: str | None) -> argparse.ArgumentParser:
    """The parser; only the ``chosen`` subcommand gets its options, because configuring one
    may import its machinery (``refute`` reads defaults from ``refute.stabilise``) and start-up
    should cost only what the command run needs (``ssmproof --help`` imports none of it)."""
    p = argparse.ArgumentParser(
        prog="ssmproof",
        description="Compile automata into exact SSM weights, verify them, refute the impossible.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"ssmproof.commands.{name.replace('-', '_')}")
        sp = sub.add_parser(name, help=module.HELP, description=module.HELP)
        if name == chosen:
            module.configure(sp)
        sp.set_defaults(handle=module.handle)
    return p


def _command(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv`` (the first word that is not an option), if any."""
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (the ``ssmproof`` console script wraps it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser(_command(argv)).parse_args(argv)
    except SystemExit as exc:  # argparse: --help exits 0, usage errors 2
        return int(exc.code or 0)
    try:
        return int(args.handle(args))
    except SsmproofError as err:
        sys.stderr.write(f"ssmproof: {err}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("ssmproof: interrupted\n")
        return 130


def console() -> None:
    sys.exit(main())


if __name__ == "__main__":
    console()
