"""A small dialog to choose a form for a new interview or a follow-up."""

from __future__ import annotations

from tipintake.i18n import _
from tipintake.ui import forms_catalog
from tipintake.ui.qt import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout, QWidget
from tipintake.ui.translator import Retranslatable


class FormPicker(Retranslatable, QDialog):
    """A list of forms by title, OK and Cancel."""

    def __init__(self, parent: QWidget | None, form_ids: list[str], prompt: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("form_picker")
        self.form_ids = form_ids
        self.prompt_text = prompt
        self.prompt = QLabel()
        self.list = QListWidget()
        self.list.setObjectName("forms")
        self.list.addItems([forms_catalog.title(f) for f in form_ids])
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.prompt)
        box.addWidget(self.list)
        box.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.setWindowTitle(_("Choose a form"))
        self.prompt.setText(self.prompt_text or _("Which form do you want to fill in?"))
        for i, form_id in enumerate(self.form_ids):
            self.list.item(i).setText(forms_catalog.title(form_id))

    def chosen(self) -> str | None:
        """The selected form id."""
        row = self.list.currentRow()
        return self.form_ids[row] if 0 <= row < len(self.form_ids) else None


def pick_form(parent: QWidget | None, form_ids: list[str], prompt: str = "") -> str | None:
    """The form to use: the only one without asking, else the user's choice (None on cancel)."""
    if len(form_ids) <= 1:
        return form_ids[0] if form_ids else None
    dialog = FormPicker(parent, form_ids, prompt)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
