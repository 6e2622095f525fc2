"""ssmproof: exact SSM constructions for formal languages, verified for all lengths."""

__version__ = "0.1.0"
