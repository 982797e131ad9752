"""The frame around a form's pages (progress, page list, buttons) and the closing panels.

Kept apart from ``form_view.py``, which holds the interview's logic: this module is
layout, texts in the interface language and keyboard access (mnemonics on every
button, Ctrl+S for the draft, Ctrl+Page Down/Up between pages, Ctrl+Return to save).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tipintake.i18n import LANGUAGES, _
from tipintake.i18n.formtext import field_text, form_title
from tipintake.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QShortcut,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
)
from tipintake.ui.translator import LANGUAGE_NAMES

if TYPE_CHECKING:
    from tipintake.ui.form_view import FormWindow


class FormChrome(QWidget):
    """Title, interview language, progress, page list, the pages, buttons and a status line."""

    def __init__(self, window: FormWindow) -> None:
        super().__init__()
        self.window_ = window
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.language = QComboBox()
        self.language.setObjectName("interview_language")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(window.form_lang))
        self.language.currentIndexChanged.connect(
            lambda: window.set_form_language(self.language.currentData()))
        self.language_label = QLabel()
        self.language_label.setBuddy(self.language)
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setTextVisible(False)
        self.where = QLabel()
        self.where.setObjectName("where")
        self.page_list = QListWidget()
        self.page_list.setObjectName("pages")
        self.page_list.setMaximumWidth(230)
        self.page_list.setWordWrap(True)  # long section titles wrap instead of scrolling
        self.page_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page_list.itemActivated.connect(lambda item: window.go_to(self.page_list.row(item)))
        self.page_list.itemClicked.connect(lambda item: window.go_to(self.page_list.row(item)))
        self.stack = QStackedWidget()
        self.back = QPushButton()
        self.back.setObjectName("back")
        self.back.clicked.connect(window.previous_page)
        self.next = QPushButton()
        self.next.setObjectName("next")
        self.next.clicked.connect(window.next_page)
        self.skip = QPushButton()
        self.skip.setObjectName("skip_section")
        self.skip.clicked.connect(window.skip_page)
        self.defer = QPushButton()
        self.defer.setObjectName("defer_section")
        self.defer.clicked.connect(window.defer_page)
        self.draft = QPushButton()
        self.draft.setObjectName("save_draft")
        self.draft.clicked.connect(lambda: window.save_draft(force=True))
        self.save = QPushButton()
        self.save.setObjectName("finish")
        self.save.clicked.connect(window.finish)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.language_label)
        top.addWidget(self.language)
        middle = QHBoxLayout()
        middle.addWidget(self.page_list)
        middle.addWidget(self.stack, 1)
        sensitive = QHBoxLayout()
        sensitive.addWidget(self.skip)
        sensitive.addWidget(self.defer)
        sensitive.addStretch()
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addWidget(self.next)
        buttons.addStretch()
        buttons.addWidget(self.draft)
        buttons.addWidget(self.save)
        col = QVBoxLayout(self)
        col.addLayout(top)
        col.addWidget(self.progress)
        col.addWidget(self.where)
        col.addLayout(middle, 1)
        col.addLayout(sensitive)
        col.addWidget(self.status)
        col.addLayout(buttons)
        for keys, slot in (("Ctrl+S", lambda: window.save_draft(force=True)),
                           ("Ctrl+PgDown", window.next_page), ("Ctrl+PgUp", window.previous_page),
                           ("Ctrl+Return", window.finish)):
            QShortcut(QKeySequence(keys), self, activated=slot)

    def retranslate(self) -> None:
        """Texts in the interface language."""
        w = self.window_
        self.title.setText(form_title(w.spec, w.form_lang))
        # TRANSLATORS: chooses the language the form's questions are shown in.
        self.language_label.setText(_("&Questions in:"))
        self.back.setText(_("&Back"))
        self.next.setText(_("&Next"))
        self.skip.setText(_("S&kip this section"))
        self.skip.setToolTip(_("Questions that allow it are recorded as not asked."))
        self.defer.setText(_("Ask &later"))
        self.defer.setToolTip(_("Go on and come back to this section before saving."))
        self.draft.setText(_("Save &draft"))
        self.save.setText(_("&Finish and save"))
        self.show_page(w.current)

    def page_title(self, index: int) -> str:
        """A page's title in the interview language."""
        w = self.window_
        page = w.pages[index]
        if page.group is not None:
            return field_text(w.spec, page.group, "label", w.form_lang) or page.key
        return form_title(w.spec, w.form_lang)

    def show_page(self, index: int) -> None:
        """Show page ``index`` with its progress and which buttons apply."""
        w = self.window_
        if index < 0:
            return
        self.stack.setCurrentIndex(index)
        relevant = w.relevant_pages()
        position = relevant.index(index) + 1 if index in relevant else 1
        self.progress.setRange(0, max(len(relevant), 1))
        self.progress.setValue(position)
        later = ", ".join(self.page_title(i) for i in range(len(w.pages)) if w.pages[i].key in w.deferred)
        where = _("Page {number} of {total}: {title}").format(
            number=position, total=len(relevant), title=self.page_title(index))
        if later:
            where = _("{where} (to ask later: {sections})").format(where=where, sections=later)
        self.where.setText(where)
        self.page_list.blockSignals(True)
        self.page_list.clear()
        for i in range(len(w.pages)):
            self.page_list.addItem(self.page_title(i))
            self.page_list.item(i).setHidden(i not in relevant)
        self.page_list.setCurrentRow(index)
        self.page_list.blockSignals(False)
        self.back.setEnabled(any(i < index for i in relevant))
        self.next.setEnabled(any(i > index for i in relevant) or index == 0)
        sensitive = w.pages[index].sensitive
        self.skip.setVisible(sensitive)
        self.defer.setVisible(sensitive)
        self.title.setText(form_title(w.spec, w.form_lang))

    def set_form_language(self, language: str) -> None:
        """Follow the interview language answered in the form."""
        if language in LANGUAGES:
            self.language.setCurrentIndex(LANGUAGES.index(language))

    def set_status(self, text: str) -> None:
        """One line under the page."""
        self.status.setText(text)

    def set_busy(self, busy: bool) -> None:
        """While saving, the buttons wait."""
        for button in (self.back, self.next, self.draft, self.save):
            button.setEnabled(not busy)
        if busy:
            self.status.setText(_("Saving…"))


