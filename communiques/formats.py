"""The output formats, in a module of their own so the CLI can name them without importing
the renderers."""

FORMATS = ("pdf", "docx", "html")
DEFAULT_FORMATS = ("pdf", "docx")
