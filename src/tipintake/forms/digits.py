"""Native digits of the region (Thai, Khmer, Burmese, Lao and others) folded to ASCII.

Python's ``int()`` accepts them but ``strptime`` and SQLite do not, and ``\\d`` matches
them unless ``re.ASCII``: answers are normalised once, at validation, so everything
downstream sees ASCII digits only.
"""

from __future__ import annotations

import unicodedata

_RANGES = (0x0E50, 0x17E0, 0x1040, 0x0ED0, 0x1090, 0x0660, 0x06F0, 0x0966, 0x09E6, 0xFF10)
_TABLE = {start + i: ord("0") + i for start in _RANGES for i in range(10)}


def to_ascii_digits(text: str) -> str:
    """``text`` with every decimal digit (Thai ๑, Khmer ១, Burmese ၁, Lao ໑ ...) as ASCII."""
    if text.isascii():
        return text
    out = text.translate(_TABLE)
    if out.isascii():
        return out
    # Any other script's decimal digits (Unicode category Nd) too.
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in out)
