"""Dates and date-times: shown and typed in the interface language's calendar.

Thai users see and type Buddhist-Era years (2567 for 2024); records keep ISO dates
in the Common Era. Native digits, month names and separators are all accepted by
``i18n.calendars.parse_date``; an unreadable date shows its reason under the question.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tipintake.i18n import _, current_language
from tipintake.i18n.calendars import DateInputError, format_date, parse_date
from tipintake.i18n.digits import to_ascii_digits
from tipintake.ui.qt import QHBoxLayout, QLineEdit, QWidget
from tipintake.ui.widgets.base import FieldWidget


class DateField(FieldWidget):
    """A date in the interface language's calendar."""

    with_time = False

    def build_input(self) -> QWidget:
        """A date box (and a time box for date-times)."""
        self.date_error: str | None = None
        wrap = QWidget()
        row = QHBoxLayout(wrap)
        row.setContentsMargins(0, 0, 0, 0)
        self.editor = QLineEdit()
        self.editor.setMaximumWidth(240)
        self.editor.textEdited.connect(lambda _t: self.emit_edited())
        self.editor.editingFinished.connect(self._tidy)
        row.addWidget(self.editor)
        self.time = QLineEdit()
        self.time.setMaximumWidth(100)
        self.time.textEdited.connect(lambda _t: self.emit_edited())
        row.addWidget(self.time)
        self.time.setVisible(self.with_time)
        wrap.setMaximumWidth(360 if self.with_time else 250)  # buttons stay beside the box
        return wrap

    def focus_widget(self) -> QWidget:
        """The date box."""
        return self.editor

    def retranslate_input(self) -> None:
        """An example date in the interface language's calendar as placeholder."""
        lang = current_language()
        example = format_date(dt.date.today(), lang, "short")
        self.editor.setPlaceholderText(_("e.g. {example}").format(example=example))
        self.time.setPlaceholderText(_("HH:MM"))
        if self.editor.text():
            self._tidy()

    def _parsed(self) -> dt.date | None:
        text = self.editor.text().strip()
        self.date_error = None
        if not text:
            return None
        try:
            return parse_date(text, current_language())
        except DateInputError as exc:
            self.date_error = str(exc)
            return None

    def _tidy(self) -> None:
        """Rewrite a readable date in the locale's format, so the user sees what was understood."""
        day = self._parsed()
        if day is not None:
            self.editor.setText(format_date(day, current_language(), "medium"))

    def input_value(self) -> Any:
        """ISO date (CE), or the raw text when unreadable (the form then reports it)."""
        day = self._parsed()
        if day is None:
            return self.editor.text().strip() and "?"
        if not self.with_time:
            return day.isoformat()
        clock = to_ascii_digits(self.time.text()).strip() or "00:00"
        return f"{day.isoformat()}T{clock}"

    def draft_value(self) -> Any:
        """An unreadable date is kept as typed, so a resumed draft shows it again."""
        value = self.value()
        return self.editor.text().strip() if value == "?" else value

    def local_error(self) -> str | None:
        """Why the typed date cannot be read."""
        self._parsed()
        return self.date_error

    def set_input_value(self, value: Any) -> None:
        """Show an ISO date in the interface language's calendar."""
        if not value or not isinstance(value, str):
            self.editor.setText("")
            self.time.setText("")
            return
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            self.editor.setText(value)  # as typed (a draft kept an unreadable date)
            return
        self.editor.setText(format_date(day, current_language(), "medium"))
        self.time.setText(value[11:16] if self.with_time and len(value) >= 16 else "")


class DateTimeField(DateField):
    """A date and a time (HH:MM)."""

    with_time = True
