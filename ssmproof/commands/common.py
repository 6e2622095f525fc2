"""Helpers shared by subcommands: loading inputs, parsing words, printing."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from ssmproof.errors import SsmproofError
from ssmproof.lang.words import parse_word

if TYPE_CHECKING:
    from ssmproof.lang.automaton import Language
    from ssmproof.ssm.program import SSM

__all__ = ["out", "emit_json", "parse_word", "read_words", "load_ssm", "resolve_language",
           "check_alphabets", "add_ssm_against", "load_ssm_against", "parse_number",
           "nonneg_int", "positive_int", "refuse_smooth_file"]

_N = TypeVar("_N", int, float)


def out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def emit_json(obj: object) -> None:
    out(json.dumps(obj, ensure_ascii=False, sort_keys=True))


def read_words(path: str, alphabet: Sequence[str]) -> list[tuple[str, ...]]:
    """One word per line (an empty line is the empty word)."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
    except (OSError, UnicodeDecodeError) as err:
        raise SsmproofError(f"{path}: cannot read the inputs file ({err}); "
                            "give a UTF-8 text file with one word per line") from None
    if lines and lines[-1] == "":
        lines.pop()
    return [parse_word(line, alphabet, f"{path}: line {i + 1}") for i, line in enumerate(lines)]


def load_ssm(path: str):  # noqa: ANN201 - returns ssmproof.ssm.program.SSM
    from ssmproof.ssm import jsonio

    return jsonio.load(path)


def refuse_smooth_file(path: str, ssm: SSM, what: str, fix: str) -> None:
    """Exit 2 with one line naming the file, its ``format`` and the fix, when ``ssm`` needs
    ``ssmproof-ssm/3`` (smooth activations or product maps) and ``what`` cannot handle it.

    Why here and not only deep inside each path: the command knows the file name and the option
    that would work, and refusing before a long run beats a refusal (or hours) after it.
    """
    from ssmproof.ssm import jsonio, program  # keeps start-up light: used once a file is read

    if program.uses_smooth_maps(ssm):
        raise SsmproofError(f"{path}: format: {jsonio.FORMAT_SMOOTH} (smooth activations or "
                            f"product maps): {what}; {fix}")


def resolve_language(text: str):  # noqa: ANN201 - returns a Language
    from ssmproof.lang import spec

    return spec.to_language(spec.resolve(text))


def check_alphabets(ssm: SSM, lang: Language, path: str) -> None:
    from ssmproof.ssm.validate import check_same_alphabet

    check_same_alphabet(ssm, lang.alphabet, lang.name, path)


def add_ssm_against(p: argparse.ArgumentParser) -> None:
    """The two arguments of every command that judges a construction against a language.

    ``SSM`` (a construction JSON) and ``--against`` (a spec file or zoo name), with one wording
    for ``verify`` and ``refute``; read them back with :func:`load_ssm_against`.
    """
    p.add_argument("ssm", help="construction JSON (format ssmproof-ssm/1)")
    p.add_argument("--against", required=True, help="a spec file or zoo name")


def load_ssm_against(args: argparse.Namespace) -> tuple[SSM, Language]:
    """The construction and the language named by :func:`add_ssm_against`'s arguments.

    Both are loaded and validated, and their alphabets must agree as sets (orders may differ),
    else :class:`~ssmproof.errors.SsmproofError` names the construction's file.
    """
    ssm = load_ssm(args.ssm)
    lang = resolve_language(args.against)
    check_alphabets(ssm, lang, args.ssm)
    return ssm, lang


def parse_number(text: str, convert: Callable[[str], _N], noun: str = "whole number") -> _N:
    """``convert(text)``, or argparse's usage error "'<text>' is not a <noun>".

    The first half of every numeric option type (:func:`nonneg_int`, :func:`positive_int`,
    ``latex --width``); the caller then checks the range with its own message.

    Examples
    --------
    >>> parse_number("12", int), parse_number("2.5", float, "number")
    (12, 2.5)
    >>> parse_number("x", int)
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 'x' is not a whole number
    """
    try:
        return convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a {noun}") from None


def nonneg_int(text: str) -> int:
    value = parse_number(text, int)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def positive_int(text: str) -> int:
    value = parse_number(text, lambda t: int(float(t)) if "e" in t.lower() else int(t))
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not positive")
    return value
