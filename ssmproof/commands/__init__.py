"""One module per subcommand (STYLE R8: dispatch through a table, not an elif ladder)."""

COMMANDS = ("verify", "run")
