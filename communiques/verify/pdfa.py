"""The PDF/A-2 and PDF/A-3 rules we check (ISO 19005-2 and -3), named as veraPDF names them
("PDF/A 6.2.8": clause 6.2.8), with their level.

A file is checked against these when its XMP says it is PDF/A; the archival module holds
most of them, the others are read with the part of the file they are about (metadata,
annotations, fonts, content).
"""

from __future__ import annotations

from ..errors import ERROR, WARNING, Level

RULES: dict[str, Level] = {
    "PDF/A 6.1.2": ERROR,  # the header and the binary comment after it
    "PDF/A 6.1.3": ERROR,  # trailer: an /ID, nothing after %%EOF, no encryption
    "PDF/A 6.1.7.1": ERROR,  # no stream in an external file
    "PDF/A 6.1.7.2": ERROR,  # no LZW nor Crypt filter
    "PDF/A 6.1.13": ERROR,  # at most 28 nested q/Q
    "PDF/A 6.2.3": ERROR,  # one output profile
    "PDF/A 6.2.4.3": ERROR,  # device colours match the output intent
    "PDF/A 6.2.5": ERROR,  # graphics states without transfer functions nor halftones
    "PDF/A 6.2.8": ERROR,  # images: no interpolation, alternates, odd bit depths
    "PDF/A 6.2.9": ERROR,  # no PostScript nor reference XObject
    "PDF/A 6.2.10": ERROR,  # transparency: standard blend modes, a colour space for it
    "PDF/A 6.2.11.4.1": ERROR,  # every font is embedded
    "PDF/A 6.2.11.5": ERROR,  # glyph widths are those of the font program
    "PDF/A 6.2.11.7.2": ERROR,  # conformance U or A: every font maps to Unicode
    "PDF/A 6.3.1": ERROR,  # no forbidden kind of annotation
    "PDF/A 6.3.2": ERROR,  # annotations printable and shown
    "PDF/A 6.3.3": ERROR,  # annotations with an appearance
    "PDF/A 6.4.2": ERROR,  # no XFA form, no /NeedsRendering
    "PDF/A 6.5.1": ERROR,  # no forbidden action, no JavaScript
    "PDF/A 6.5.2": ERROR,  # no automatic actions (/AA)
    "PDF/A 6.6": WARNING,  # the Info dictionary says what the XMP says
    "PDF/A 6.6.2.1": ERROR,  # well-formed XMP in a proper xpacket
    "PDF/A 6.6.2.3.1": ERROR,  # XMP properties from predefined or described schemas
    "PDF/A 6.6.4": ERROR,  # a valid pdfaid:conformance
    "PDF/A 6.8": ERROR,  # embedded files say their relationship (/AFRelationship)
    "PDF/A 6.9": ERROR,  # optional content configurations named, without /AS
}
