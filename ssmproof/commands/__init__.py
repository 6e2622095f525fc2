"""One module per subcommand (STYLE R8: dispatch through a table, not an elif ladder).

A command with a hyphen lives in the module with an underscore (``export-att`` → ``export_att``).
"""

COMMANDS = ("zoo", "classify", "compile", "verify", "check", "run", "refute", "latex", "build",
            "lemmas", "draw", "export-att", "export", "import-torch", "sweep")
