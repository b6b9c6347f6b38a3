"""The names of what the tool produces, in a module of their own so that the CLI can offer
them as choices without importing the renderers: output formats, PDF variants, report
formats."""

FORMATS = ("pdf", "docx", "html")
DEFAULT_FORMATS = ("pdf", "docx")

# Every PDF is tagged for screen readers (PDF/UA-1); the archival variants are PDF/A as well.
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-2u", "pdf/a-3u")
DEFAULT_VARIANT = "pdf/ua-1"
ARCHIVE_VARIANT = "pdf/a-3u"

REPORT_FORMATS = ("texte", "json")
"""How `check` and `verify` print their findings."""


def parse_formats(value: str) -> tuple[str, ...]:
    """« pdf,DOCX » → ("pdf", "docx"): each once, in the order given; ValueError (French) for
    an unknown or empty list."""
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValueError(
            f"format inconnu : {', '.join(unknown) or '(vide)'} (formats : {', '.join(FORMATS)})"
        )
    return chosen
