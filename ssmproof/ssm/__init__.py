"""The SSM model of DESIGN §2: named residual stream, diagonal layers, readouts, JSON files."""
