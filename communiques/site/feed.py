"""The archive's Atom feed (feedgen) and sitemap.xml.

Stable: an entry's id is its page's URL when the émetteur sets `url_publication`, else a URN
made of the page's file name; every date comes from the communiqués, never from the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

FEED_SIZE = 50
"""The latest communiqués, whole, in the feed."""


def _moment(iso_date: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso_date).replace(tzinfo=dt.UTC)


def atom(
    records: list[dict[str, Any]], base: str | None, fragment: Callable[[dict[str, Any]], bytes]
) -> bytes:
    """The feed of the latest `records` (newest first, one per communiqué), each with its
    full text: `fragment(record)` gives its article."""
    from feedgen.feed import FeedGenerator

    latest = records[:FEED_SIZE]
    emetteurs = [r["emetteur"] for r in records]
    author = max(sorted(set(emetteurs)), key=emetteurs.count) if emetteurs else "communiques"
    feed = FeedGenerator()
    feed.id(f"{base}atom.xml" if base else "urn:communiques:archive")
    feed.title(f"Communiqués de presse — {author}")
    feed.author({"name": author})
    feed.language("fr")
    feed.generator("communiques")
    feed.link(href=f"{base}atom.xml" if base else "atom.xml", rel="self")
    feed.link(href=f"{base}index.html" if base else "index.html", rel="alternate")
    feed.updated(_moment(latest[0]["date"]) if latest else _moment("1980-01-01"))
    for record in reversed(latest):  # feedgen puts the last added first
        entry = feed.add_entry()
        page = f"{base}{record['page']}" if base else record["page"]
        entry.id(page if base else f"urn:communiques:{record['page']}")
        entry.title(record["titre"])
        entry.link(href=page, rel="alternate", type="text/html", hreflang=record["langue"])
        entry.published(_moment(record["date"]))
        entry.updated(_moment(record["date"]))
        entry.author({"name": record["emetteur"]})
        if record["chapo"]:
            entry.summary(record["chapo"])
        entry.content(fragment(record).decode(), type="html")
    data: bytes = feed.atom_str(pretty=True)
    return data


def sitemap(records: list[dict[str, Any]], base: str) -> bytes:
    """Every page of the site, with the communiqué's date as last modification."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    years = sorted({r["date"][:4] for r in records}, reverse=True)
    newest = {y: max(r["date"] for r in records if r["date"].startswith(y)) for y in years}
    pages = [("index.html", max(newest.values(), default=None))]
    pages += [(f"{y}.html", newest[y]) for y in years]
    pages += [(r["page"], r["date"]) for r in records]
    for page, date in pages:
        lastmod = f"<lastmod>{date}</lastmod>" if date else ""
        lines.append(f"<url><loc>{escape(base + page)}</loc>{lastmod}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode()
