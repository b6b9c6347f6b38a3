"""The archive site's lists: the home page (search, latest communiqués by year, every year)
and one page per year, from templates/web/accueil.html.j2 and annee.html.j2."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .search import INDEX_FILE

RECENT = 30
"""Communiqués on the home page; each year's page lists them all."""


def lists(
    records: list[dict[str, Any]], css: str, script: str, base: str | None
) -> dict[str, bytes]:
    """index.html and <année>.html for `records`, newest first (one per communiqué)."""
    from ..l10n import Localiser
    from ..render.html import environment
    from ..sources import BUILTIN_ROOT

    french = Localiser("fr")
    env = environment((BUILTIN_ROOT / "templates",), "fr")
    entries = [{**r, "date_texte": french.date(dt.date.fromisoformat(r["date"]))} for r in records]
    years: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        years.setdefault(entry["date"][:4], []).append(entry)
    annees = [{"annee": y, "page": f"{y}.html", "total": len(e)} for y, e in years.items()]
    newest = next((r for r in records if r.get("logo")), None)
    emetteurs = [r["emetteur"] for r in records]
    common = {
        "site": {
            "emetteur": max(sorted(set(emetteurs)), key=emetteurs.count) if emetteurs else "",
            "nom": "Communiqués de presse",
            "logo": newest["logo"] if newest else None,
            "logo_alt": newest["logo_alt"] if newest else "",
        },
        "feuille": css,
        "flux": "atom.xml",
        "plan": "sitemap.xml" if base else None,
        "annees": annees,
    }
    recents: list[dict[str, Any]] = []
    for year, listed in years.items():
        shown = sum(len(r["entries"]) for r in recents)
        if shown >= RECENT:
            break
        part = listed[: RECENT - shown]
        recents.append(
            {
                "annee": year,
                "page": f"{year}.html",
                "entries": part,
                "total": len(listed),
                "reste": len(listed) > len(part),
            }
        )
    out = {
        "index.html": env.get_template("web/accueil.html.j2").render(
            common,
            total=len(records),
            recents=recents,
            canonique=f"{base}index.html" if base else None,
            index_recherche=INDEX_FILE,
            script_recherche=script,
        )
    }
    for year, listed in years.items():
        out[f"{year}.html"] = env.get_template("web/annee.html.j2").render(
            common,
            annee=year,
            entries=listed,
            canonique=f"{base}{year}.html" if base else None,
        )
    return {name: page.encode() for name, page in out.items()}
