"""``ssmproof build``: the reproducible gallery under ``constructions/`` (DESIGN §6).

For every spec in ``automata/``: classify it, compile what can be compiled (star-free → the
nonnegative constructions in both modes; otherwise a signed-gate construction where one exists),
verify each (a proof where it closes, else the strongest bounded check), and write per language
the construction JSON, its LaTeX and its certificate, plus one index ``constructions/README.md``.

Languages build in parallel worker processes on the sweep's Dask engine
(:mod:`ssmproof.sweep.pool`: serial with ``jobs=1``, a local cluster otherwise, or an existing
cluster given by ``scheduler``); each language's texts are produced completely before any
file is written, and each file is written atomically, so a failed language leaves no partial file
and the others still build. Nothing volatile (wall times, versions, hosts) enters a committed file,
so ``build --check`` compares byte for byte; the LaTeX depends on sympy's printer, so the manifest
records the sympy version and ``--check`` compares ``.tex`` files only under that version.

Every certificate is re-checked, as it is made, by the independent checker
(:mod:`ssmproof.check`) from the texts about to be written; ``LanguageBuild.checks`` records each
verdict and the command fails on any disagreement.
"""

from __future__ import annotations

import glob
import hashlib
import json
import math
import os
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ssmproof import atomic
from ssmproof.errors import ArtifactDriftError, CompileError, SsmproofError
from ssmproof.lang.automaton import DFA, Language

if TYPE_CHECKING:  # annotations only: the pipeline's modules load on use
    from ssmproof.ssm.program import SSM
    from ssmproof.verify.certificate import Certificate

__all__ = ["Variant", "LanguageBuild", "build", "check", "check_and_recheck", "build_language",
           "spec_paths", "recheck_summary"]

BUILD_BUDGET = 50_000  # configurations a gallery proof may explore before falling back
FINITE_FALLBACK = "bfloat16"  # the format tried when an exact proof cannot close


@dataclass(frozen=True)
class Variant:
    """One construction of a language in the gallery."""

    mode: str
    gates: str
    lag: bool = True

    @property
    def stem(self) -> str:
        return f"{self.mode}-{self.gates}" + ("" if self.lag else "-nolag")


@dataclass
class LanguageBuild:
    """Everything the gallery holds for one language (texts not yet written)."""

    name: str
    spec_path: str
    files: dict[str, str] = field(default_factory=dict)  # relative path -> text
    rows: list[dict[str, object]] = field(default_factory=list)
    classification: dict[str, object] = field(default_factory=dict)
    checks: list[dict[str, object]] = field(default_factory=list)  # the checker's verdicts
    error: str | None = None


def spec_paths(root: str = "automata") -> list[str]:
    paths = sorted(p for ext in ("json", "toml") for p in glob.glob(os.path.join(root, f"*.{ext}")))
    if not paths:
        raise SsmproofError(f"{root}: no spec files (*.json, *.toml) found; "
                            "run from the project folder or pass --automata DIR")
    return paths


def _variants(classification: dict[str, object], needed: str = "signed") -> list[Variant]:
    """Star-free: nonnegative, both modes; otherwise the narrowest class ``needed`` (signed or
    complex), both modes; a non-solvable group: one complex attempt, which is refused."""
    star_free = classification.get("star_free")
    if not classification.get("regular", True):
        return [Variant("predict", "nonnegative")]
    if star_free:
        return [Variant("recognize", "nonnegative"), Variant("predict", "nonnegative")]
    if needed not in ("signed", "complex"):
        return [Variant("recognize", "complex")]
    return [Variant("recognize", needed), Variant("predict", needed)]


def _needed_gates(lang: Language, classification: dict[str, object]) -> str:
    from ssmproof.lang import groups  # keeps start-up light

    if classification.get("star_free") or not classification.get("regular", True):
        return "nonnegative"
    return groups.cheapest_gates(groups.analyse(lang))  # type: ignore[arg-type]


def build_language(spec_path: str) -> LanguageBuild:
    """Classify, compile, verify and render one language; never raises."""
    from ssmproof.lang import spec as specs

    result = LanguageBuild(name=os.path.splitext(os.path.basename(spec_path))[0],
                           spec_path=spec_path)
    try:
        spec = specs.load(spec_path)
        lang = specs.to_language(spec)
        result.name = lang.name or result.name
        classification = _classify(lang)
        result.classification = classification
        result.files[f"{result.name}/classification.json"] = _dump(classification)
        if lang.regular:
            result.files[f"{result.name}/dfa.dot"] = _dfa_dot(lang)
        for variant in _variants(classification, _needed_gates(lang, classification)):
            _build_variant(result, lang, variant, classification)
    except Exception as err:  # a failed language must not stop the others
        result.error = f"{spec_path}: {type(err).__name__}: {err}"
        result.files = {}
        if not isinstance(err, SsmproofError):
            result.error += "\n" + traceback.format_exc(limit=4)
    return result


