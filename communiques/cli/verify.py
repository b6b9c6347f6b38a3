"""`communiques verify FILE.pdf`: options and printing; the checks are in
communiques/verify.py, called through communiques/commands/verify.py."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import ERROR
from .shared import command, report_format_option


@command("verify")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    metavar="FICHIERS...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@report_format_option("texte (fichier: niveau: règle: message) ou json.")
def verify_command(files: tuple[Path, ...], output_format: str) -> int:
    """Vérifie des PDF : balisage accessible (PDF/UA-1) et, s'ils se déclarent PDF/A-2 ou
    PDF/A-3, archivage. Code de sortie 1 s'il y a au moins une erreur."""
    from ..commands.verify import exit_code, verify

    found = verify(files)
    if output_format == "json":
        # "path" and "findings": the keys of version 0.1, until the next release.
        report = [
            {"chemin": str(p), "constats": js, "path": str(p), "findings": js}
            for p, js in ((p, [f.as_json() for f in fs]) for p, fs in found.items())
        ]
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return exit_code(found)
    for path, findings in found.items():
        for finding in findings:
            click.echo(str(finding))
        errors = sum(f.level == ERROR for f in findings)
        verdict = "aucune erreur trouvée" if not errors else f"{errors} erreur(s)"
        warnings = len(findings) - errors
        click.echo(f"{path}: {verdict}" + (f", {warnings} avertissement(s)" if warnings else ""))
    return exit_code(found)
