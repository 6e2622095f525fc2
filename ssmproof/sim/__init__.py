"""Simulation of SSM programs, exactly or under a finite arithmetic format (DESIGN §3)."""
