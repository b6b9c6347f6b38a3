"""The PDF/UA-1 rules we check (ISO 14289-1), named as veraPDF names them, with their level.

"PDF/UA-1 7.1-3" is clause 7.1, test 3 of veraPDF's profile. Every PDF is checked against
these: we publish only tagged PDFs. Which part of the file each is read from: the modules
`metadata`, `structure`, `content` and `fonts`.
"""

from __future__ import annotations

from ..errors import ERROR, WARNING, Level

RULES: dict[str, Level] = {
    "PDF/UA-1 5-1": ERROR,  # the XMP identifies the file as PDF/UA (pdfuaid:part)
    "PDF/UA-1 5-2": ERROR,  # … as part 1
    "PDF/UA-1 6.2-1": ERROR,  # the catalogue says the file is tagged (/MarkInfo /Marked)
    "PDF/UA-1 7.1-1": ERROR,  # no artifact inside tagged content
    "PDF/UA-1 7.1-2": ERROR,  # no tagged content inside an artifact
    "PDF/UA-1 7.1-3": ERROR,  # everything painted is tagged or an artifact
    "PDF/UA-1 7.1-4": ERROR,  # /MarkInfo /Suspects is not true
    "PDF/UA-1 7.1-5": ERROR,  # every structure type maps to a standard one
    "PDF/UA-1 7.1-7": ERROR,  # the role map does not redefine a standard type
    "PDF/UA-1 7.1-8": ERROR,  # XMP metadata in the catalogue
    "PDF/UA-1 7.1-9": ERROR,  # a title (dc:title)
    "PDF/UA-1 7.1-10": ERROR,  # the window shows the title (/DisplayDocTitle)
    "PDF/UA-1 7.1-11": ERROR,  # a structure tree
    "PDF/UA-1 7.1-12": ERROR,  # every element has its parent (/P)
    "PDF/UA-1 7.2": ERROR,  # tables and lists nest as ISO 32000-1 says
    "PDF/UA-1 7.2-29": ERROR,  # the document's language is a valid tag
    "PDF/UA-1 7.2-33": ERROR,  # the document has a language (/Lang)
    "PDF/UA-1 7.3-1": ERROR,  # a figure has an alternative text
    "PDF/UA-1 7.4.2-1": ERROR,  # headings start at H1 and skip no level
    "PDF/UA-1 7.4.4-2": ERROR,  # not both H and H1…H6
    "PDF/UA-1 7.5": WARNING,  # a data cell names its headers
    "PDF/UA-1 7.7-1": ERROR,  # a formula has an alternative text
    "PDF/UA-1 7.16-1": ERROR,  # encryption lets assistive technology extract the text
    "PDF/UA-1 7.18.1-1": ERROR,  # an annotation is in an /Annot element
    "PDF/UA-1 7.18.2-2": ERROR,  # no /TrapNet annotation
    "PDF/UA-1 7.18.3-1": ERROR,  # a page with annotations has the tab order /S
    "PDF/UA-1 7.18.5-1": ERROR,  # a link is in a /Link element
    "PDF/UA-1 7.18.5-2": ERROR,  # a link is described (/Contents)
    "PDF/UA-1 7.20-1": ERROR,  # no reference XObject
    "PDF/UA-1 7.21.3.2-1": ERROR,  # a CIDFontType2 has its /CIDToGIDMap
    "PDF/UA-1 7.21.4.1-1": ERROR,  # every font is embedded
    "PDF/UA-1 7.21.5-1": ERROR,  # glyph widths are those of the font program
    "PDF/UA-1 7.21.7-1": ERROR,  # every font maps to Unicode
    "PDF/UA-1 7.21.7-2": ERROR,  # … never to U+0000, U+FEFF or U+FFFE
}

OURS: dict[str, Level] = {
    "qpdf": ERROR,  # the file's syntax, as qpdf reads it
    "XMP dc:language": WARNING,  # not a PDF/UA rule: readers and catalogues show it
    "table-coupee": ERROR,  # one table split at a page break into several /Table
    "en-tete-repete": ERROR,  # a table's header repeated on a page, tagged as real rows
    "element-vide": ERROR,  # a structure element with neither content nor kids
}
"""Rules of ours, checked with PDF/UA-1: they are not veraPDF's."""
