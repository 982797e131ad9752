"""Questions the interviewer does not answer: notes and calculated values."""

from __future__ import annotations

from typing import Any

from tipintake.i18n import current_language
from tipintake.i18n.digits import to_native_digits
from tipintake.ui.qt import QLabel, QWidget
from tipintake.ui.widgets.base import FieldWidget


class NoteField(FieldWidget):
    """Text for the interviewer to read (or read out)."""

    def build_input(self) -> QWidget | None:
        """No input."""
        return None

    def set_language(self, language: str) -> None:
        """Notes read as plain text, not as a question."""
        super().set_language(language)
        font = self.label.font()
        font.setBold(False)
        font.setItalic(True)
        self.label.setFont(font)


class CalculateField(FieldWidget):
    """A value the form computes, read-only; hidden when the form gives it no label."""

    def build_input(self) -> QWidget:
        """A read-only label."""
        self.shown = QLabel()
        self.shown.setObjectName("calculated")
        self.current: Any = None
        return self.shown

    def showable(self) -> bool:
        """Only calculations with a label are shown."""
        return bool(self.field.label)

    def set_input_value(self, value: Any) -> None:
        """Show the computed value in the locale's digits."""
        self.current = value
        text = "" if value in (None, "") else str(value)
        self.shown.setText(to_native_digits(text, current_language()))

    def input_value(self) -> Any:
        """Calculations are not answers: the form recomputes them."""
        return None
