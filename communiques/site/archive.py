"""`communiques build --site`: the static archive site under build/site/, from the manifest.

Home page (search box, latest communiqués by year), a page per year, each communiqué's pages
and fragments with its PDF and DOCX, an Atom feed, sitemap.xml and the search index.
Incremental: a communiqué whose manifest entry did not change is not looked at again (its
list record is kept in site/.etat.json), and a file is rewritten only when its bytes change,
so a changed communiqué rewrites its page, the lists that show it, the feed and the index.
Byte-reproducible: nothing depends on the clock or on the folder's location.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..files import write_all, write_atomic
from ..manifest import Manifest
from .edition import hashed_name
from .entry import Made, make
from .feed import atom, sitemap
from .search import INDEX_FILE, index_script

SITE = "site"
STATE = ".etat.json"
PARALLEL_FROM = 40
"""Below this many communiqués to render, a worker pool costs more than it saves."""


@dataclass
class SiteReport:
    folder: Path
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: int = 0
    seconds: float = 0.0


def build_site(out_dir: Path, manifest: Manifest, jobs: int = 1) -> SiteReport:
    """Bring out_dir/site/ up to date with the manifest of out_dir."""
    started = time.perf_counter()
    site = out_dir / SITE
    report = SiteReport(site)
    state = _load_state(site)
    files: dict[str, str] = state.get("files", {})
    previous: dict[str, Any] = state.get("entries", {})
    kept: dict[str, Any] = {}
    wanted: set[str] = set()
    todo: list[tuple[str, dict[str, Any]]] = []
    for name, entry in sorted(manifest.entries.items()):
        known = previous.get(name)
        if known and known["key"] == entry.key and all((site / f).is_file() for f in known["own"]):
            kept[name] = known
            wanted.update(known["own"])
        else:
            todo.append((name, asdict(entry)))

    pending: dict[Path, bytes] = {}

    def put(relative: str, data: bytes) -> None:
        wanted.add(relative)
        digest = hashlib.sha256(data).hexdigest()
        path = site / relative
        if path not in pending and (files.get(relative) != digest or not path.is_file()):
            pending[path] = data
            files[relative] = digest
            report.written.append(relative)

    for made, fields in _made(out_dir, todo, jobs):
        report.rendered += 1
        own = sorted({*made.files, *made.links})
        for relative, data in made.files.items():
            put(relative, data)
        for relative, (source, digest) in made.links.items():
            wanted.add(relative)
            if files.get(relative) != digest or not (site / relative).is_file():
                _link(out_dir / source, site / relative)
                files[relative] = digest
                report.written.append(relative)
        kept[made.name] = {"key": fields["key"], "own": own, "records": made.records}

    records = [r for name in sorted(kept) for r in kept[name]["records"]]

    def fragment(record: dict[str, Any]) -> bytes:
        path = site / record["fragment"]
        return pending[path] if path in pending else path.read_bytes()

    for relative, data in site_pages(records, fragment).items():
        put(relative, data)
    write_all(pending.items(), many=True)
    for relative in sorted(set(files) - wanted):  # a communiqué removed, an old stylesheet
        (site / relative).unlink(missing_ok=True)
        del files[relative]
        report.removed.append(relative)
    _save_state(site, {"version": _version(), "entries": kept, "files": files})
    report.seconds = time.perf_counter() - started
    return report


def site_pages(
    records: list[dict[str, Any]], fragment: Callable[[dict[str, Any]], bytes]
) -> dict[str, bytes]:
    """The pages made from every communiqué's record: lists, feed, sitemap, index. The feed
    carries the latest communiqués whole: `fragment(record)` is their article."""
    from ..sources import BUILTIN_ROOT
    from .lists import lists

    newest = sorted(records, key=lambda r: (r["date"], r["name"]), reverse=True)
    seen: set[str] = set()
    main = []  # each communiqué once, in its first language
    for record in records:
        if record["name"] not in seen:
            seen.add(record["name"])
            main.append(record)
    main.sort(key=lambda r: (r["date"], r["name"]), reverse=True)
    assets = BUILTIN_ROOT / "assets"
    css = (assets / "css" / "web.css").read_bytes()
    script = (assets / "js" / "recherche.js").read_bytes()
    css_name, script_name = hashed_name("css/web.css", css), hashed_name("js/recherche.js", script)
    base = _base_url(main)
    out: dict[str, bytes] = {css_name: css, script_name: script}
    out.update(lists(main, css_name, script_name, base))
    out["atom.xml"] = atom(main, base, fragment)
    if base:
        out["sitemap.xml"] = sitemap(newest, base)
    out[INDEX_FILE] = index_script(
        {"t": r["titre"], "d": r["date"], "u": r["page"], "l": r["langue"], "m": r["mots"]}
        for r in newest
    )
    return out


def _base_url(records: list[dict[str, Any]]) -> str | None:
    """Where the site is published: the folder of the canonical URLs most pages have."""
    bases = [r["url"].rsplit("/", 1)[0] + "/" for r in records if r.get("url")]
    return max(sorted(set(bases)), key=bases.count) if bases else None


def _made(
    out_dir: Path, todo: list[tuple[str, dict[str, Any]]], jobs: int
) -> Iterator[tuple[Made, dict[str, Any]]]:
    if len(todo) < PARALLEL_FROM or jobs <= 1:
        for name, entry in todo:
            yield make(out_dir, name, entry), entry
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    chunk = max(1, len(todo) // (jobs * 4))
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        results = pool.map(
            make, [out_dir] * len(todo), [n for n, _ in todo], [e for _, e in todo], chunksize=chunk
        )
        yield from zip(results, (e for _, e in todo), strict=True)


def _link(source: Path, target: Path) -> None:
    """The PDF or DOCX in the site is the one in build/: a hard link, a copy across disks."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        write_atomic(target, source.read_bytes())
        return
    os.replace(temporary, target)


def _version() -> str:
    """What every page depends on besides its entry: our version and the web templates."""
    from ..sources import BUILTIN_ROOT

    digest = hashlib.sha256(__version__.encode())
    for path in sorted((BUILTIN_ROOT / "templates" / "web").glob("*.j2")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _load_state(site: Path) -> dict[str, Any]:
    try:
        state: dict[str, Any] = json.loads((site / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if state.get("version") == _version() else {}


def _save_state(site: Path, state: dict[str, Any]) -> None:
    write_atomic(site / STATE, json.dumps(state, ensure_ascii=False, sort_keys=True).encode())


def write_page_assets(out_dir: Path, manifest: Manifest) -> list[str]:
    """The stylesheet and images that the web pages of out_dir (`--format html`) name under
    assets/, copied from their theme if missing; named by their hash, never overwritten."""
    from .edition import referenced_assets
    from .entry import html_keys, theme_asset, theme_dirs

    written: list[str] = []
    present: set[str] = set()
    for entry in manifest.entries.values():
        for key in html_keys(entry.outputs):
            page = out_dir / entry.outputs[key].file
            if not page.is_file():
                continue
            for asset in referenced_assets(page.read_bytes()):
                if asset in present or (out_dir / asset).is_file():
                    present.add(asset)
                    continue
                write_atomic(out_dir / asset, theme_asset(asset, theme_dirs(entry.source)[1]))
                present.add(asset)
                written.append(asset)
    return written


def publish(out_dir: Path, manifest: Manifest, *, site: bool, jobs: int) -> SiteReport | None:
    """After a build: the files the web pages need, and the archive site if asked for."""
    write_page_assets(out_dir, manifest)
    return build_site(out_dir, manifest, jobs) if site else None
