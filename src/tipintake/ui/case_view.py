"""One case: every revision, who saved it and what changed, and the answers of each.

Identity answers (names, numbers, the person's own story) appear only for roles with
need to know; for others the store returns no identity at all and this window says
that it is hidden. A follow-up form and a status change start from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tipintake.forms.spec import FieldType
from tipintake.i18n import _, current_language, ngettext
from tipintake.i18n.calendars import format_date
from tipintake.store.cases import STATUSES, CaseDetail, RevisionView
from tipintake.store.roles import Permission
from tipintake.ui import forms_catalog, operations
from tipintake.ui.cases_model import format_when, status_label
from tipintake.ui.fonts import row_height
from tipintake.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from tipintake.ui.reports.pdf_dialog import ReferralButton
from tipintake.ui.translator import LANGUAGE_NAMES, Retranslatable

if TYPE_CHECKING:
    from tipintake.ui.main_window import MainWindow


def answer_text(spec: Any, name: str, value: Any, lang: str) -> str:
    """An answer for reading: choice labels instead of codes, lists joined."""
    from tipintake.i18n.formtext import choice_label

    if spec is not None and spec.has_field(name):
        f = spec.field(name)
        if f.type is FieldType.DATE and isinstance(value, str) and len(value) == 10:
            try:
                return format_date(value, lang, "medium")
            except ValueError:
                return value
        labels = {c.value: choice_label(spec, f, c, lang) for c in f.choices or ()}
        if isinstance(value, list):
            return ", ".join(labels.get(v, str(v)) if not isinstance(v, dict) else "…" for v in value)
        if isinstance(value, str) and value in labels:
            return labels[value]
    return "" if value is None else str(value)


def question_text(spec: Any, name: str, lang: str) -> str:
    """A field's label (its name when the form is unknown)."""
    from tipintake.i18n.formtext import field_text

    if spec is not None and spec.has_field(name):
        return field_text(spec, spec.field(name), "label", lang) or name
    return name


