"""Bundled fonts: Noto Sans for Latin, Thai, Khmer and Burmese (SIL OFL 1.1, see OFL.txt).

A bare Windows or Linux laptop has no font for Khmer or Burmese, and Qt then draws
empty boxes. The app ships Noto Sans (Latin: English, Indonesian, Malay), Noto Sans
Thai, Noto Sans Khmer and Noto Sans Myanmar (Burmese, Shan, Mon), Regular and Bold,
copied from Debian's ``fonts-noto-core``. This module only names the files and the
families; ``tipintake.ui.fonts`` registers them with Qt.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FONT_DIR", "LATIN_FAMILY", "OFL_FILE", "family_for", "fallback_families", "font_files"]

FONT_DIR = Path(__file__).resolve().parent
LATIN_FAMILY = "Noto Sans"

_FAMILIES: dict[str, str] = {
    "en": LATIN_FAMILY,
    "id": LATIN_FAMILY,
    "ms": LATIN_FAMILY,
    "th": "Noto Sans Thai",
    "km": "Noto Sans Khmer",
    "my": "Noto Sans Myanmar",
}

# Script fonts carry Latin digits and punctuation poorly or not at all; Qt falls back
# through this list, so a Burmese label with an English word still renders.
_ALL_FAMILIES = ("Noto Sans", "Noto Sans Thai", "Noto Sans Khmer", "Noto Sans Myanmar")


def font_files() -> list[Path]:
    """Every bundled TTF file, Regular before Bold, Latin first."""
    return sorted(FONT_DIR.glob("*.ttf"), key=lambda p: (p.stem.split("-")[0] != "NotoSans", p.name))


def family_for(lang: str) -> str:
    """The font family that renders ``lang``'s script (Noto Sans for Latin-script languages)."""
    return _FAMILIES.get(lang, LATIN_FAMILY)


def fallback_families(lang: str) -> list[str]:
    """Families in the order Qt should try them for ``lang``: its own first, then the others."""
    first = family_for(lang)
    return [first, *(f for f in _ALL_FAMILIES if f != first)]


#: The SIL Open Font License that covers every bundled font.
OFL_FILE = FONT_DIR / "OFL.txt"
