"""Rendering: constructions as LaTeX, automata and data flow as DOT/SVG, notebook display.

Modules (import them qualified, STYLE R10):

- :mod:`ssmproof.render.tex`: escaping of arbitrary symbols and dim names, exact numbers and
  symbolic parameters through sympy's LaTeX printer.
- :mod:`ssmproof.render.tables`: width-aware tables (column chunks, row chunks, sparse list form).
- :mod:`ssmproof.render.latex`: :func:`~ssmproof.render.latex.to_latex`, atomic writing and
  optional pdflatex compilation.
- :mod:`ssmproof.render.dot`: Graphviz DOT for DFAs, SSM data flow and cascades; SVG via ``dot``.
- :mod:`ssmproof.render.notebook`: rich display objects for Jupyter.
"""
