"""Select questions: radio buttons or a searchable list for one answer, check boxes for several.

Short lists are radio buttons or check boxes (arrow keys and space work); long lists
(countries, languages) are a combo box that filters as you type. Choice labels come
from the catalogs in the interview language; the stored answer is always the code.
"""

from __future__ import annotations

from typing import Any

from tipintake.forms.spec import Choice
from tipintake.i18n import _
from tipintake.i18n.formtext import choice_label
from tipintake.ui.qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QRadioButton,
    Qt,
    QWidget,
)
from tipintake.ui.widgets.base import FieldWidget

RADIO_LIMIT = 8
CHECK_LIMIT = 16


def _columns(count: int) -> int:
    return 1 if count <= 5 else 2


class SelectOneField(FieldWidget):
    """One answer from a list."""

    def build_input(self) -> QWidget:
        """Radio buttons for short lists, a filtering combo box for long ones."""
        self.choices: list[Choice] = list(self.field.choices or ())
        self.combo: QComboBox | None = None
        self.group = QButtonGroup(self)
        self.radios: list[QRadioButton] = []
        wrap = QWidget()
        if len(self.choices) > RADIO_LIMIT:
            self.combo = QComboBox()
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            self.combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
            self.combo.completer().setCompletionMode(self.combo.completer().CompletionMode.PopupCompletion)
            self.combo.currentIndexChanged.connect(lambda _i: self.emit_edited())
            grid = QGridLayout(wrap)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.addWidget(self.combo, 0, 0)
            return wrap
        grid = QGridLayout(wrap)
        grid.setContentsMargins(0, 0, 0, 0)
        # Yes / No / Unknown and other short lists read best on one line.
        short = len(self.choices) <= 5 and all(
            len(c.label_in("en")) <= 20 for c in self.choices)
        cols = len(self.choices) if short else _columns(len(self.choices))
        rows = (len(self.choices) + cols - 1) // cols
        for i, choice in enumerate(self.choices):
            radio = QRadioButton()
            radio.setObjectName(f"choice_{choice.value}")
            self.group.addButton(radio, i)
            self.radios.append(radio)
            grid.addWidget(radio, i % rows, i // rows)
        if short:
            grid.setColumnStretch(cols, 1)
        self.group.idToggled.connect(lambda _id, on: on and self.emit_edited())
        return wrap

    def focus_widget(self) -> QWidget:
        """The combo box or the first radio button."""
        return self.combo or (self.radios[0] if self.radios else self)

    def retranslate_input(self) -> None:
        """Choice labels in the interview language."""
        labels = [choice_label(self.spec, self.field, c, self.language) for c in self.choices]
        if self.combo is not None:
            current = self.input_value()
            self.combo.blockSignals(True)
            self.combo.clear()
            # TRANSLATORS: the empty first entry of a drop-down list.
            self.combo.addItem(_("(choose)"), "")
            for choice, label in zip(self.choices, labels, strict=True):
                self.combo.addItem(label, choice.value)
            self.set_input_value(current)
            self.combo.blockSignals(False)
            return
        for radio, label in zip(self.radios, labels, strict=True):
            radio.setText(label)

    def input_value(self) -> Any:
        """The chosen code ("" when none)."""
        if self.combo is not None:
            return self.combo.currentData() or ""
        checked = self.group.checkedId()
        return self.choices[checked].value if checked >= 0 else ""

    def set_input_value(self, value: Any) -> None:
        """Select the choice with code ``value``."""
        codes = [c.value for c in self.choices]
        if self.combo is not None:
            self.combo.setCurrentIndex(codes.index(value) + 1 if value in codes else 0)
            return
        if value in codes:
            self.radios[codes.index(value)].setChecked(True)
        else:
            self.group.setExclusive(False)
            for radio in self.radios:
                radio.setChecked(False)
            self.group.setExclusive(True)

    def set_allowed(self, allowed: set[str] | None) -> None:
        """Show only the choices a cascading filter allows (None: all)."""
        for radio, choice in zip(self.radios, self.choices, strict=True):
            radio.setVisible(allowed is None or choice.value in allowed)


class SelectMultipleField(FieldWidget):
    """Several answers from a list."""

    def build_input(self) -> QWidget:
        """Check boxes in one or two columns."""
        self.choices = list(self.field.choices or ())
        self.boxes: list[QCheckBox] = []
        wrap = QWidget()
        grid = QGridLayout(wrap)
        grid.setContentsMargins(0, 0, 0, 0)
        cols = 1 if len(self.choices) <= 5 else (2 if len(self.choices) <= CHECK_LIMIT else 3)
        rows = (len(self.choices) + cols - 1) // cols
        for i, choice in enumerate(self.choices):
            box = QCheckBox()
            box.setObjectName(f"choice_{choice.value}")
            box.toggled.connect(lambda _on: self.emit_edited())
            self.boxes.append(box)
            grid.addWidget(box, i % rows, i // rows)
        return wrap

    def focus_widget(self) -> QWidget:
        """The first check box."""
        return self.boxes[0] if self.boxes else self

    def retranslate_input(self) -> None:
        """Choice labels in the interview language."""
        for box, choice in zip(self.boxes, self.choices, strict=True):
            box.setText(choice_label(self.spec, self.field, choice, self.language))

    def input_value(self) -> Any:
        """The chosen codes in list order ([] when none)."""
        return [c.value for c, b in zip(self.choices, self.boxes, strict=True) if b.isChecked()]

    def set_input_value(self, value: Any) -> None:
        """Tick the codes in ``value``."""
        chosen = set(value or []) if not isinstance(value, str) else set(value.split())
        for box, choice in zip(self.boxes, self.choices, strict=True):
            box.blockSignals(True)
            box.setChecked(choice.value in chosen)
            box.blockSignals(False)

    def set_allowed(self, allowed: set[str] | None) -> None:
        """Show only the choices a cascading filter allows (None: all)."""
        for box, choice in zip(self.boxes, self.choices, strict=True):
            box.setVisible(allowed is None or choice.value in allowed)
