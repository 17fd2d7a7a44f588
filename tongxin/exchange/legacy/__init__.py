"""Turning pages saved from old sites into clean articles (`manage.py import_legacy`).

Pure functions, no database: `decode` finds the text, `document` reads HTML or plain text
into lines, `clean` removes the old site's furniture and injected junk, `extract` finds the
title and the newsroom fields, `flags` reports what the privacy guard would refuse, and
`pipeline.read_article` runs them in order. `store` (Django) makes the draft.
"""

from .errors import LegacyError

__all__ = ["LegacyError"]
