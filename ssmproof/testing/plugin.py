"""A pytest plugin: zoo-language fixtures and a run-wide choice of arithmetic formats.

Installed through the ``pytest11`` entry point ``ssmproof = "ssmproof.testing.plugin"``, so a
user's tests get, with no conftest:

- ``--ssmproof-formats=exact,bfloat16`` (default ``exact``): the arithmetic formats this run
  covers. Every test that asks for the ``ssmproof_format`` fixture runs once per format (ids
  ``[exact]``, ``[bfloat16]``, ...). A name :func:`ssmproof.numerics.formats.parse` rejects is a
  usage error at start-up.
- ``zoo_language``: a zoo language (a :class:`~ssmproof.lang.automaton.Language`) chosen by name,
  either with the marker ``@pytest.mark.zoo("parity", "dyck:2,3")`` (one run per name, ids the
  names) or by indirect parametrization
  (``@pytest.mark.parametrize("zoo_language", [...], indirect=True)``).
- ``zoo_name``: the name ``zoo_language`` was built from.

Example (a user's test file)::

    import pytest
    from ssmproof.testing import assert_recognizes

    @pytest.mark.zoo("tomita:1")
    def test_my_construction(zoo_language, ssmproof_format):
        assert_recognizes("tomita1.ssm.json", zoo_language, format=ssmproof_format)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ssmproof.errors import SsmproofError

if TYPE_CHECKING:
    from ssmproof.lang.automaton import Language

__all__ = ["OPTION", "DEFAULT_FORMATS", "parse_formats", "pytest_addoption", "pytest_configure",
           "pytest_generate_tests", "ssmproof_format", "zoo_language", "zoo_name"]

OPTION = "--ssmproof-formats"
DEFAULT_FORMATS = "exact"


def parse_formats(text: str) -> tuple[str, ...]:
    """Comma-separated format names → canonical names, in order, without repeats.

    Examples
    --------
    >>> parse_formats("exact, fixed:8 ,bfloat16,exact")
    ('exact', 'fixed:16.8', 'bfloat16')
    >>> parse_formats("exact,float8")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ssmproof.errors.FormatError: ...float8...
    """
    from ssmproof.numerics.formats import parse

    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise SsmproofError(f"{OPTION}: no format given; list one or more, e.g. "
                            f"{OPTION}=exact,bfloat16")
    return tuple(dict.fromkeys(str(parse(name)) for name in names))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ssmproof", "ssmproof property testing")
    group.addoption(OPTION, action="store", default=DEFAULT_FORMATS, metavar="F1,F2,...",
                    help="arithmetic formats that tests using the `ssmproof_format` fixture run "
                         "under, comma-separated (exact, fixed:I.P, float16, bfloat16, float32, "
                         "float64, int:P); default: exact")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "zoo(*names): run the test once per zoo language name, given to it as the "
                   "`zoo_language` fixture (and `zoo_name`)")
    try:
        config.stash[_FORMATS] = parse_formats(config.getoption(OPTION))
    except SsmproofError as err:
        raise pytest.UsageError(f"{OPTION}: {err}") from None


_FORMATS = pytest.StashKey[tuple[str, ...]]()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "ssmproof_format" in metafunc.fixturenames and not _parametrized(metafunc,
                                                                         "ssmproof_format"):
        formats = metafunc.config.stash[_FORMATS]
        metafunc.parametrize("ssmproof_format", formats, ids=list(formats))
    names = [n for mark in metafunc.definition.iter_markers("zoo") for n in mark.args]
    if names and not _parametrized(metafunc, "zoo_language"):
        if "zoo_name" not in metafunc.fixturenames:
            raise pytest.UsageError(f"{metafunc.definition.nodeid}: @pytest.mark.zoo needs the "
                                    "test to take the `zoo_language` or `zoo_name` fixture")
        metafunc.parametrize("zoo_name", names, ids=names, indirect=True)


def _parametrized(metafunc: pytest.Metafunc, name: str) -> bool:
    for mark in metafunc.definition.iter_markers("parametrize"):
        argnames = mark.args[0] if mark.args else mark.kwargs.get("argnames", "")
        if isinstance(argnames, str):
            argnames = [a.strip() for a in argnames.split(",")]
        if name in argnames:
            return True
    return False


@pytest.fixture
def ssmproof_format(request: pytest.FixtureRequest) -> str:
    """The arithmetic format of this run (one of ``--ssmproof-formats``)."""
    return str(request.param)


@pytest.fixture
def zoo_name(request: pytest.FixtureRequest) -> str | None:
    """The zoo name this test runs with (from ``@pytest.mark.zoo`` or a parametrization)."""
    name = getattr(request, "param", None)
    if name is None:
        callspec = getattr(request.node, "callspec", None)
        name = callspec.params.get("zoo_language") if callspec is not None else None
    return None if name is None else str(name)


@pytest.fixture
def zoo_language(request: pytest.FixtureRequest, zoo_name: str | None) -> Language:
    """The :class:`Language` of a zoo name (``parity``, ``tomita:3``, ``dyck:2,3``, ``anbn``, ...).

    An unknown or malformed name fails the test with the zoo's own message.
    """
    from ssmproof.lang import spec

    if zoo_name is None:
        pytest.fail(f"{request.node.nodeid}: `zoo_language` needs a zoo name: mark the test "
                    "with @pytest.mark.zoo('parity', ...) or parametrize `zoo_language` with "
                    "indirect=True", pytrace=False)
    try:
        return spec.to_language(spec.resolve(zoo_name))
    except SsmproofError as err:
        pytest.fail(f"zoo_language: {err}", pytrace=False)
