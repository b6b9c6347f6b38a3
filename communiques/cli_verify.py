"""`communiques verify FILE.pdf`: our PDF/UA-1 and PDF/A-2/3 checks on any PDF, to run where
veraPDF is missing or to compare with its report (rules are named as veraPDF names them)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def verify(files: tuple[Path, ...], output_format: str) -> None:
    """Vérifie des PDF : balisage accessible (PDF/UA-1) et, s'ils se déclarent PDF/A-2 ou
    PDF/A-3, archivage. Code de sortie 1 s'il y a au moins une erreur."""
    from .errors import ERROR
    from .verify import verify_pdf

    failed = False
    report = []
    for path in files:
        findings = verify_pdf(path.read_bytes(), path)
        failed |= any(f.level == ERROR for f in findings)
        if output_format == "json":
            found = [f.as_json() for f in findings]
            # "path" and "findings": the keys of version 0.1, until the next release.
            report.append(
                {"chemin": str(path), "constats": found, "path": str(path), "findings": found}
            )
            continue
        for finding in findings:
            click.echo(str(finding))
        errors = sum(f.level == ERROR for f in findings)
        verdict = "aucune erreur trouvée" if not errors else f"{errors} erreur(s)"
        warnings = len(findings) - errors
        click.echo(f"{path}: {verdict}" + (f", {warnings} avertissement(s)" if warnings else ""))
    if output_format == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    sys.exit(1 if failed else 0)


verify_command = click.command("verify")(
    click.argument(
        "files",
        nargs=-1,
        required=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
    )(
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["texte", "json"]),
            default="texte",
            show_default=True,
            help="texte (fichier: niveau: règle: message) ou json.",
        )(verify)
    )
)
