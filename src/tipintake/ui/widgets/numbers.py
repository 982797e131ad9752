"""Whole numbers and decimals: typed in any digits the region uses, stored in ASCII.

Spin boxes refuse Thai, Khmer and Burmese digits, so a plain line edit takes the
text and the forms layer's coercion turns native digits into ASCII; the error
appears under the question in the interface language.
"""

from __future__ import annotations

from typing import Any

from tipintake.forms.spec import FieldType
from tipintake.i18n.digits import to_ascii_digits
from tipintake.ui.qt import QLineEdit, QWidget
from tipintake.ui.widgets.base import FieldWidget


class NumberField(FieldWidget):
    """A line edit for integer and decimal questions."""

    def build_input(self) -> QWidget:
        """A short line edit."""
        self.editor = QLineEdit()
        self.editor.setMaximumWidth(220)
        self.editor.setInputMethodHints(self.editor.inputMethodHints())
        self.editor.textEdited.connect(lambda _text: self.emit_edited())
        return self.editor

    def input_value(self) -> Any:
        """The typed number, native digits turned into ASCII ("" when blank)."""
        text = to_ascii_digits(self.editor.text()).strip()
        if self.field.type is FieldType.DECIMAL:
            text = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
        return text

    def set_input_value(self, value: Any) -> None:
        """Show a stored number."""
        self.editor.setText("" if value is None else str(value))
