"""communiques: official French press releases (PDF and DOCX) from structured YAML data."""

__version__ = "0.1.0"
