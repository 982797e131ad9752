"""The Drafts page: unfinished interviews of the signed-in user, to resume or discard.

Drafts live in the encrypted store (never in temp files); the list shows only the
form, the case reference for follow-ups, the page reached and when, no answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tipintake.i18n import _, current_language
from tipintake.store.cases import CaseFilter, DraftInfo
from tipintake.ui import forms_catalog
from tipintake.ui.cases_model import format_when
from tipintake.ui.fonts import row_height
from tipintake.ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from tipintake.ui.translator import Retranslatable

if TYPE_CHECKING:
    from tipintake.store.session import Session
    from tipintake.ui.main_window import MainWindow


@dataclass(frozen=True, slots=True)
class DraftRow:
    """One line of the list: the draft and, for a follow-up, its case's reference."""

    draft: DraftInfo
    reference: str | None  # None for a new intake, or a case this user may no longer see


def load_drafts(session: Session) -> list[DraftRow]:
    """The signed-in user's drafts with the references of the cases they follow up.

    One read of the store's case list for all of them (never SQL here): the references
    come with the same permissions as the Cases page.
    """
    drafts = session.drafts.list()
    ids = tuple(dict.fromkeys(d.case_id for d in drafts if d.case_id))
    references: dict[str, str] = {}
    if ids:
        references = {row.id: row.reference
                      for row in session.cases.list(CaseFilter(ids=ids), limit=len(ids))}
    return [DraftRow(d, references.get(d.case_id) if d.case_id else None) for d in drafts]


class DraftsPage(Retranslatable, QWidget):
    """A table of drafts with Resume and Discard."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__()
        self.main = main
        self.drafts: list[DraftInfo] = []
        self.references: list[str | None] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("drafts")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemActivated.connect(lambda _item: self.resume())
        self.resume_button = QPushButton()
        self.resume_button.setObjectName("resume")
        self.resume_button.clicked.connect(self.resume)
        self.discard_button = QPushButton()
        self.discard_button.setObjectName("discard")
        self.discard_button.clicked.connect(self.discard)
        row = QHBoxLayout()
        row.addWidget(self.resume_button)
        row.addWidget(self.discard_button)
        row.addStretch()
        col = QVBoxLayout(self)
        col.addWidget(self.intro)
        col.addWidget(self.table)
        col.addLayout(row)
        self.refresh()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.intro.setText(_("Interviews that were not finished are kept here, encrypted, until "
                             "they are saved or discarded."))
        self.table.setHorizontalHeaderLabels([_("Form"), _("Case"), _("Page reached"), _("Last saved")])
        self.resume_button.setText(_("&Resume"))
        self.discard_button.setText(_("D&iscard"))
        self.table.verticalHeader().setDefaultSectionSize(row_height(current_language()))
        self.refresh()

    def refresh(self) -> None:
        """Read the drafts again."""
        if self.main.locking:
            return  # the store is closing: nothing may be read any more
        rows = load_drafts(self.main.session)
        self.drafts = [r.draft for r in rows]
        self.references = [r.reference for r in rows]
        lang = current_language()
        self.table.setRowCount(len(self.drafts))
        for row, (draft, reference) in enumerate(zip(self.drafts, self.references, strict=True)):
            cells = (forms_catalog.title(draft.form_id), case_cell(draft, reference),
                     str(draft.page + 1), format_when(draft.updated_at, lang))
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if self.drafts:
            self.table.selectRow(0)
        self.resume_button.setEnabled(bool(self.drafts))
        self.discard_button.setEnabled(bool(self.drafts))

    def selected(self) -> DraftInfo | None:
        """The draft under the cursor."""
        row = self.table.currentRow()
        return self.drafts[row] if 0 <= row < len(self.drafts) else None

    def resume(self) -> QWidget | None:
        """Open the selected draft where it was left."""
        draft = self.selected()
        if draft is None:
            return None
        return self.main.open_form(draft.form_id, draft_id=draft.id)

    def discard(self) -> None:
        """Delete the selected draft after asking."""
        draft = self.selected()
        if draft is None:
            return
        answer = QMessageBox.question(self, _("Discard the draft?"),
                                      _("The answers in this draft will be deleted. This cannot be undone."))
        if answer == QMessageBox.StandardButton.Yes:
            self.main.session.drafts.discard(draft.id)
            self.refresh()

    def before_lock(self) -> None:
        """Forget the list."""
        self.table.setRowCount(0)
        self.drafts = []
        self.references = []


def case_cell(draft: DraftInfo, reference: str | None) -> str:
    """The Case column: the reference a follow-up belongs to, or that the draft is a new case."""
    if draft.case_id is None:
        # TRANSLATORS: Drafts list, Case column, for an interview that will create a new case.
        return _("New case")
    if reference is None:
        # TRANSLATORS: Drafts list, Case column, when the followed-up case cannot be shown.
        return _("Follow-up (case not available)")
    # TRANSLATORS: Drafts list, Case column; {reference} is a case reference such as K7M2-Q2X4.
    return _("Follow-up of {reference}").format(reference=reference)
