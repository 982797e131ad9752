"""The frame every form question shares: label, hint, the input, missing-answer buttons, error.

Subclasses build the input (``build_input``) and read or write the answer
(``value``/``set_value``). Texts come from the form's catalogs in the interview
language (``set_language``); the "Unknown / Refused / Not asked" buttons appear for
questions that accept those answers, which are answers in their own right.
"""

from __future__ import annotations

from typing import Any

from tipintake.forms.spec import MISSING_CODES, FormField, FormSpec
from tipintake.i18n import _
from tipintake.i18n.formtext import field_text
from tipintake.ui.qt import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, Signal
from tipintake.ui.widgets import ERROR_COLOUR, HINT_COLOUR, set_text_colour


def missing_label(code: str) -> str:
    """A missing-answer code in the interface language."""
    return {
        # TRANSLATORS: an answer meaning the person does not know.
        "unknown": _("Unknown"),
        # TRANSLATORS: an answer meaning the person chose not to answer.
        "refused": _("Refused to answer"),
        # TRANSLATORS: an answer meaning the interviewer did not ask the question.
        "not_asked": _("Not asked"),
    }.get(code, code)


class FieldWidget(QWidget):
    """One question; ``edited`` fires whenever the answer changes."""

    edited = Signal(str)

    def __init__(self, spec: FormSpec, field: FormField, language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.field = field
        self.language = language
        self.setObjectName(f"field_{field.name}")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setObjectName("label")
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")
        set_text_colour(self.hint, HINT_COLOUR)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setObjectName("error")
        set_text_colour(self.error, ERROR_COLOUR)
        self.error.hide()
        self.missing_code: str | None = None
        self.missing_buttons: dict[str, QPushButton] = {}
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 6, 0, 6)
        self.box.addWidget(self.label)
        self.box.addWidget(self.hint)
        self.input = self.build_input()
        row = QHBoxLayout()
        if self.input is not None:
            row.addWidget(self.input, 1)
            self.label.setBuddy(self.focus_widget())
        self.box.addLayout(row)
        if field.allow_missing and not field.is_select:
            for code in MISSING_CODES:
                button = QPushButton()
                button.setCheckable(True)
                button.setObjectName(f"missing_{code}")
                button.toggled.connect(lambda on, c=code: self._missing_toggled(c, on))
                row.addWidget(button)
                self.missing_buttons[code] = button
        if self.input is not None and self.input.maximumWidth() < 5000:
            row.addStretch()  # a short input keeps its buttons beside it
        self.box.addWidget(self.error)
        self.set_language(language)

    # -- to override -----------------------------------------------------------
    def build_input(self) -> QWidget | None:
        """The input widget (None for notes)."""
        return None

    def focus_widget(self) -> QWidget:
        """The widget that takes focus for this question."""
        return self.input or self

    def input_value(self) -> Any:
        """The answer in the input ("" or None when blank)."""
        return None

    def set_input_value(self, value: Any) -> None:
        """Show ``value`` in the input."""

    def retranslate_input(self) -> None:
        """Choice texts and the like in ``self.language``."""

    def local_error(self) -> str | None:
        """An error the input knows before the form does (an unreadable date)."""
        return None

    def showable(self) -> bool:
        """Whether the question is ever shown (calculations without a label are not)."""
        return True

    # -- shared ----------------------------------------------------------------
    def value(self) -> Any:
        """The answer: a missing-answer code when one is pressed, else the input's."""
        return self.missing_code if self.missing_code else self.input_value()

    def draft_value(self) -> Any:
        """What to keep in a draft: the answer, or what was typed when it cannot be read yet."""
        return self.value()

    def set_value(self, value: Any) -> None:
        """Show an answer (from a draft or an earlier revision)."""
        if isinstance(value, str) and value in self.missing_buttons:
            self.missing_buttons[value].setChecked(True)
            return
        self.set_input_value(value)

    def set_language(self, language: str) -> None:
        """Question texts in ``language`` (the interview language)."""
        self.language = language
        text = field_text(self.spec, self.field, "label", language) or self.field.name
        if self.field.required and self.input is not None:
            # TRANSLATORS: a question label followed by a mark that it must be answered.
            text = _("{label} *").format(label=text)
        self.label.setText(text)
        hint = field_text(self.spec, self.field, "hint", language)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        for code, button in self.missing_buttons.items():
            button.setText(missing_label(code))
        self.retranslate_input()

    def show_error(self, message: str | None) -> None:
        """Show (or hide) the error under the question."""
        message = self.local_error() or message
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def _missing_toggled(self, code: str, on: bool) -> None:
        if on:
            for other, button in self.missing_buttons.items():
                if other != code and button.isChecked():
                    button.blockSignals(True)
                    button.setChecked(False)
                    button.blockSignals(False)
            self.missing_code = code
        elif self.missing_code == code:
            self.missing_code = None
        if self.input is not None:
            self.input.setEnabled(self.missing_code is None)
        self.emit_edited()

    def emit_edited(self) -> None:
        """Tell the form the answer changed."""
        self.edited.emit(self.field.name)

    def clear(self) -> None:
        """Forget the answer (on lock)."""
        for button in self.missing_buttons.values():
            button.setChecked(False)
        self.set_input_value(None)
