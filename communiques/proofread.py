"""Kept for the callers of `communiques.proofread`: the proofreader is the `check` package."""

from __future__ import annotations

from .check import check_file, proofread

__all__ = ["check_file", "proofread"]
