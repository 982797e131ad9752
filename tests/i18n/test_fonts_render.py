"""Every script renders with a bundled font and no missing glyph, offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtGui import QTextLayout  # noqa: E402
from PySide6.QtWidgets import QLabel  # noqa: E402

from tipintake.i18n.fonts import OFL_FILE, family_for, font_files  # noqa: E402
from tipintake.ui.fonts import font_for, register_fonts, registered_families, row_height  # noqa: E402

SAMPLES = {
    "en": "Consent to share de-identified data",
    "id": "Persetujuan untuk berbagi data yang dianonimkan",
    "ms": "Persetujuan untuk berkongsi data tanpa identiti",
    "th": "ความยินยอมในการแบ่งปันข้อมูล ๒๕๖๗",
    "km": "ការយល់ព្រមចែករំលែកទិន្នន័យ ស្ត្រី ក្ដៅ ២០២៤",
    "my": "မျှဝေရန် သဘောတူညီချက် ကျွန်ုပ် ၂၀၂၄",
}


def _glyph_runs(text: str, font):  # noqa: ANN001, ANN202 - Qt objects
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    return layout.glyphRuns()


def test_bundle_has_fonts_and_licence():
    names = {p.name for p in font_files()}
    for family in ("NotoSans", "NotoSansThai", "NotoSansKhmer", "NotoSansMyanmar"):
        assert f"{family}-Regular.ttf" in names
    assert "SIL OPEN FONT LICENSE" in OFL_FILE.read_text(encoding="utf-8")
    assert sum(p.stat().st_size for p in font_files()) < 3_000_000


def test_register_fonts_adds_every_family(qapp):
    register_fonts()
    assert {"Noto Sans", "Noto Sans Thai", "Noto Sans Khmer", "Noto Sans Myanmar"} <= registered_families()


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_label_renders_with_bundled_font_and_no_missing_glyph(qapp, lang):
    register_fonts()
    label = QLabel(SAMPLES[lang])
    label.setFont(font_for(lang, 14))
    label.adjustSize()
    image = label.grab().toImage()
    assert image.width() > 50 and image.height() > 10

    runs = _glyph_runs(label.text(), label.font())
    assert runs, "nothing was laid out"
    script_family = family_for(lang)
    families = {run.rawFont().familyName() for run in runs}
    assert script_family in families
    assert families <= registered_families()
    for run in runs:
        assert 0 not in list(run.glyphIndexes()), f"missing glyph in {run.rawFont().familyName()}"


def test_burmese_rows_are_taller_than_latin(qapp):
    assert row_height("my") > row_height("en")
