"""Repeated blocks (children, travel legs, employers): add and remove entries.

Each entry is a frame holding one widget per question of the repeat; the answer is
the list of entries, each a dict of answers by field name, as the forms layer expects.
"""

from __future__ import annotations

from typing import Any

from tipintake.forms.spec import FieldType
from tipintake.i18n import _
from tipintake.ui.qt import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from tipintake.ui.widgets.base import FieldWidget


class RepeatField(FieldWidget):
    """A list of entries with Add and Remove buttons."""

    def build_input(self) -> QWidget:
        """The entries and an Add button."""
        self.entries: list[tuple[QGroupBox, dict[str, FieldWidget], QPushButton]] = []
        wrap = QWidget()
        self.entries_box = QVBoxLayout()
        self.add_button = QPushButton()
        self.add_button.setObjectName("repeat_add")
        self.add_button.clicked.connect(lambda: self.add_entry(focus=True))
        col = QVBoxLayout(wrap)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(self.entries_box)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch()
        col.addLayout(row)
        return wrap

    def focus_widget(self) -> QWidget:
        """The Add button."""
        return self.add_button

    def child_fields(self) -> list[Any]:
        """The repeat's questions (inner groups flattened)."""
        return [f for f in _walk(self.field.fields) if f.type is not FieldType.GROUP]

    def add_entry(self, values: dict[str, Any] | None = None, *, focus: bool = False) -> None:
        """Append an entry (filled from ``values`` when given)."""
        from tipintake.ui.widgets.factory import make_field

        frame = QGroupBox()
        col = QVBoxLayout(frame)
        widgets: dict[str, FieldWidget] = {}
        for child in self.child_fields():
            widget = make_field(self.spec, child, self.language)
            if values and child.name in values:
                widget.set_value(values[child.name])
            widget.edited.connect(lambda _name: self.emit_edited())
            widgets[child.name] = widget
            col.addWidget(widget)
        remove = QPushButton()
        remove.setObjectName("repeat_remove")
        remove.clicked.connect(lambda: self.remove_entry(frame))
        col.addWidget(remove)
        self.entries.append((frame, widgets, remove))
        self.entries_box.addWidget(frame)
        self.retranslate_input()
        if focus and widgets:
            next(iter(widgets.values())).focus_widget().setFocus()
        if values is None:
            self.emit_edited()

    def remove_entry(self, frame: QGroupBox) -> None:
        """Remove one entry."""
        self.entries = [e for e in self.entries if e[0] is not frame]
        frame.setParent(None)
        frame.deleteLater()
        self.retranslate_input()
        self.emit_edited()
        self.add_button.setFocus()

    def retranslate_input(self) -> None:
        """Entry titles and buttons in the interface language; questions in the interview language."""
        self.add_button.setText(_("&Add an entry"))
        for i, (frame, widgets, remove) in enumerate(self.entries, start=1):
            frame.setTitle(_("Entry {number}").format(number=i))
            remove.setText(_("Remove entry {number}").format(number=i))
            for widget in widgets.values():
                if widget.language != self.language:
                    widget.set_language(self.language)

    def input_value(self, *, for_draft: bool = False) -> Any:
        """A list of dicts of non-blank answers (as typed, for a draft)."""
        out = []
        for _frame, widgets, _remove in self.entries:
            entry = {}
            for name, widget in widgets.items():
                value = widget.draft_value() if for_draft else widget.value()
                if value not in (None, "", []):
                    entry[name] = value
            out.append(entry)
        return out

    def draft_value(self) -> Any:
        """Every entry as typed."""
        return self.missing_code or self.input_value(for_draft=True)

    def set_input_value(self, value: Any) -> None:
        """Rebuild the entries from a stored list."""
        for frame, _widgets, _remove in self.entries:
            frame.setParent(None)
            frame.deleteLater()
        self.entries = []
        for entry in value or []:
            if isinstance(entry, dict):
                self.add_entry(entry)

    def apply_relevance(self, outer: dict[str, Any], today: Any = None) -> None:
        """Show in each entry only the questions that apply to that entry."""
        from tipintake.forms.program import evaluate_scope, program

        unit = program(self.spec).by_name.get(self.field.name)
        if unit is None:
            return
        for _frame, widgets, _remove in self.entries:
            raw = {name: w.value() for name, w in widgets.items() if w.value() not in (None, "", [])}
            relevance: dict[str, bool] = {}
            evaluate_scope(unit.children, raw, outer, today, relevance)
            for name, widget in widgets.items():
                widget.setVisible(relevance.get(name, True) and widget.showable())

    def show_entry_errors(self, errors: dict[str, str]) -> None:
        """Errors keyed ``name[i].child`` under the matching entry's question."""
        for i, (_frame, widgets, _remove) in enumerate(self.entries, start=1):
            for child, widget in widgets.items():
                widget.show_error(errors.get(f"{self.field.name}[{i}].{child}"))


def _walk(fields: Any) -> Any:
    for f in fields:
        yield f
        if f.fields and f.type is FieldType.GROUP:
            yield from _walk(f.fields)
