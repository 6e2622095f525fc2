"""``ssmproof latex``: a construction as LaTeX (fragment or standalone), optionally as PDF."""

from __future__ import annotations

import argparse
import sys

from ssmproof.commands import common

HELP = "render a construction as LaTeX (a fragment for \\input, or --standalone)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("ssm", help="construction JSON")
    p.add_argument("-o", "--output", required=True, metavar="OUT.tex",
                   help="where to write the LaTeX ('-' for standard output); written atomically")
    p.add_argument("--standalone", action="store_true",
                   help="a whole document that compiles with pdflatex (default: a fragment "
                        "needing \\usepackage{amsmath,array,booktabs,graphicx})")
    p.add_argument("--pdf", action="store_true",
                   help="also run pdflatex and write OUT.pdf beside OUT.tex (implies "
                        "--standalone; reports LaTeX errors and overfull boxes)")
    p.add_argument("--certificate", metavar="CERT.json",
                   help="append this verification certificate's summary (from verify --json); "
                        "it must be about this construction")
    p.add_argument("--width", type=_width, default=None, metavar="EM",
                   help="table width budget in ems of the table font (default 52 for the "
                        "standalone page; about 38 for an article, 26 for two columns)")


def _width(text: str) -> float:
    value = common.parse_number(text, float, "number")
    if not 10 <= value <= 500:
        raise argparse.ArgumentTypeError(f"{text} is outside 10..500 ems")
    return value


def handle(args: argparse.Namespace) -> int:
    from ssmproof import atomic
    from ssmproof.errors import SsmproofError
    from ssmproof.render import latex, pdf
    from ssmproof.verify import certificate_file

    if args.pdf and args.output == "-":
        raise SsmproofError("-o: --pdf needs a file name for the .tex (the PDF goes beside it); "
                            "give -o OUT.tex")
    ssm = common.load_ssm(args.ssm)
    common.refuse_smooth_file(args.ssm, ssm, "LaTeX rendering covers ReLU/linear models only",
                              "run, verify --exhaustive/--random and refute take it")
    cert = certificate_file.load_certificate(args.certificate) if args.certificate else None
    if cert is not None:
        certificate_file.certificate_dict(cert, ssm, path=args.certificate)
    width = args.width if args.width is not None else latex.DEFAULT_WIDTH
    text = latex.to_latex(ssm, certificate=cert, standalone=args.standalone or args.pdf,
                          width=width, path=args.ssm)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    atomic.write_text(args.output, text)
    if args.pdf:
        pdf_path, overfull = pdf.compile_pdf(args.output)
        common.out(f"wrote {args.output} and {pdf_path}")
        for line in overfull:
            sys.stderr.write(f"ssmproof: {args.output}: warning: {line}\n")
    else:
        common.out(f"wrote {args.output}")
    return 0
