"""One module per subcommand (STYLE R8: dispatch through a table, not an elif ladder)."""

COMMANDS = ("zoo", "classify", "compile", "verify", "run", "refute", "latex", "build", "lemmas",
            "draw")
