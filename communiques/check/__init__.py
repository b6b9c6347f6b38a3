"""The proofreader behind `communiques check`: data, spelling, typography, coherence, length.

A communiqué that builds can still go out with « Annnonce » in its title, a laureate named
twice or an embargo lifted before its own date. These rules read the communiqué as `load`
returned it (with its files' marks and text, so each finding points at the word itself);
they never change anything. One module per family of rules, each rule registered with
`@rule(family, level)` in `registry.RULES`; `proofreader` runs them.

Levels: an *error* is a fact that is wrong (a date, a duplicate), a *warning* is what a
careful reader would question (an unknown word, a missing no-break space). Only errors fail
the command, unless --strict.
"""

from __future__ import annotations

from .proofreader import check_file, proofread
from .registry import RULES

__all__ = ["RULES", "check_file", "proofread"]
