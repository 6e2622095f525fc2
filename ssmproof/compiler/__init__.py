"""Compilation: the driver (compiling.py) and the star-free cascade compiler (starfree.py)."""
