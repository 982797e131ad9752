"""Filling in a form: pages with progress, live relevance and calculations, consent first, drafts.

Answers go to the forms layer's incremental evaluator (``FormState``) on every
change; only the questions whose relevance, value or error changed are repainted.
Errors show under a question once it was touched or its page was left. Drafts are
written every few seconds and on every page change, but only after the person has
consented: when they say no, the interview ends politely and nothing is recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tipintake.forms.engine import FormState
from tipintake.forms.spec import FieldType, FormField, FormSpec
from tipintake.i18n import LANGUAGES, _, current_language, ngettext
from tipintake.i18n.formtext import field_text, form_title
from tipintake.ui import operations
from tipintake.ui.form_pages import (
    FormPage,
    consent_given,
    consent_refused,
    not_asked_answers,
    pages_of,
)
from tipintake.ui.form_panels import EndPanel, FormChrome
from tipintake.ui.form_save import DRAFT_META, previous_answers, save_record
from tipintake.ui.qt import (
    QCloseEvent,
    QGroupBox,
    QScrollArea,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from tipintake.ui.translator import Retranslatable
from tipintake.ui.widgets.base import FieldWidget
from tipintake.ui.widgets.factory import make_field
from tipintake.ui.widgets.repeat import RepeatField
from tipintake.ui.widgets.text import TextField

if TYPE_CHECKING:
    from tipintake.ui.main_window import MainWindow


class FormWindow(Retranslatable, QWidget):
    """One interview (a new case, a follow-up on a case, or a resumed draft)."""

    AUTOSAVE_MS = 3000

    def __init__(self, main: MainWindow, spec: FormSpec, *, case_id: str | None = None,
                 draft_id: str | None = None) -> None:
        super().__init__(main, Qt.WindowType.Window)
        self.main, self.session, self.spec = main, main.session, spec
        self.case_id, self.draft_id = case_id, draft_id
        self.setObjectName("form_window")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.widgets: dict[str, FieldWidget] = {}
        self.group_boxes: list[tuple[QGroupBox, FormField, list[str]]] = []
        self.touched: set[str] = set()
        self.deferred: set[str] = set()
        self.dirty = False
        self.finished = False
        self.form_lang = current_language()
        self.pages: list[FormPage] = pages_of(spec)
        # Extended questions appear only where the organisation switched them on (Settings).
        self.extended = bool(self.session.setting("extended_fields", False))
        answers, page = self._initial_answers()
        self.state = FormState(spec, answers, extended=self.extended)
        self.chrome = FormChrome(self)
        self.end = EndPanel(self)
        self.outer = QStackedWidget()
        self.outer.addWidget(self.chrome)
        self.outer.addWidget(self.end)
        box = QVBoxLayout(self)
        box.addWidget(self.outer)
        # Pages are built when first visited (a long form opens in a fraction of the time);
        # answers for pages not built yet wait in ``pending``.
        self.pending: dict[str, Any] = dict(answers)
        self.built: set[int] = set()
        for _form_page in self.pages:
            self.chrome.stack.addWidget(QWidget())
        self.current = -1
        self.go_to(min(page, len(self.pages) - 1), save=False)
        self.autosave = QTimer(self)
        self.autosave.setInterval(self.AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_draft)
        self.autosave.start()
        self.resize(900, 760)
        self.retranslate_ui()

    # -- set-up ----------------------------------------------------------------
    def _initial_answers(self) -> tuple[dict[str, Any], int]:
        if self.draft_id is not None:
            info, answers = self.session.drafts.load(self.draft_id)
            meta = answers.pop(DRAFT_META, {}) or {}
            self.case_id = info.case_id
            self.deferred = set(meta.get("deferred", []))
            self.originals: dict[str, str] = dict(meta.get("originals", {}))
            if meta.get("language") in LANGUAGES:
                self.form_lang = meta["language"]
            return answers, info.page
        self.originals = {}
        if self.case_id is not None:
            answers, language = previous_answers(self.session, self.spec, self.case_id)
            if language in LANGUAGES:
                self.form_lang = language  # a follow-up is asked in the case's interview language
            return answers, 0
        return {}, 0

    def ensure_page(self, index: int) -> None:
        """Build page ``index`` if it is not built yet, filled with the answers waiting for it."""
        if index in self.built or not 0 <= index < len(self.pages):
            return
        self.built.add(index)
        before = set(self.widgets)
        page = self._build_page(self.pages[index])
        placeholder = self.chrome.stack.widget(index)
        self.chrome.stack.insertWidget(index, page)
        self.chrome.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        new = set(self.widgets) - before
        for name in new:
            if name in self.pending:
                self.widgets[name].set_value(self.pending.pop(name))
        self.refresh(new)

    def widget(self, name: str) -> FieldWidget:
        """The widget of question ``name`` (its page is built if needed)."""
        if name not in self.widgets:
            for i, page in enumerate(self.pages):
                if any(q.name == name for q in page.questions()):
                    self.ensure_page(i)
        return self.widgets[name]

    def _build_page(self, page: FormPage) -> QWidget:
        content = QWidget()
        col = QVBoxLayout(content)
        self._add_fields(col, page.fields)
        col.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        return scroll

    def _add_fields(self, col: QVBoxLayout, fields: list[FormField] | tuple[FormField, ...]) -> None:
        for f in fields:
            if f.type is FieldType.GROUP:
                group = QGroupBox(field_text(self.spec, f, "label", self.form_lang))
                inner = QVBoxLayout(group)
                self._add_fields(inner, f.fields)
                names = [q.name for q in f.fields if q.type is not FieldType.GROUP]
                self.group_boxes.append((group, f, names))
                col.addWidget(group)
                continue
            if f.extended and not self.extended:
                continue
            widget = make_field(self.spec, f, self.form_lang)
            widget.edited.connect(self.on_edited)
            self.widgets[f.name] = widget
            col.addWidget(widget)

    # -- answers ---------------------------------------------------------------
    def on_edited(self, name: str) -> None:
        """An answer changed: evaluate what depends on it and repaint only that."""
        widget = self.widgets[name]
        if isinstance(widget, TextField) and widget.original is not None:
            self.originals[name] = widget.original
        changed = self.state.set(name, widget.value())
        self.touched.add(name)
        self.dirty = True
        self.refresh(changed | {name} | self.cascading(name))
        lang_field = self.spec.by_role("interview_language")
        if lang_field is not None and name == lang_field.name and widget.value() in LANGUAGES:
            self.chrome.set_form_language(widget.value())

    def cascading(self, name: str) -> set[str]:
        """Lists whose choice filter reads ``name``, directly or through other answers.

        The same dependency graph that drives relevance: a filtered list whose answer is
        blank changes neither value nor relevance, so ``FormState.set`` would not name it.
        """
        prog = self.state.prog
        return {n for n in prog.affected([name]) if n != name and prog.by_name[n].choice_filter is not None}

    def refresh(self, names: set[str]) -> None:
        """Visibility, computed values, errors and offered choices of ``names``."""
        cleared: list[str] = []
        for name in names:
            widget = self.widgets.get(name)
            if widget is None:
                continue
            widget.setVisible(self.state.is_relevant(name) and widget.showable())
            if widget.field.type is FieldType.CALCULATE:
                widget.set_input_value(self.state.value(name))
            if isinstance(widget, RepeatField):
                widget.apply_relevance(self.state.values, self.state.today)
            if name in self.touched:
                widget.show_error(self.state.error(name))
                if isinstance(widget, RepeatField):
                    widget.show_entry_errors(self.state.errors)
            set_choices = getattr(widget, "set_choices", None)
            if widget.field.choice_filter and set_choices is not None and set_choices(self.state.choices(name)):
                cleared.append(name)
        for name in cleared:
            # An answer the changed filter no longer allows was cleared by its widget (which
            # says so): the form forgets it too, and lists filtered on it follow in turn.
            self.dirty = True
            self.refresh(self.state.set(name, self.widgets[name].value()) | self.cascading(name))
        for group, _node, members in self.group_boxes:
            group.setVisible(any(self.widgets[m].isVisibleTo(self) for m in members if m in self.widgets))

    def answers_for_draft(self) -> dict[str, Any]:
        """Everything typed so far, as typed (unreadable values too), plus the window's state."""
        raw = {name: w.draft_value() for name, w in self.widgets.items()
               if w.field.type not in (FieldType.NOTE, FieldType.CALCULATE)}
        raw = {**self.pending, **{k: v for k, v in raw.items() if v not in (None, "", [])}}
        raw[DRAFT_META] = {"deferred": sorted(self.deferred), "language": self.form_lang,
                           "originals": self.originals}
        return raw

    def problems(self) -> dict[str, str]:
        """Errors of relevant questions (the form's, and unreadable dates)."""
        out = {k: v for k, v in self.state.errors.items()}
        for name, widget in self.widgets.items():
            local = widget.local_error()
            if local and self.state.is_relevant(name):
                out[name] = local
        return out

    # -- pages -----------------------------------------------------------------
    def page_relevant(self, index: int) -> bool:
        """Whether any question of the page applies."""
        return any(self.state.is_relevant(q.name) for q in self.pages[index].questions())

    def relevant_pages(self) -> list[int]:
        """Indexes of the pages to visit."""
        return [i for i in range(len(self.pages)) if self.page_relevant(i)]

    def go_to(self, index: int, *, save: bool = True) -> None:
        """Show page ``index``; errors of the page being left become visible; draft saved."""
        if index > 0 and self.pages[0].has_consent and not consent_given(self.spec, self.state.values):
            # The consent block comes first: nothing else is asked before a yes.
            self.chrome.set_status(_("Ask for consent first: the interview starts with a yes."))
            index = 0
            if self.current == 0:
                self.chrome.show_page(0)
                return
        if self.current >= 0:
            left = {q.name for q in self.pages[self.current].questions() if q.name in self.widgets}
            self.touched |= left
            self.refresh(left)
        self.current = max(0, index)
        self.ensure_page(self.current)
        self.chrome.show_page(self.current)
        if save:
            self.save_draft(force=True)

    def next_page(self) -> None:
        """Forward; leaving the consent page with a "no" ends the interview."""
        if consent_refused(self.spec, self.state.values):
            self.end_without_consent()
            return
        later = [i for i in self.relevant_pages() if i > self.current]
        if later:
            self.go_to(later[0])

    def previous_page(self) -> None:
        """Back to the previous page that applies."""
        earlier = [i for i in self.relevant_pages() if i < self.current]
        if earlier:
            self.go_to(earlier[-1])

    def skip_page(self) -> None:
        """Mark what can be marked "not asked" on this sensitive page, then move on."""
        for name, code in not_asked_answers(self.pages[self.current]).items():
            widget = self.widgets.get(name)
            if widget is not None and widget.value() in (None, "", []):
                widget.set_value(code)
                self.state.set(name, widget.value())
        self.deferred.discard(self.pages[self.current].key)
        self.refresh(set(self.widgets))
        self.dirty = True
        self.next_page()

    def defer_page(self) -> None:
        """Come back to this sensitive page later (listed on every page until answered)."""
        self.deferred.add(self.pages[self.current].key)
        self.dirty = True
        self.next_page()

    # -- drafts and saving -----------------------------------------------------
    def save_draft(self, force: bool = False) -> bool:
        """Write the draft now (when something changed and the person has consented)."""
        if self.finished or not (self.dirty or force) or not consent_given(self.spec, self.state.values):
            return False
        try:
            self.draft_id = self.session.drafts.save(
                form_id=self.spec.id, form_version=str(self.spec.version),
                answers=self.answers_for_draft(), page=self.current, draft_id=self.draft_id,
                case_id=self.case_id)
        except Exception as exc:  # noqa: BLE001 - told, never lost silently
            self.chrome.set_status(operations.user_message(exc))
            return False
        self.dirty = False
        self.chrome.set_status(_("Draft saved."))
        return True

    def finish(self) -> None:
        """Check every page; save the record when nothing needs attention."""
        if consent_refused(self.spec, self.state.values):
            self.end_without_consent()
            return
        problems = self.problems()
        if problems:
            self.touched |= {f.name for f in self.spec.fields()}
            self.refresh(set(self.widgets))
            first = next((i for i, p in enumerate(self.pages) if self.page_relevant(i)
                          and any(k.split("[")[0] in {q.name for q in p.questions()} for k in problems)), None)
            if first is not None:
                self.go_to(first)
            self.chrome.set_status(ngettext(
                "{count} answer needs attention before the record can be saved.",
                "{count} answers need attention before the record can be saved.",
                len(problems)).format(count=len(problems)))
            return
        self.save_draft(force=True)
        self.chrome.set_busy(True)
        operations.run(save_record, self.session, self.spec, self.state.answers(), dict(self.originals),
                       case_id=self.case_id, draft_id=self.draft_id,
                       on_done=self._saved, on_error=self._save_failed)

    def _saved(self, result: tuple[str, int, str]) -> None:
        self.finished = True
        self.autosave.stop()
        self.case_id, _number, reference = result
        self.draft_id = None
        self._forget_answers()
        self.end.show_saved(reference)
        self.outer.setCurrentWidget(self.end)
        self.main.refresh()

    def _save_failed(self, exc: BaseException) -> None:
        self.chrome.set_busy(False)
        self.chrome.set_status(operations.user_message(exc))

    def end_without_consent(self) -> None:
        """Thank the person, keep nothing, close the interview."""
        self.finished = True
        self.autosave.stop()
        if self.draft_id is not None:
            self.session.drafts.discard(self.draft_id)
            self.draft_id = None
        self._forget_answers()
        self.end.show_no_consent()
        self.outer.setCurrentWidget(self.end)
        self.main.refresh()

    def _forget_answers(self) -> None:
        self.pending.clear()
        for widget in self.widgets.values():
            widget.clear()
        self.state = FormState(self.spec, {}, extended=self.extended)
        self.originals = {}

    # -- language, lock, close -------------------------------------------------
    def retranslate_ui(self) -> None:
        """Window texts in the interface language; questions stay in the interview language."""
        self.setWindowTitle(form_title(self.spec, current_language()))
        self.chrome.retranslate()
        self.end.retranslate()
        self.set_form_language(self.form_lang, changed=False)

    def set_form_language(self, language: str, *, changed: bool = True) -> None:
        """Show the questions in ``language`` (the interview language)."""
        self.form_lang = language
        for widget in self.widgets.values():
            widget.set_language(language)
        for group, node, _members in self.group_boxes:
            group.setTitle(field_text(self.spec, node, "label", language))
        self.chrome.show_page(self.current)
        self.dirty = self.dirty or changed

    def before_lock(self) -> None:
        """Keep the draft, then forget every answer on screen."""
        self.save_draft()
        self.autosave.stop()
        self.finished = True
        self._forget_answers()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Closing mid-interview keeps a draft (after consent) and says so."""
        if not self.finished and self.save_draft(force=True):
            self.main.statusBar().showMessage(_("The interview was kept as a draft."), 8000)
        self.autosave.stop()
        self.finished = True
        event.accept()
