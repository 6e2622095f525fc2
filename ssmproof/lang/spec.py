"""Read a language spec (JSON or TOML) field by field into a frozen, validated :class:`Spec`,
and join specs, zoo names and automata: the one module that knows all three.

Imports run one way: :mod:`~ssmproof.lang.spec_type` (the value and its rules) ←
:mod:`~ssmproof.lang.dfa` ← :mod:`~ssmproof.lang.zoo` ← this module. So a zoo name is resolved
here (:func:`load`), a spec becomes a language or a DFA here (:func:`to_language`,
:func:`to_dfa`), and whatever a user hands the toolkit as "a language" — an automata-lib DFA
included — becomes one here (:func:`language_of`; the conversion itself is
:func:`ssmproof.lang.dfa.native`).

A spec names a language in one of three ways (DESIGN §1):

``transitions``
    an explicit deterministic table: ``states``, ``start``, ``accepting`` and
    ``transitions`` (``{state: {symbol: target}}``). A missing transition goes to an implicit
    rejecting sink, added when the DFA is built.
``regex``
    a regular expression over ``alphabet`` in the syntax of :mod:`ssmproof.lang.regex`.
``language``
    the name of a zoo language (``"dyck:2,3"``, ``"anbn"``, ...); ``alphabet`` may be left out
    and, when given, must equal the zoo language's alphabet.

Every spec also has ``name`` and may have ``description`` and ``source`` (strings). The schema::

    {"name": "tomita3", "description": "...", "source": "Tomita 1982",
     "alphabet": ["0", "1"], "states": ["q0", "q1"], "start": "q0",
     "accepting": ["q0"], "transitions": {"q0": {"0": "q0", "1": "q1"}}}

Validation runs one named check per rule (``_check_*``); each raises
:class:`~ssmproof.errors.SpecError` naming the file, the field and the fix. Nothing in a file is
ever evaluated as code. Stated limits: at most :data:`MAX_STATES` states,
:data:`MAX_SYMBOLS` symbols, :data:`MAX_REGEX_CHARS` regex characters and
:data:`MAX_FILE_BYTES` bytes per file.

Examples
--------
>>> s = from_dict({"name": "ones", "alphabet": ["0", "1"], "regex": "1*"}, path="ones.json")
>>> s.kind.value, s.alphabet
('regex', ('0', '1'))
>>> from_dict({"name": "x", "alphabet": [], "regex": "()"}, path="x.json")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ssmproof.errors.SpecError: x.json: alphabet: the alphabet is empty; list at least one symbol, ...
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ssmproof.errors import SpecError
from ssmproof.lang import dfa, zoo
from ssmproof.lang.automaton import DFA, Language
from ssmproof.lang.dfa import native  # re-exported: the joining module converts, dfa knows how
from ssmproof.lang.spec_type import (
    DEFINITIONS,
    MAX_FILE_BYTES,
    MAX_REGEX_CHARS,
    MAX_STATES,
    MAX_SYMBOLS,
    MISSING_FIX,
    RESERVED_SYMBOLS,
    TABLE_FIELDS,
    Spec,
    SpecKind,
)

try:  # Python ≥ 3.11
    import tomllib as _toml
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as _toml  # type: ignore[no-redef]

__all__ = [
    "Spec",
    "SpecKind",
    "load",
    "resolve",
    "from_dict",
    "to_language",
    "to_dfa",
    "language_of",
    "native",
    "RESERVED_SYMBOLS",
    "MAX_STATES",
    "MAX_SYMBOLS",
    "MAX_REGEX_CHARS",
    "MAX_FILE_BYTES",
]


_FIELDS = ("name", "description", "source", "alphabet", *TABLE_FIELDS, *DEFINITIONS)


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def load(path_or_name: str | os.PathLike[str]) -> Spec:
    """Read a spec file (``.json`` or ``.toml``, or an AT&T acceptor ``.att``/``.fst.txt``, see
    :mod:`ssmproof.lang.att`), or resolve a zoo name, into a :class:`Spec`.

    A text that names an existing file, ends in one of those extensions or contains a path
    separator is read as a file; anything else is looked up in :mod:`ssmproof.lang.zoo`
    (``parity``, ``tomita:3``, ``dyck:2,3``, ...).

    Parameters
    ----------
    path_or_name : str or os.PathLike
        A spec file or a zoo name.

    Returns
    -------
    Spec

    Raises
    ------
    SpecError
        The file is missing, unreadable, not JSON/TOML, or breaks a rule; or the name is unknown
        or has bad parameters. The message names the file, the field and the fix.

    Examples
    --------
    >>> load("tomita:3").alphabet
    ('0', '1')
    >>> load("no_such_language")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ssmproof.errors.SpecError: no_such_language: unknown language name; ...
    """
    text = os.fspath(path_or_name)
    if _looks_like_file(text):
        return _load_file(Path(text))
    return zoo.spec(text)


def resolve(text: str) -> Spec:
    """The same as :func:`load`: a spec file path or a zoo name → :class:`Spec` (CLI wording).

    Examples
    --------
    >>> resolve("parity").name
    'parity'
    """
    return load(text)


def from_dict(raw: object, *, path: str = "<spec>") -> Spec:
    """Validate an already-parsed spec object (as JSON or TOML would give) into a :class:`Spec`.

    Examples
    --------
    >>> from_dict({"name": "d", "language": "dyck:1,2"}, path="d.json").alphabet
    ('(', ')')
    """
    for check in _RAW_CHECKS:
        check(raw, path)
    assert isinstance(raw, Mapping)
    return _build(raw, path)


def to_language(spec: Spec) -> Language:
    """Build the language a spec defines: a :class:`~ssmproof.lang.automaton.DFA` for tables
    and regexes, the zoo's object for named languages (a DFA, a bounded-Dyck language, or a
    non-regular counter language).

    Examples
    --------
    >>> lang = to_language(load("parity"))
    >>> lang.regular, lang.accepts(("1", "1"))
    (True, True)
    >>> to_language(load("anbn")).regular
    False
    """
    if spec.kind is SpecKind.NAMED:
        assert spec.language is not None
        return zoo.language(spec.language)
    return dfa.from_spec(spec)


def to_dfa(spec: Spec) -> DFA:
    """The DFA a spec defines: its table completed with a rejecting sink, its regex's minimal
    DFA, or the (materialised) DFA of a regular zoo language.

    Raises
    ------
    SpecError
        The regex cannot be read, or the named language is not regular or too large.

    Examples
    --------
    >>> to_dfa(load("parity")).states
    ('even', 'odd')
    """
    if spec.kind is not SpecKind.NAMED:
        return dfa.from_spec(spec)
    assert spec.language is not None
    lang = zoo.language(spec.language)
    if isinstance(lang, DFA):
        return lang
    if not lang.regular:
        raise SpecError(spec.path, "language", f"'{spec.language}' is not regular, so it has "
                        "no DFA", "use spec.to_language for its step function")
    return dfa.from_language(lang, path=spec.path, state_name=getattr(lang, "state_name", None))


def language_of(x: object) -> Language:
    """A :class:`Language` from a language (a DFA, a zoo language), an automata-lib DFA, a
    :class:`Spec`, a spec path or a zoo name.

    Raises
    ------
    SpecError
        ``x`` is none of these, or the file or name cannot be read.

    Examples
    --------
    >>> language_of("tomita:1").accepts(("1", "1"))
    True
    >>> language_of(42)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ssmproof.errors.SpecError: <int>: a int is not a language; pass a spec path, a zoo name, ...
    """
    x = dfa.native(x)
    if isinstance(x, (str, os.PathLike)):
        x = load(x)
    if isinstance(x, Spec):
        return to_language(x)
    if isinstance(x, Language):
        return x
    kind = type(x).__name__
    raise SpecError(f"<{kind}>", "", f"a {kind} is not a language",
                    "pass a spec path, a zoo name, a Spec, a DFA (this toolkit's or "
                    "automata-lib's) or a zoo language")


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


def _looks_like_file(text: str) -> bool:
    lowered = text.lower()
    return (
        os.path.isfile(text)
        or lowered.endswith((".json", ".toml", *_ATT_EXTENSIONS))
        or "/" in text
        or os.sep in text
    )


def _load_file(path: Path) -> Spec:
    where = str(path)
    _check_file_exists(path, where)
    if where.lower().endswith(_ATT_EXTENSIONS):
        from ssmproof.lang import att  # keeps start-up light: automata-lib, for .att files only

        return att.load(path)
    _check_extension(path, where)
    _check_file_size(path, where)
    raw = _PARSERS[path.suffix.lower()](_read_text(path, where), where)
    return from_dict(raw, path=where)


def _check_file_exists(path: Path, where: str) -> None:
    if not path.is_file():
        raise SpecError(where, "", "no such file", "check the path, or use a zoo name "
                        "(`ssmproof zoo` lists them)")


def _check_extension(path: Path, where: str) -> None:
    if path.suffix.lower() not in _PARSERS:
        raise SpecError(where, "", f"unknown file type '{path.suffix}'",
                        "save the spec as .json or .toml (or an AT&T acceptor as .att)")


def _check_file_size(path: Path, where: str) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SpecError(where, "", f"file has {size:,} bytes, above the limit of "
                        f"{MAX_FILE_BYTES:,}", "describe the language by a regex or split it")


def _read_text(path: Path, where: str) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise SpecError(where, "", f"not UTF-8 text (byte {err.start})",
                        "save the file as UTF-8") from None


class _Object(dict):  # type: ignore[type-arg]
    """A JSON object that remembers keys given more than once (JSON itself keeps the last)."""

    duplicates: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    seen: list[str] = []
    for key, value in pairs:
        if key in obj:
            seen.append(key)
        obj[key] = value
    obj.duplicates = tuple(seen)
    return obj


def _parse_json(text: str, where: str) -> object:
    try:
        return json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as err:
        raise SpecError(where, "", f"not valid JSON (line {err.lineno}, column {err.colno}: "
                        f"{err.msg})", "fix the JSON syntax there") from None
    except RecursionError:
        raise SpecError(where, "", "not valid JSON (nested too deeply)",
                        "flatten the file") from None


def _parse_toml(text: str, where: str) -> object:
    try:
        return _toml.loads(text)
    except _toml.TOMLDecodeError as err:
        raise SpecError(where, "", f"not valid TOML ({err})", "fix the TOML syntax there") from None


_PARSERS: dict[str, Callable[[str, str], object]] = {".json": _parse_json, ".toml": _parse_toml}
_ATT_EXTENSIONS = (".att", ".fst.txt")  # read by ssmproof.lang.att (its EXTENSIONS)


# --------------------------------------------------------------------------------------------
# Raw checks: the shape of the parsed object (one rule each)
# --------------------------------------------------------------------------------------------


def _check_top_level_object(raw: object, path: str) -> None:
    if not isinstance(raw, Mapping):
        raise SpecError(path, "", f"the top level is {_describe(raw)}, not an object",
                        'write the spec as one object: {"name": ..., "alphabet": [...], ...}')


def _check_duplicate_keys(raw: object, path: str) -> None:
    for field, obj in _walk_objects(raw, ""):
        for key in getattr(obj, "duplicates", ()):
            where = f"{field}.{key}" if field else key
            raise SpecError(path, where, "given more than once",
                            "keep one entry (JSON would silently use the last)")


def _walk_objects(value: object, field: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(value, Mapping):
        yield field, value
        for key, sub in value.items():
            yield from _walk_objects(sub, f"{field}.{key}" if field else str(key))


def _check_known_fields(raw: Mapping[str, Any], path: str) -> None:
    for key in raw:
        if key not in _FIELDS:
            close = difflib.get_close_matches(str(key), _FIELDS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(_FIELDS)}"
            raise SpecError(path, str(key), "unknown field", f"remove it ({hint})")


def _check_one_definition(raw: Mapping[str, Any], path: str) -> None:
    given = [f for f in DEFINITIONS if f in raw]
    if len(given) > 1:
        raise SpecError(path, given[1], f"both '{given[0]}' and '{given[1]}' define the language",
                        "keep exactly one of transitions, regex, language")
    if not given and "states" not in raw:
        raise SpecError(path, "transitions", "missing: the spec does not define a language",
                        "add 'transitions' (with states, start, accepting), 'regex' or 'language'")


def _check_table_has_states(raw: Mapping[str, Any], path: str) -> None:
    """``"transitions": {}`` is present (an empty table is allowed); say so when what is
    really missing is a state for it to start from."""
    if raw.get("transitions") == {} and raw.get("states") == []:
        raise SpecError(path, "states", "empty, and `transitions` is given but empty ({}): the "
                        "table has no state to start in",
                        "list the states in `states` (with `start` among them); `transitions` "
                        "may stay {} — every symbol then leads to the rejecting sink")


def _check_required_fields(raw: Mapping[str, Any], path: str) -> None:
    required = ["name"]
    if "language" not in raw:
        required.append("alphabet")
    if "regex" not in raw and "language" not in raw:
        required += list(TABLE_FIELDS)
    for field in required:
        if field not in raw:
            raise SpecError(path, field, "missing required field", MISSING_FIX[field])


def _check_nondeterminism(raw: Mapping[str, Any], path: str) -> None:
    rows = raw.get("transitions")
    if not isinstance(rows, Mapping):
        return
    for q, row in rows.items():
        if not isinstance(row, Mapping):
            continue
        for a, target in row.items():
            if isinstance(target, list):
                raise SpecError(path, f"transitions.{q}.{a}",
                                f"{len(target)} targets {target}: a DFA has exactly one target "
                                "per state and symbol",
                                "write one target as a string (merge the targets into one "
                                "state, or describe the language with a regex)")


def _check_field_types(raw: Mapping[str, Any], path: str) -> None:
    for field, checker in _TYPE_CHECKERS.items():
        if field in raw:
            checker(raw[field], path, field)


def _expect_string(value: object, path: str, field: str) -> None:
    if not isinstance(value, str):
        raise SpecError(path, field, f"expected a string, got {_describe(value)}",
                        f"write it in quotes, e.g. \"{value}\"" if _is_scalar(value)
                        else "write a single string")


def _expect_string_list(value: object, path: str, field: str) -> None:
    if not isinstance(value, list):
        raise SpecError(path, field, f"expected a list of strings, got {_describe(value)}",
                        'write a list, e.g. ["a", "b"]')
    for i, item in enumerate(value):
        _expect_string(item, path, f"{field}[{i}]")


def _expect_table(value: object, path: str, field: str) -> None:
    if not isinstance(value, Mapping):
        raise SpecError(path, field, f"expected an object of objects, got {_describe(value)}",
                        'write {"state": {"symbol": "target", ...}, ...}')
    for q, row in value.items():
        if not isinstance(row, Mapping):
            raise SpecError(path, f"{field}.{q}", f"expected an object, got {_describe(row)}",
                            'write {"symbol": "target", ...}')
        for a, target in row.items():
            _expect_string(target, path, f"{field}.{q}.{a}")


_TYPE_CHECKERS: dict[str, Callable[[object, str, str], None]] = {
    "name": _expect_string,
    "description": _expect_string,
    "source": _expect_string,
    "alphabet": _expect_string_list,
    "states": _expect_string_list,
    "start": _expect_string,
    "accepting": _expect_string_list,
    "transitions": _expect_table,
    "regex": _expect_string,
    "language": _expect_string,
}


def _check_raw_sizes(raw: Mapping[str, Any], path: str) -> None:
    for field, limit, fix in _RAW_LIMITS:
        value = raw.get(field)
        if isinstance(value, (list, str, Mapping)) and len(value) > limit:
            raise SpecError(path, field, f"{len(value):,} entries, above the stated limit of "
                            f"{limit:,}", fix)


_RAW_LIMITS = (
    ("alphabet", MAX_SYMBOLS, "use at most 1,000 symbols"),
    ("states", MAX_STATES, "use at most 100,000 states (minimize first, or use a regex)"),
    ("transitions", MAX_STATES, "use at most 100,000 states (minimize first, or use a regex)"),
    ("regex", MAX_REGEX_CHARS, "shorten the regex to at most 100,000 characters"),
)

_RAW_CHECKS: tuple[Callable[..., None], ...] = (
    _check_top_level_object,
    _check_duplicate_keys,
    _check_known_fields,
    _check_one_definition,
    _check_required_fields,
    _check_table_has_states,
    _check_nondeterminism,
    _check_field_types,
    _check_raw_sizes,
)


def _build(raw: Mapping[str, Any], path: str) -> Spec:
    alphabet = raw.get("alphabet")
    if "language" in raw:
        alphabet = _check_named_language(raw["language"], alphabet, path)
    rows = raw.get("transitions", {})
    return Spec(
        name=raw["name"], alphabet=tuple(alphabet or ()), path=path,
        description=raw.get("description", ""), source=raw.get("source", ""),
        states=tuple(raw.get("states", ())), start=raw.get("start"),
        accepting=tuple(raw.get("accepting", ())),
        transitions=tuple((q, a, t) for q, row in rows.items() for a, t in row.items()),
        regex=raw.get("regex"), language=raw.get("language"),
    )


def _check_named_language(name: str, alphabet: list[str] | None, path: str) -> list[str]:
    """The zoo must know ``name``; a given alphabet must be the zoo language's, in its order."""
    try:
        known = list(zoo.spec(name).alphabet)
    except SpecError as err:
        raise SpecError(path, "language", f"'{name}': {err.problem}", err.fix) from None
    if alphabet is not None and alphabet != known:
        raise SpecError(path, "alphabet", f"{alphabet} differs from the alphabet of '{name}', "
                        f"{known}", f"write {known} or leave `alphabet` out")
    return known


def _describe(value: object) -> str:
    names = {bool: "a boolean", int: "the number", float: "the number", type(None): "null",
             list: "a list", dict: "an object", _Object: "an object", str: "the string"}
    label = names.get(type(value), type(value).__name__)
    return f"{label} {value!r}" if _is_scalar(value) else label


def _is_scalar(value: object) -> bool:
    return isinstance(value, (int, float, str)) and not isinstance(value, bool)


