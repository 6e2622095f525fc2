"""A standalone LaTeX document compiled to PDF by pdflatex (TeX Live is optional, not a dependency).

Kept apart from :mod:`ssmproof.render.latex`, which only turns a construction into text: running an
external program, its time-out and its log belong to no renderer.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

from ssmproof import atomic
from ssmproof.errors import SsmproofError

__all__ = ["LatexError", "compile_pdf", "overfull_boxes"]


class LatexError(SsmproofError):
    """pdflatex is missing, or failed on a document; the message quotes the LaTeX error."""


_ERROR_LINE = re.compile(r"^! (.*)$", re.M)
_OVERFULL = re.compile(r"^Overfull \\[hv]box \(([0-9.]+)pt too (?:wide|high)\)[^\n]*", re.M)


def overfull_boxes(log: str) -> list[str]:
    r"""The ``Overfull \hbox`` warnings of a pdflatex log (each one line).

    >>> overfull_boxes("x\nOverfull \\hbox (3.1pt too wide) in paragraph at lines 4--5\ny")
    ['Overfull \\hbox (3.1pt too wide) in paragraph at lines 4--5']
    """
    return [m.group(0) for m in _OVERFULL.finditer(log)]


def compile_pdf(tex_path: str, *, pdf_path: str | None = None, timeout: float = 120.0,
                pdflatex: str = "pdflatex") -> tuple[str, list[str]]:
    """Run pdflatex on a standalone document in a scratch directory.

    Returns the PDF's path (``pdf_path``, by default beside the .tex file, written atomically)
    and the overfull-box warnings. Raises :class:`LatexError` when pdflatex is missing or fails,
    quoting the first LaTeX error and its line. Runs with ``-no-shell-escape``.
    """
    exe = shutil.which(pdflatex)
    if exe is None:
        raise LatexError(f"{tex_path}: {pdflatex} is not installed; install TeX Live "
                         "(apt-get install texlive-latex-base texlive-latex-recommended) or "
                         "drop --pdf")
    pdf_path = pdf_path or os.path.splitext(tex_path)[0] + ".pdf"
    with tempfile.TemporaryDirectory(prefix="ssmproof-tex-") as work:
        shutil.copyfile(tex_path, os.path.join(work, "doc.tex"))
        cmd = [exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"]
        try:
            env = dict(os.environ)  # \input finds files beside the document
            env["TEXINPUTS"] = os.path.dirname(os.path.abspath(tex_path)) + os.pathsep + \
                env.get("TEXINPUTS", "")
            proc = subprocess.run(cmd, cwd=work, capture_output=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL, env=env)
        except subprocess.TimeoutExpired:
            raise LatexError(f"{tex_path}: pdflatex took longer than {timeout:g} s") from None
        log = _read(os.path.join(work, "doc.log"))
        if proc.returncode != 0 or not os.path.exists(os.path.join(work, "doc.pdf")):
            raise LatexError(f"{tex_path}: pdflatex failed: {_first_error(log)}")
        with open(os.path.join(work, "doc.pdf"), "rb") as fh:
            data = fh.read()
    atomic.write_bytes(pdf_path, data)
    return pdf_path, overfull_boxes(log)


def _read(path: str) -> str:
    try:
        with open(path, encoding="latin-1") as fh:
            return fh.read()
    except OSError:
        return ""


def _first_error(log: str) -> str:
    m = _ERROR_LINE.search(log)
    if not m:
        return "no PDF was produced (see the LaTeX log)"
    tail = log[m.end():m.end() + 400]
    where = re.search(r"^l\.(\d+) ?(.*)$", tail, re.M)
    return m.group(1) + (f" (line {where.group(1)}: {where.group(2).strip()[:80]})"
                         if where else "")
