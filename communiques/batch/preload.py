"""Imported by the forkserver that forks the local workers, before it forks them: every
worker then starts with WeasyPrint and python-docx already imported (0.35 s of processor time
each, paid once instead of once per worker)."""

from .executors import import_renderers

import_renderers()
