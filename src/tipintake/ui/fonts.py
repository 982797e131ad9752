"""Qt side of the bundled fonts: register them at start-up and pick one per language.

A bare Windows or Linux laptop draws empty boxes for Khmer and Burmese until the
Noto fonts shipped in ``tipintake.i18n.fonts`` are added to Qt's font database.
Call :func:`register_fonts` once after the ``QApplication`` exists, then use
:func:`font_for` for widgets showing a language's text and :func:`row_height` for
item views (Burmese stacks marks above and below and needs taller rows).
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from tipintake.i18n.fonts import fallback_families, font_files

__all__ = ["font_for", "register_fonts", "registered_families", "row_height"]

_registered: dict[str, list[str]] = {}

# Line spacing per language relative to the font's own height; Burmese medials and
# vowel signs reach far above and below the Latin line.
_ROW_FACTOR = {"my": 1.6, "km": 1.4, "th": 1.3}


def register_fonts() -> dict[str, list[str]]:
    """Add every bundled font to Qt's database (once); returns file name -> families."""
    for path in font_files():
        if path.name in _registered:
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        _registered[path.name] = list(QFontDatabase.applicationFontFamilies(font_id)) if font_id >= 0 else []
    return dict(_registered)


def registered_families() -> set[str]:
    """The family names Qt now knows from the bundled files."""
    return {family for families in _registered.values() for family in families}


def font_for(lang: str, point_size: float | None = None, *, bold: bool = False) -> QFont:
    """A font that renders ``lang``'s script, with the other bundled scripts as fallbacks."""
    register_fonts()
    font = QFont()
    font.setFamilies(fallback_families(lang))
    if point_size:
        font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def row_height(lang: str, font: QFont | None = None) -> int:
    """A row height (pixels) tall enough for ``lang`` in item views and line edits."""
    metrics = QFontMetrics(font or font_for(lang))
    return int(metrics.height() * _ROW_FACTOR.get(lang, 1.2)) + 4
