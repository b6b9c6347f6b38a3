"""Rendering: resolved data → semantic HTML → PDF and DOCX bytes. No file is written here."""
