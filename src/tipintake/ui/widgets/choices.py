"""Select questions: radio buttons or a searchable list for one answer, check boxes for several.

Short lists are radio buttons or check boxes (arrow keys and space work); long lists
(countries, languages) are a combo box that filters as you type. Choice labels come
from the catalogs in the interview language; the stored answer is always the code.

A cascading list (a ``choice_filter``, e.g. provinces of the chosen country) offers only
the choices the form allows now (``set_choices``, called by the form window whenever an
answer the filter reads changes). An answer that no longer fits is cleared, and a line
under the question says so: the interviewer must see that it went, not find it missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tipintake.forms.spec import MISSING_CODES, Choice
from tipintake.i18n import _
from tipintake.i18n.formtext import choice_label
from tipintake.ui.qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    Qt,
    QWidget,
)
from tipintake.ui.widgets import HINT_COLOUR, set_text_colour
from tipintake.ui.widgets.base import FieldWidget

RADIO_LIMIT = 8
CHECK_LIMIT = 16


def _columns(count: int) -> int:
    return 1 if count <= 5 else 2


def _first(choices: Sequence[Choice], code: Any, preferred: Sequence[Choice]) -> int:
    """Index in ``choices`` of ``code``: among ``preferred`` first (a cascading list may repeat a
    code under another parent, e.g. a county of the same name in two states), -1 when absent."""
    fallback = -1
    for i, choice in enumerate(choices):
        if choice.value == code:
            if any(choice is p for p in preferred):
                return i
            if fallback < 0:
                fallback = i
    return fallback


class _ChoiceField(FieldWidget):
    """What both select widgets share: the choices offered now and the "cleared" line."""

    choices: list[Choice]
    offered: list[Choice]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cleared: list[Choice] = []  # what a changed earlier answer took away, until the next choice
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setObjectName("cleared_notice")
        set_text_colour(self.notice, HINT_COLOUR)
        self.notice.hide()
        self.box.addWidget(self.notice)

    def set_choices(self, choices: Sequence[Choice]) -> bool:
        """Offer exactly ``choices``; True when the answer no longer fitted and was cleared."""
        raise NotImplementedError

    def _keeps(self, code: Any) -> bool:
        """Whether ``code`` survives a new list: offered, or a missing-answer code the field accepts."""
        return (any(c.value == code for c in self.offered)
                or (self.field.allow_missing and code in MISSING_CODES))

    def _show_cleared(self, dropped: list[Choice]) -> None:
        self.cleared = dropped
        self._retranslate_notice()

    def _retranslate_notice(self) -> None:
        if not getattr(self, "cleared", None) or not hasattr(self, "notice"):
            if hasattr(self, "notice"):
                self.notice.hide()
            return
        labels = ", ".join(choice_label(self.spec, self.field, c, self.language) for c in self.cleared)
        # TRANSLATORS: under a list whose choices depend on an earlier answer that was changed.
        self.notice.setText(_("“{answer}” does not fit the changed answer above and was cleared: "
                              "choose again.").format(answer=labels))
        self.notice.show()

    def emit_edited(self) -> None:
        """The person chose: the "cleared" line has done its job."""
        if self.cleared:
            self.cleared = []
            self.notice.hide()
        super().emit_edited()

    def clear(self) -> None:
        """Forget the answer and the line about a cleared one (on lock)."""
        self.cleared = []
        super().clear()
        self.notice.hide()


class SelectOneField(_ChoiceField):
    """One answer from a list."""

    def build_input(self) -> QWidget:
        """Radio buttons for short lists, a filtering combo box for long ones."""
        self.choices = list(self.field.choices or ())
        self.offered = list(self.choices)
        self.combo: QComboBox | None = None
        self.group = QButtonGroup(self)
        self.radios: list[QRadioButton] = []
        wrap = QWidget()
        # The full list decides the kind of input, so that it never changes under the
        # interviewer's hands when a cascading filter shortens the list.
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
        """Choice labels in the interview language (a drop-down lists only the offered ones)."""
        self._retranslate_notice()
        if self.combo is not None:
            current = self.input_value()
            self.combo.blockSignals(True)
            self.combo.clear()
            # TRANSLATORS: the empty first entry of a drop-down list.
            self.combo.addItem(_("(choose)"), "")
            for choice in self.offered:
                self.combo.addItem(choice_label(self.spec, self.field, choice, self.language), choice.value)
            self.set_input_value(current)
            self.combo.blockSignals(False)
            return
        for radio, choice in zip(self.radios, self.choices, strict=True):
            radio.setText(choice_label(self.spec, self.field, choice, self.language))

    def input_value(self) -> Any:
        """The chosen code ("" when none)."""
        if self.combo is not None:
            return self.combo.currentData() or ""
        checked = self.group.checkedId()
        return self.choices[checked].value if checked >= 0 else ""

    def set_input_value(self, value: Any) -> None:
        """Select the choice with code ``value``."""
        if self.combo is not None:
            found = next((i for i, c in enumerate(self.offered) if c.value == value), -1)
            self.combo.setCurrentIndex(found + 1)
            return
        found = _first(self.choices, value, self.offered)
        if found >= 0:
            self.radios[found].setChecked(True)
        else:
            self.group.setExclusive(False)
            for radio in self.radios:
                radio.setChecked(False)
            self.group.setExclusive(True)

    def set_choices(self, choices: Sequence[Choice]) -> bool:
        """Offer exactly ``choices``; keep the answer if it is among them, else clear it."""
        current = self.input_value()
        self.offered = list(choices)
        kept = current == "" or self._keeps(current)
        dropped = [] if kept else [self.choices[i] for i in (_first(self.choices, current, ()),) if i >= 0]
        # Redrawing the list is not an answer: the form window decides what a clearing changes.
        self.blockSignals(True)
        self.group.blockSignals(True)
        try:
            if self.combo is not None:
                self.retranslate_input()
            else:
                for radio, choice in zip(self.radios, self.choices, strict=True):
                    radio.setVisible(any(choice is c for c in self.offered))
            self.set_input_value(current if kept else None)
        finally:
            self.group.blockSignals(False)
            self.blockSignals(False)
        if dropped:
            self._show_cleared(dropped)
        return not kept


class SelectMultipleField(_ChoiceField):
    """Several answers from a list."""

    def build_input(self) -> QWidget:
        """Check boxes in one or two columns."""
        self.choices = list(self.field.choices or ())
        self.offered = list(self.choices)
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
        self._retranslate_notice()
        for box, choice in zip(self.boxes, self.choices, strict=True):
            box.setText(choice_label(self.spec, self.field, choice, self.language))

    def input_value(self) -> Any:
        """The chosen codes in list order, each once ([] when none)."""
        out: list[str] = []
        for choice, box in zip(self.choices, self.boxes, strict=True):
            if box.isChecked() and choice.value not in out:
                out.append(choice.value)
        return out

    def set_input_value(self, value: Any) -> None:
        """Tick the codes in ``value`` (an offered box where a code appears twice)."""
        chosen = set(value or []) if not isinstance(value, str) else set(value.split())
        ticked = {_first(self.choices, code, self.offered) for code in chosen}
        for i, box in enumerate(self.boxes):
            box.blockSignals(True)
            box.setChecked(i in ticked)
            box.blockSignals(False)

    def set_choices(self, choices: Sequence[Choice]) -> bool:
        """Offer exactly ``choices``; keep the ticked codes among them, clear the others."""
        current = self.input_value()
        self.offered = list(choices)
        kept = [code for code in current if self._keeps(code)]
        dropped = [self.choices[i] for i in (_first(self.choices, c, ()) for c in current if c not in kept)
                   if i >= 0]
        for box, choice in zip(self.boxes, self.choices, strict=True):
            box.setVisible(any(choice is c for c in self.offered))
        self.set_input_value(kept)  # signals blocked there: the form window handles a clearing
        if dropped:
            self._show_cleared(dropped)
        return len(kept) != len(current)
