"""Sweep results as files people read: ``results.csv`` and ``summary.md``.

CSV, not Parquet: the rows are small (one per language × mode × format), CSV opens in every tool
(``pandas.read_csv``, a spreadsheet, ``csvkit``) and needs no pyarrow. Cells: empty for a missing
value, ``true``/``false`` for booleans, numbers as Python writes them. Rows are sorted by
(language, mode, format, gates), so two sweeps of the same tasks give the same file up to the
``seconds`` column.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ssmproof.sweep.tasks import COLUMNS, OUTCOMES

__all__ = ["to_csv", "from_csv", "sort_rows", "summary_markdown", "class_of"]

_INTS = ("states", "monoid_size", "layers", "state_dims", "configurations")
_FLOATS = ("bits", "lower_bound_bits", "seconds", "cpu_seconds")
_BOOLS = ("regular", "star_free", "all_lengths")


def sort_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (str(r["language"]), r["mode"], r["format"], r["gates"]))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """The rows as CSV text with the :data:`~ssmproof.sweep.tasks.COLUMNS` header.

    Examples
    --------
    >>> text = to_csv([{"language": "x", "mode": "recognize", "format": "exact",
    ...                 "gates": "auto", "outcome": "holds", "all_lengths": True, "states": 3}])
    >>> from_csv(text)[0]["all_lengths"], from_csv(text)[0]["states"], from_csv(text)[0]["bits"]
    (True, 3, None)
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sort_rows(rows):
        writer.writerow([_cell(row.get(c)) for c in COLUMNS])
    return out.getvalue()


def from_csv(text: str) -> list[dict[str, Any]]:
    """Read :func:`to_csv`'s text back into typed rows."""
    rows = []
    for raw in csv.DictReader(io.StringIO(text)):
        row: dict[str, Any] = {c: (raw.get(c) or None) for c in COLUMNS}
        for c in _INTS:
            row[c] = None if row[c] is None else int(row[c])
        for c in _FLOATS:
            row[c] = None if row[c] is None else float(row[c])
        for c in _BOOLS:
            row[c] = None if row[c] is None else row[c] == "true"
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------- summary
def summary_markdown(rows: Sequence[dict[str, Any]], *, title: str = "ssmproof sweep",
                     notes: Sequence[str] = ()) -> str:
    """A Markdown summary: outcomes per (mode, format), per gate class needed, and sizes."""
    languages = sorted({r["language"] for r in rows})
    lines = [f"# {title}", "", f"{len(languages)} languages, {len(rows)} tasks "
             f"(one row per language × mode × format × gates in `results.csv`).", ""]
    lines += [f"- {n}" for n in notes]
    if notes:
        lines.append("")
    lines += _outcome_table(rows, lambda r: f"{r['mode']}, {r['format']}, gates {r['gates']}",
                            "mode, format, gates")
    lines += _outcome_table(rows, lambda r: class_of(r), "gate class needed")
    lines += _size_table(rows)
    lines += _reasons(rows)
    return "\n".join(lines) + "\n"


def class_of(row: dict[str, Any]) -> str:
    """The gate class a row's language needs (``not regular`` for the counter languages)."""
    if row.get("regular") is False:
        return "not regular"
    return row.get("gates_needed") or "unknown"


def _outcome_table(rows: Sequence[dict[str, Any]], key: Any, label: str) -> list[str]:
    groups: dict[str, Counter[str]] = {}
    for r in rows:
        groups.setdefault(key(r), Counter())[r["outcome"]] += 1
    head = f"| {label} | tasks | " + " | ".join(OUTCOMES) + " |"
    lines = [f"## Outcomes by {label}", "", head, "|" + " --- |" * (len(OUTCOMES) + 2)]
    for name in sorted(groups):
        c = groups[name]
        lines.append(f"| {name} | {sum(c.values())} | " +
                     " | ".join(str(c.get(o, 0)) for o in OUTCOMES) + " |")
    total = Counter(r["outcome"] for r in rows)
    lines.append(f"| **all** | {len(rows)} | " + " | ".join(str(total.get(o, 0))
                                                          for o in OUTCOMES) + " |")
    return [*lines, ""]


def _size_table(rows: Sequence[dict[str, Any]]) -> list[str]:
    held = [r for r in rows if r["outcome"] == "holds"]
    lines = ["## Constructions proved for all lengths", ""]
    if not held:
        return [*lines, "None.", ""]
    lines += ["| gate class needed | rows | DFA states (median, max) | layers (median, max) | "
              "state dims (median, max) | configurations (median, max) | bits − lower bound "
              "(median) | proof seconds (median, max) |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    by_class: dict[str, list[dict[str, Any]]] = {}
    for r in held:
        by_class.setdefault(class_of(r), []).append(r)
    for name, group in sorted(by_class.items()):
        gap = [r["bits"] - r["lower_bound_bits"] for r in group
               if r["bits"] is not None and r["lower_bound_bits"] is not None]
        lines.append(f"| {name} | {len(group)} | {_mm(group, 'states')} | {_mm(group, 'layers')} "
                     f"| {_mm(group, 'state_dims')} | {_mm(group, 'configurations')} | "
                     f"{_num(statistics.median(gap)) if gap else '—'} | "
                     f"{_mm(group, 'seconds')} |")
    return [*lines, ""]


def _mm(rows: Sequence[dict[str, Any]], column: str) -> str:
    values = [r[column] for r in rows if r[column] is not None]
    if not values:
        return "—"
    return f"{_num(statistics.median(values))}, {_num(max(values))}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.3g}"


def _reasons(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The most common reasons for every outcome other than holds (first clause of each)."""
    other = [r for r in rows if r["outcome"] != "holds"]
    if not other:
        return []
    counts = Counter((r["outcome"], _gist(r["reason"] or "")) for r in other)
    lines = ["## Why the others did not hold (most common reasons)", "",
             "| outcome | reason | tasks |", "| --- | --- | --- |"]
    for (outcome, gist), n in counts.most_common(12):
        lines.append(f"| {outcome} | {gist.replace('|', '/')} | {n} |")
    return [*lines, ""]


def _gist(reason: str) -> str:
    """A reason without its language-specific details (words, counts), to group similar ones.

    Examples
    --------
    >>> _gist("not star-free (period 2 for u = 1); and no signed recipe applies: letter '0' ...")
    'not star-free; and no signed recipe applies'
    >>> _gist("FAILS on [( ( )] (prove, fixed:2.0)")
    'FAILS on'
    >>> _gist("--gates complex: choose one of ['signed'] (no recipe here produces complex gates)")
    '--gates complex: choose one of (no recipe here produces complex gates)'
    """
    text = re.sub(r"\s*\([^()]*[0-9=][^()]*\)|\s*\[[^\]]*\]", "", reason)
    clauses = []
    for clause in text.split("; ")[:2]:
        head = clause.split(": ")[0]
        clauses.append(head if len(head.split()) >= 3 else clause)
    return "; ".join(clauses)[:120]
