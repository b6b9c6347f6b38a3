"""Click's own strings (usage lines, help, usage errors, « Interrompu. ») in French.

Click marks its strings for gettext, but each of its modules binds `gettext.gettext` when
imported (`from gettext import gettext as _`), and gettext picks a language from LANGUAGE,
LC_ALL or LANG: a press officer's machine in C or en_US would get English. So we rebind
those names, in click's modules only, to our catalog (communiques/locale/fr/LC_MESSAGES/
click.po). If a new click moves them, `tests/test_adapters.py` names the module.
"""

from __future__ import annotations

import gettext
import importlib
from functools import cache
from pathlib import Path

CATALOG = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "click.mo"

# click's modules that translate a string; termui's editor and progress bar
# (click._termui_impl) are never used here.
MODULES = (
    "click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
    "click.shell_completion", "click.termui", "click.types", "click.utils",
)  # fmt: skip


@cache
def speak_french() -> gettext.GNUTranslations:
    """Rebind click's `_` and `ngettext` to the French catalog; once, before the commands
    are declared (some strings, such as a path's « fichier », are read at declaration)."""
    with CATALOG.open("rb") as handle:
        french = gettext.GNUTranslations(handle)
    for name in MODULES:
        module = importlib.import_module(name)
        module._ = french.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = french.ngettext  # type: ignore[attr-defined]
    return french