def _classify(lang: Language) -> dict[str, object]:
    from ssmproof.lang import dfa as dfa_
    from ssmproof.lang import monoid

    data = monoid.classify(lang).to_json_dict()
    if data.get("regular"):
        minimal = dfa_.minimize(lang if isinstance(lang, DFA) else dfa_.from_language(lang))
        data["live_states"] = len(minimal.live)  # the memory lower bound counts these
    return data


def _dfa_dot(lang: Language) -> str:
    """The minimal DFA as Graphviz text (``ssmproof draw`` renders it as SVG)."""
    from ssmproof.lang import dfa as dfa_
    from ssmproof.render.dot import dfa_to_dot

    dfa = lang if isinstance(lang, DFA) else dfa_.from_language(lang)
    return dfa_to_dot(dfa_.minimize(dfa))


def _dump(data: object) -> str:
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _build_variant(result: LanguageBuild, lang: Language, variant: Variant,
                   classification: dict[str, object]) -> None:
    from ssmproof.compiler.compiling import compile_language
    from ssmproof.render.dot import ssm_to_dot
    from ssmproof.render.latex import to_latex
    from ssmproof.ssm import jsonio
    from ssmproof.verify.api import verify

    row: dict[str, object] = {"language": result.name, "variant": variant.stem}
    try:
        ssm = compile_language(lang, mode=variant.mode, gates=variant.gates, lag=variant.lag)
    except CompileError as err:
        row["status"] = f"not compiled: {str(err).splitlines()[0]}"
        result.rows.append(row)
        return
    # regular: an all-length proof (exact); otherwise the default bounded check
    cert = verify(ssm, lang, prove=lang.regular, max_configurations=BUILD_BUDGET)
    base = f"{result.name}/{variant.stem}"
    result.files[f"{base}.json"] = jsonio.to_json(ssm, metadata=_stable(ssm.metadata))
    result.files[f"{base}.cert.json"] = cert.to_json(volatile=False)
    _recheck(result, f"{base}.cert.json", f"{base}.json")
    if cert.holds is not False and not cert.all_lengths and lang.regular:
        # exact counters are infinite-state; a finite format can make the proof close
        finite = verify(ssm, lang, fmt=FINITE_FALLBACK, prove=True,
                        max_configurations=BUILD_BUDGET)
        result.files[f"{base}.{FINITE_FALLBACK}.cert.json"] = finite.to_json(volatile=False)
        _recheck(result, f"{base}.{FINITE_FALLBACK}.cert.json", f"{base}.json")
        if finite.holds is not None:
            cert = finite
    elif cert.all_lengths and cert.holds and variant.gates == "complex":
        _finite_complex(result, ssm, lang, base)
    result.files[f"{base}.tex"] = to_latex(ssm, certificate=cert, standalone=True)
    result.files[f"{base}.dot"] = ssm_to_dot(ssm)
    row.update(_row_facts(ssm, cert, classification))
    result.rows.append(row)


def _recheck(result: LanguageBuild, cert_name: str, ssm_name: str) -> None:
    """Run the independent checker on a certificate text before it is written (issue 11)."""
    from ssmproof.check import check_data

    verdict = check_data(json.loads(result.files[cert_name]), json.loads(result.files[ssm_name]),
                         result.spec_path, cert_path=cert_name, ssm_path=ssm_name)
    result.checks.append({"certificate": cert_name, "status": verdict.status,
                          "reason": verdict.reason, "seconds": round(verdict.seconds, 2)})


def recheck_summary(results: list[LanguageBuild]) -> tuple[str, list[str], list[str]]:
    """A line counting the checker's verdicts; the disagreements; the certificates not
    re-checked (each ``<certificate>: <reason>``)."""
    checks = [c for r in results for c in r.checks]

    def named(status: str) -> list[str]:
        return [f"{c['certificate']}: {c['reason']}" for c in checks if c["status"] == status]
    bad, skipped = named("disagreement"), named("not re-checked")
    line = (f"independent checker: {len(checks) - len(bad) - len(skipped)} of {len(checks)} "
            f"certificates confirmed, {len(skipped)} not re-checked, {len(bad)} disagreements")
    return line, bad, skipped


