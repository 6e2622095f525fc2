"""The spec as the checker reads it: a JSON/TOML file (table, regex or zoo name) or a zoo name.

A table is taken as written and completed with one rejecting sink (as the verifier takes it, so
that the counts of product pairs agree); a regex or a zoo name gives its minimal DFA.
"""

from __future__ import annotations

import os

from ssmproof.check.automaton import Dfa
from ssmproof.check.inputs import BadInput, need, read_document
from ssmproof.check.regex import regex_dfa
from ssmproof.check.zoo import NOT_REGULAR, dyck_alphabet, zoo_dfa

__all__ = ["load_language", "levels_dfa", "NotRegular"]


class NotRegular(Exception):
    """The spec names a counter language: there is no finite product to re-explore."""


def _looks_like_file(text: str) -> bool:
    return os.path.isfile(text) or text.lower().endswith((".json", ".toml")) or "/" in text \
        or os.sep in text


def _zoo(text: str, where: str) -> Dfa:
    family = text.split(":")[0].strip()
    if family in NOT_REGULAR:
        raise NotRegular(f"'{text}' is not regular")
    try:
        dfa = zoo_dfa(text)
    except ValueError as err:  # more states than the checker materializes
        raise NotRegular(str(err)) from None
    if dfa is None:
        raise BadInput(where, "", f"'{text}' is not a zoo name the checker knows",
                       "give a spec file, or a regular zoo name (ssmproof zoo)")
    return dfa


def _table(data: dict, path: str, alphabet: tuple[str, ...]) -> Dfa:
    states = tuple(need(data, "states", list, path))
    index = {q: i for i, q in enumerate(states)}
    if len(index) != len(states) or not states:
        raise BadInput(path, "states", "is empty or repeats a state", "list each state once")
    start = need(data, "start", str, path)
    accepting = need(data, "accepting", list, path)
    table = need(data, "transitions", dict, path)
    for q in (start, *accepting, *table):
        if q not in index:
            raise BadInput(path, "transitions", f"state {q!r} is not declared", "add it to states")
    rows, sink = [], len(states)
    for q in states:
        row = table.get(q, {})
        for a, t in row.items():
            if a not in alphabet or t not in index:
                raise BadInput(path, f"transitions.{q}.{a}", "unknown symbol or target state",
                               "use declared symbols and states")
        rows.append(tuple(index[row[a]] if a in row else sink for a in alphabet))
    if any(sink in r for r in rows):
        rows.append((sink,) * len(alphabet))
    return Dfa(data["name"], alphabet, index[start], frozenset(index[q] for q in accepting),
               tuple(rows))


def load_language(text: str) -> Dfa:
    """The DFA a spec path or zoo name defines (:class:`NotRegular` for counter languages)."""
    if not _looks_like_file(text):
        return _zoo(text, text)
    data = read_document(text, "spec")
    need(data, "name", str, text)
    defs = [k for k in ("transitions", "regex", "language") if k in data]
    if len(defs) != 1:
        raise BadInput(text, "", "needs exactly one of transitions, regex, language",
                       "define the language one way")
    if defs[0] == "language":
        return _zoo(need(data, "language", str, text), text)
    alphabet = tuple(need(data, "alphabet", list, text))
    if not alphabet or len(set(alphabet)) != len(alphabet) or \
            not all(isinstance(s, str) and s and s not in ("BOS", "EOS") for s in alphabet):
        raise BadInput(text, "alphabet", "is empty, repeats a symbol or uses BOS/EOS",
                       "list each symbol once")
    if defs[0] == "regex":
        return regex_dfa(data["name"], need(data, "regex", str, text), alphabet, text)
    return _table(data, text, alphabet)



def levels_dfa(k: int, h: int) -> Dfa:
    """For ``dyck:K,H`` read by levels: its name and alphabet only (no table is built)."""
    return Dfa(f"dyck_{k}_{h}", dyck_alphabet(k), 0, frozenset(), ())
