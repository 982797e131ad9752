"""Text normalisation for search: one folded form for indexing and for queries."""

from __future__ import annotations

import unicodedata


def fold_for_search(text: str) -> str:
    """Fold text so that equivalent spellings index and match alike."""
    return unicodedata.normalize("NFC", text).casefold()