class CaseWindow(Retranslatable, QWidget):
    """Revisions on the left, the selected revision's answers on the right."""

    def __init__(self, main: MainWindow, case_id: str) -> None:
        super().__init__(main, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("case_window")
        self.main = main
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        self.identity_note = QLabel()
        self.identity_note.setObjectName("identity_note")
        self.identity_note.setWordWrap(True)
        self.revisions = QTreeWidget()
        self.revisions.setObjectName("revisions")
        self.revisions.setColumnCount(3)
        self.revisions.setColumnWidth(0, 200)
        self.revisions.setColumnWidth(1, 150)
        self.revisions.currentItemChanged.connect(lambda *_a: self.show_revision())
        self.answers = QTableWidget(0, 2)
        self.answers.setObjectName("answers")
        self.answers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.answers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.answers.verticalHeader().setVisible(False)
        self.answers.setWordWrap(True)
        split = QSplitter()
        split.addWidget(self.revisions)
        split.addWidget(self.answers)
        split.setSizes([380, 620])
        self.follow_up = QPushButton()
        self.follow_up.setObjectName("follow_up")
        self.follow_up.clicked.connect(self.start_follow_up)
        self.follow_up.setVisible(main.session.can(Permission.EDIT) and bool(forms_catalog.available_forms()))
        self.status = QComboBox()
        self.status.setObjectName("status")
        self.status.setVisible(main.session.can(Permission.EDIT))
        self.status.activated.connect(self.change_status)
        self.status_label = QLabel()
        self.status_label.setBuddy(self.status)
        self.status_label.setVisible(main.session.can(Permission.EDIT))
        row = QHBoxLayout()
        row.addWidget(self.status_label)
        row.addWidget(self.status)
        row.addStretch()
        row.addWidget(self.follow_up)
        row.addWidget(ReferralButton(main, case_id))  # reports: the referral PDF
        col = QVBoxLayout(self)
        col.addWidget(self.heading)
        col.addWidget(self.identity_note)
        col.addWidget(split, 1)
        col.addLayout(row)
        self.resize(1000, 640)
        self.load()
        self.retranslate_ui()

    def load(self) -> None:
        """Read the case (audited by the store)."""
        self.detail = self.main.session.cases.show(self.case_id)
        self.fill()

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        self.revisions.setHeaderLabels([_("Revision"), _("Saved"), _("By")])
        self.answers.setHorizontalHeaderLabels([_("Question"), _("Answer")])
        self.follow_up.setText(_("&Follow-up form…"))
        self.status_label.setText(_("&Status:"))
        self.answers.verticalHeader().setDefaultSectionSize(row_height(current_language()))
        self.fill()

    def fill(self) -> None:
        """Heading, revision list and status from ``self.detail``."""
        if self.detail is None:
            return
        lang = current_language()
        row = self.detail.row
        self.setWindowTitle(_("Case {reference}").format(reference=row.reference))
        language = self.detail.interview_language
        self.heading.setText(_("Case {reference} · {status} · interview language: {language}").format(
            reference=row.reference, status=status_label(row.status),
            language=LANGUAGE_NAMES.get(language or "", language or _("not recorded"))))
        hidden = any(r.identity is None for r in self.detail.revisions)
        self.identity_note.setText(_("Names, contact details and the person's own account are hidden: "
                                     "your role does not need to know them.") if hidden else "")
        self.identity_note.setVisible(hidden)
        current = self.revisions.currentIndex().row() if self.revisions.topLevelItemCount() else -1
        self.revisions.blockSignals(True)
        self.revisions.clear()
        for rev in self.detail.revisions:
            item = QTreeWidgetItem([
                _("{number}: {form}").format(number=rev.number, form=forms_catalog.title(rev.form_id)),
                format_when(rev.created_at, lang), rev.created_by])
            spec = forms_catalog.spec(rev.form_id)
            if rev.changed:
                child = QTreeWidgetItem([ngettext("Changed {count} answer: {fields}",
                                                  "Changed {count} answers: {fields}", len(rev.changed)).format(
                    count=len(rev.changed), fields=", ".join(question_text(spec, n, lang) for n in rev.changed))])
                item.addChild(child)
            self.revisions.addTopLevelItem(item)
        self.revisions.expandAll()
        self.revisions.blockSignals(False)
        top = self.revisions.topLevelItem(current if current >= 0 else self.revisions.topLevelItemCount() - 1)
        if top is not None:
            self.revisions.setCurrentItem(top)
        self.show_revision()
        self.status.blockSignals(True)
        self.status.clear()
        for s in STATUSES:
            self.status.addItem(status_label(s), s)
        self.status.setCurrentIndex(STATUSES.index(row.status) if row.status in STATUSES else 0)
        self.status.blockSignals(False)

    def selected_revision(self) -> RevisionView | None:
        """The revision under the cursor (a change line counts as its revision)."""
        item = self.revisions.currentItem()
        if item is None or self.detail is None:
            return None
        if item.parent() is not None:
            item = item.parent()
        return self.detail.revisions[self.revisions.indexOfTopLevelItem(item)]

    def show_revision(self) -> None:
        """The answers of the selected revision (identity only when the role may see it)."""
        rev = self.selected_revision()
        self.answers.setRowCount(0)
        if rev is None:
            return
        lang = current_language()
        spec = forms_catalog.spec(rev.form_id)
        shown = dict(rev.context)
        if rev.identity is not None:
            shown.update({k: v for k, v in rev.identity.items() if not k.startswith("_")})
        order = [f.name for f in spec.fields()] if spec is not None else sorted(shown)
        names = [n for n in order if n in shown] + sorted(n for n in shown if n not in order)
        if spec is not None:  # unlabelled calculations are the form's plumbing, not answers
            names = [n for n in names if not (spec.has_field(n) and spec.field(n).type is FieldType.CALCULATE
                                              and not spec.field(n).label)]
        self.answers.setRowCount(len(names))
        for r, name in enumerate(names):
            self.answers.setItem(r, 0, QTableWidgetItem(question_text(spec, name, lang)))
            self.answers.setItem(r, 1, QTableWidgetItem(answer_text(spec, name, shown[name], lang)))
        self.answers.resizeRowsToContents()  # long answers wrap instead of being cut

    def start_follow_up(self) -> None:
        """Choose a form and fill it in on this case."""
        from tipintake.ui.form_picker import pick_form

        form_id = pick_form(self, forms_catalog.available_forms(), _("Which follow-up form?"))
        if form_id:
            self.main.open_form(form_id, case_id=self.case_id)

    def change_status(self) -> None:
        """Save the chosen status."""
        status = self.status.currentData()
        operations.run(self.main.session.cases.set_status, self.case_id, status,
                       on_done=lambda _r: (self.load(), self.main.refresh()), on_error=self.main.show_error)

    def before_lock(self) -> None:
        """Forget the answers on screen."""
        self.detail = None
        self.answers.setRowCount(0)
        self.revisions.clear()