class EndPanel(QWidget):
    """What the interviewer sees after saving, or when the person did not consent."""

    def __init__(self, window: FormWindow) -> None:
        super().__init__()
        self.window_ = window
        self.kind = ""
        self.reference = ""
        self.message = QLabel()
        self.message.setObjectName("end_message")
        self.message.setWordWrap(True)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.message.setFont(font)
        self.open_case = QPushButton()
        self.open_case.setObjectName("open_case")
        self.open_case.clicked.connect(self._open_case)
        self.close = QPushButton()
        self.close.setObjectName("close")
        self.close.clicked.connect(window.close)
        col = QVBoxLayout(self)
        col.addStretch()
        col.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.open_case)
        row.addWidget(self.close)
        col.addLayout(row)
        col.addStretch()

    def show_saved(self, reference: str) -> None:
        """The record is saved."""
        self.kind, self.reference = "saved", reference
        self.retranslate()
        self.close.setFocus()

    def show_no_consent(self) -> None:
        """No consent: nothing was recorded."""
        self.kind = "no_consent"
        self.retranslate()
        self.close.setFocus()

    def retranslate(self) -> None:
        """Texts in the interface language."""
        if self.kind == "saved":
            self.message.setText(_("Saved case {reference}. Thank you.").format(reference=self.reference))
        elif self.kind == "no_consent":
            self.message.setText(_("Thank you for your time. Without consent the interview ends here, "
                                   "and nothing has been recorded. Offer information about the "
                                   "services available."))
        self.open_case.setText(_("&Open the case"))
        self.open_case.setVisible(self.kind == "saved")
        self.close.setText(_("&Close"))

    def _open_case(self) -> None:
        w = self.window_
        if w.case_id:
            w.main.open_case(w.case_id)
        w.close()
