"""What each `communiques` command does, as functions that take plain arguments and return
plain results (counts, diagnostics, paths); the CLI (communiques/cli/) parses, calls them and
prints. One module per command (the model: mkdocs' `mkdocs/commands/`). A command stops by
raising a `CommuniquesError` (communiques/errors.py), never by exiting.
"""
