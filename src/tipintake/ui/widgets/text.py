"""Text questions, with Zawgyi detection on typing and paste.

Burmese typed in the legacy Zawgyi encoding is checked a moment after the text stops
changing (so a paste is checked too). Above the detector's 0.95 threshold the text
is converted to Unicode at once and the original kept for the record; between 0.05
and 0.95 a bar under the question asks the interviewer, without a modal dialog that
would interrupt the interview.
"""

from __future__ import annotations

from typing import Any

from tipintake.forms.spec import Sensitivity
from tipintake.i18n import _
from tipintake.i18n.zawgyi import has_myanmar, normalize_burmese
from tipintake.ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTimer,
    QWidget,
)
from tipintake.ui.widgets.base import FieldWidget

CHECK_DELAY_MS = 600


class ZawgyiBar(QFrame):
    """"This may be Zawgyi: convert / keep" under a text question."""

    def __init__(self, owner: TextField) -> None:
        super().__init__()
        self.owner = owner
        self.setObjectName("zawgyi_bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.convert = QPushButton()
        self.convert.setObjectName("zawgyi_convert")
        self.keep = QPushButton()
        self.keep.setObjectName("zawgyi_keep")
        self.convert.clicked.connect(lambda: owner.resolve_zawgyi(True))
        self.keep.clicked.connect(lambda: owner.resolve_zawgyi(False))
        row = QHBoxLayout(self)
        row.addWidget(self.message, 1)
        row.addWidget(self.convert)
        row.addWidget(self.keep)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        """Texts in the interface language."""
        self.message.setText(_("This Burmese text may be typed in Zawgyi. Convert it to Unicode?"))
        self.convert.setText(_("&Convert"))
        self.keep.setText(_("&Keep as typed"))


class TextField(FieldWidget):
    """One line, or several for free text and ``appearance: multiline``."""

    def build_input(self) -> QWidget:
        """A line edit, or a plain-text box for narratives."""
        self.multiline = (self.field.sensitivity is Sensitivity.FREE_TEXT
                          or "multiline" in (self.field.appearance or ""))
        self.original: str | None = None  # what was typed, when it was converted
        self.decided: dict[str, bool] = {}  # text → the interviewer's Zawgyi answer
        if self.multiline:
            self.editor: QLineEdit | QPlainTextEdit = QPlainTextEdit()
            self.editor.setTabChangesFocus(True)  # keyboard users must be able to leave
            self.editor.setMinimumHeight(90)
            self.editor.textChanged.connect(self._changed)
        else:
            self.editor = QLineEdit()
            self.editor.textEdited.connect(self._changed)
        self.check_timer = QTimer(self)
        self.check_timer.setSingleShot(True)
        self.check_timer.setInterval(CHECK_DELAY_MS)
        self.check_timer.timeout.connect(self.check_zawgyi)
        wrap = QWidget()
        col = QHBoxLayout(wrap)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.editor)
        self.zawgyi = ZawgyiBar(self)
        self.box_extra = self.zawgyi
        return wrap

    def focus_widget(self) -> QWidget:
        """The editor."""
        return self.editor

    def set_language(self, language: str) -> None:
        """Question texts; the bar goes under the input the first time."""
        if self.zawgyi.parent() is None:
            self.box.insertWidget(self.box.count() - 1, self.zawgyi)  # above the error line
        super().set_language(language)
        self.zawgyi.retranslate()

    def text(self) -> str:
        """The text in the editor."""
        if isinstance(self.editor, QPlainTextEdit):
            return self.editor.toPlainText()
        return self.editor.text()

    def _set_text(self, text: str) -> None:
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.blockSignals(True)
            self.editor.setPlainText(text)
            self.editor.blockSignals(False)
        else:
            self.editor.setText(text)

    def _changed(self) -> None:
        self.check_timer.start()
        self.emit_edited()

    def input_value(self) -> Any:
        """The text ("" when blank)."""
        return self.text()

    def set_input_value(self, value: Any) -> None:
        """Show a stored text."""
        self._set_text("" if value is None else str(value))
        self.zawgyi.hide()

    def check_zawgyi(self) -> None:
        """Convert sure Zawgyi, ask about unsure, leave everything else alone."""
        text = self.text()
        if text in self.decided:  # asked before: apply the same answer without asking again
            self.zawgyi.hide()
            if self.decided[text]:
                self.resolve_zawgyi(True)
            return
        if not text or not has_myanmar(text):
            self.zawgyi.hide()
            return
        checked = normalize_burmese(text)
        if checked.converted:
            self._replace(text, checked.text)
        elif checked.decision == "ask":
            self.zawgyi.show()
        else:
            self.zawgyi.hide()

    def resolve_zawgyi(self, is_zawgyi: bool) -> None:
        """The interviewer's answer from the bar."""
        text = self.text()
        self.zawgyi.hide()
        self.decided[text] = is_zawgyi
        if is_zawgyi:
            converted = normalize_burmese(text, confirmed_zawgyi=True).text
            if converted != text:
                self._replace(text, converted)
        self.focus_widget().setFocus()

    def _replace(self, original: str, converted: str) -> None:
        self.original = original
        self.decided[converted] = False
        self._set_text(converted)
        self.emit_edited()

    def clear(self) -> None:
        """Forget the text and the original (on lock)."""
        super().clear()
        self.original = None
        self.decided.clear()
        self.check_timer.stop()