COMPLEX_FORMATS = ("float32", "bfloat16", "float16", "fixed:16.8")
"""Finite formats tried, in order, for a complex construction proved exactly: the first whose
proof closes and holds is committed next to the exact certificate (rounded ζₚ drift, so some
formats never close or fail on a long word: docs/gates.md)."""


def _finite_complex(result: LanguageBuild, ssm: SSM, lang: Language, base: str) -> None:
    from ssmproof.verify.api import verify

    for fmt in COMPLEX_FORMATS:
        cert = verify(ssm, lang, fmt=fmt, prove=True,
                      max_configurations=BUILD_BUDGET // 10)
        if cert.holds and cert.all_lengths:
            name = f"{base}.{fmt.replace(':', '-')}.cert.json"
            result.files[name] = cert.to_json(volatile=False)
            _recheck(result, name, f"{base}.json")
            return


def _stable(meta: object) -> object:
    """Metadata without timings, which would make the committed gallery irreproducible."""
    if isinstance(meta, dict):
        return {k: _stable(v) for k, v in meta.items()
                if not (k.endswith("_seconds") or k.endswith("_time_s") or k == "wall_time")}
    if isinstance(meta, list):
        return [_stable(v) for v in meta]
    return meta


def _row_facts(ssm: SSM, cert: Certificate, classification: dict[str, object]
               ) -> dict[str, object]:
    configs = cert.configurations
    live = classification.get("live_states")
    return {
        "status": "ok",
        "layers": len(ssm.layers),
        "state_dims": ssm.state_dims,
        "gate_class": cert.gate_class.value if cert.gate_class else None,
        "bits": round(math.log2(configs), 2) if configs and cert.all_lengths else None,
        "lower_bound_bits": round(max(math.log2(live) - 1, 0.0), 2)
        if isinstance(live, int) and live > 0 else None,
        "holds": cert.holds,
        "verification": cert.summary(),
    }


# ------------------------------------------------------------------------------------ driver
def _run_all(paths: list[str], jobs: int, progress: bool, scheduler: str | None = None
             ) -> list[LanguageBuild]:
    """Build every language on the sweep's execution engine (serial for ``jobs=1``, else Dask)."""
    from ssmproof.sweep import pool  # keeps start-up light

    return pool.map_ordered(build_language, paths, jobs=jobs, scheduler=scheduler,
                            progress=progress, desc="ssmproof build", unit="lang")


def _index(results: list[LanguageBuild]) -> str:
    lines = [
        "# The ssmproof gallery",
        "",
        "Generated by `ssmproof build` from `automata/`; do not edit by hand. "
        "`ssmproof build --check` fails when these files drift from a fresh build.",
        "",
        "| language | star-free | DFA states | monoid | construction | layers | state dims "
        "| memory bits | lower bound bits | verification |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in sorted(results, key=lambda r: r.name):
        c = r.classification
        head = f"| {r.name} | {_yn(c.get('star_free'))} | {c.get('states', '—')} | " \
               f"{c.get('monoid_size', '—')} |"
        if r.error:
            lines.append(f"{head} build failed | | | | | {r.error.splitlines()[0]} |")
            continue
        if not r.rows:
            lines.append(f"{head} — | | | | | witness {c.get('witness')} |")
        for row in r.rows:
            if row.get("status") != "ok":
                lines.append(f"{head} {row['variant']} | | | | | {row['status']} |")
                continue
            lines.append(f"{head} [{row['variant']}]({r.name}/{row['variant']}.json) | "
                         f"{row['layers']} | {row['state_dims']} | {_v(row['bits'])} | "
                         f"{_v(row['lower_bound_bits'])} | {row['verification']} |")
    return "\n".join(lines) + "\n"


def _yn(x: object) -> str:
    return {True: "yes", False: "no"}.get(x, "—")  # type: ignore[arg-type]


def _v(x: object) -> str:
    return "—" if x is None else str(x)


def _manifest(files: dict[str, str]) -> str:
    digests = {p: hashlib.sha256(t.encode("utf-8")).hexdigest() for p, t in sorted(files.items())}
    import sympy

    return _dump({"sympy": sympy.__version__, "files": digests})


def _collect(results: list[LanguageBuild]) -> dict[str, str]:
    files: dict[str, str] = {}
    for r in results:
        files.update(r.files)
    files["README.md"] = _index(results)
    files["MANIFEST.json"] = _manifest(files)
    return files


def build(*, automata: str = "automata", out: str = "constructions", jobs: int = 2,
          progress: bool = True, scheduler: str | None = None) -> list[LanguageBuild]:
    """Regenerate the gallery; returns per-language results (errors included, never raised)."""
    results = _run_all(spec_paths(automata), jobs, progress, scheduler)
    files = _collect(results)
    _remove_stale(out, files)
    atomic.write_many({os.path.join(out, p): t for p, t in files.items()})
    return results


def _remove_stale(out: str, files: dict[str, str]) -> None:
    if not os.path.isdir(out):
        return
    for dirpath, _, names in os.walk(out):
        for n in names:
            rel = os.path.relpath(os.path.join(dirpath, n), out)
            if rel not in files:
                os.unlink(os.path.join(dirpath, n))


def check(*, automata: str = "automata", out: str = "constructions", jobs: int = 2,
          progress: bool = True, scheduler: str | None = None) -> list[str]:
    """Build afresh in a temporary folder and list every drifting file (empty: no drift)."""
    return check_and_recheck(automata=automata, out=out, jobs=jobs, progress=progress,
                             scheduler=scheduler)[0]


def check_and_recheck(*, automata: str = "automata", out: str = "constructions", jobs: int = 2,
                      progress: bool = True, scheduler: str | None = None
                      ) -> tuple[list[str], list[LanguageBuild]]:
    """:func:`check`, also returning the fresh build's results (with the checker's verdicts)."""
    tmp = tempfile.mkdtemp(prefix="ssmproof-check-")
    try:
        results = build(automata=automata, out=tmp, jobs=jobs, progress=progress,
                        scheduler=scheduler)
        return _drift(out, tmp), results
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _tree(root: str) -> dict[str, bytes]:
    files = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            full = os.path.join(dirpath, n)
            with open(full, "rb") as fh:
                files[os.path.relpath(full, root)] = fh.read()
    return files


def _drift(committed: str, fresh: str) -> list[str]:
    import sympy

    old, new = _tree(committed), _tree(fresh)
    same_sympy = _sympy_of(old) == sympy.__version__
    drift = []
    for path in sorted(set(old) | set(new)):
        if path.endswith(".tex") and not same_sympy:
            continue
        if path == "MANIFEST.json" and not same_sympy:
            continue
        if old.get(path) != new.get(path):
            state = "missing" if path not in old else ("stale" if path not in new else "differs")
            drift.append(f"{path} ({state})")
    return drift


def _sympy_of(files: dict[str, bytes]) -> str | None:
    try:
        return json.loads(files["MANIFEST.json"])["sympy"]
    except (KeyError, ValueError):
        return None


def raise_on_drift(drift: list[str], out: str) -> None:
    if drift:
        shown = ", ".join(drift[:10]) + (" ..." if len(drift) > 10 else "")
        raise ArtifactDriftError(f"{out}: {len(drift)} file(s) differ from a fresh build: {shown}; "
                                 "run `ssmproof build` and commit the result")


# ------------------------------------------------------------------------------------ LaTeX
def compile_latex(out: str = "constructions", *, jobs: int = 2, progress: bool = True
                  ) -> list[str]:
    """Compile every ``.tex`` of the gallery with pdflatex; list failures and overfull boxes.

    PDFs go to a scratch folder (they are not committed), so the gallery itself is untouched.
    """
    from ssmproof.sweep import pool  # keeps start-up light

    texs = sorted(glob.glob(os.path.join(out, "**", "*.tex"), recursive=True))
    if not texs:
        raise SsmproofError(f"{out}: no .tex files; run `ssmproof build` first")
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ssmproof-pdf-") as scratch:
        args = [(t, os.path.join(scratch, f"{i}.pdf")) for i, t in enumerate(texs)]
        for found in pool.map_ordered(_compile_one, args, jobs=jobs, progress=progress,
                                      desc="pdflatex", unit="doc"):
            problems.extend(found)
    return problems


def _compile_one(arg: tuple[str, str]) -> list[str]:
    from ssmproof.render.pdf import LatexError, compile_pdf

    tex, pdf = arg
    try:
        _, overfull = compile_pdf(tex, pdf_path=pdf)
    except LatexError as err:
        return [str(err)]
    return [f"{tex}: overfull box: {w}" for w in overfull]
