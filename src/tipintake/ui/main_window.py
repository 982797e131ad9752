"""The main window: navigation between pages, menus, the lock button and Ctrl+L.

Pages come from the registry in ``pages.py`` (cases, drafts, users; sharing and
reports join there). Interviews and cases open in their own windows owned by this
one, so that destroying it on lock destroys every widget that shows a record.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from tipintake.i18n import LANGUAGES, _, current_language
from tipintake.store.roles import Permission
from tipintake.store.session import Session
from tipintake.ui import forms_catalog, idle, operations
from tipintake.ui.pages import PAGES, Page
from tipintake.ui.qt import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    Qt,
    QTimer,
    QToolBar,
    QWidget,
)
from tipintake.ui.translator import LANGUAGE_NAMES, Retranslatable, plain

if TYPE_CHECKING:
    from tipintake.ui.app import AppController


class MainWindow(Retranslatable, QMainWindow):
    """Navigation on the left, the current page on the right."""

    def __init__(self, controller: AppController, session: Session) -> None:
        super().__init__()
        self.controller = controller
        self.session = session
        self.setObjectName("main_window")
        self.children_windows: list[QWidget] = []
        self.locking = False
        # Pages are built when first shown: start-up pays only for the case list.
        self.registered: list[Page] = [page for page in PAGES if page.available(session)]
        self.built: dict[str, QWidget] = {}
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(220)
        self.stack = QStackedWidget()
        for _page in self.registered:
            self.stack.addWidget(QWidget())  # a placeholder until the page is opened
            self.nav.addItem("")
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)
        for entry in self.registered:  # a page that works unseen is built soon after sign-in
            if entry.background:
                QTimer.singleShot(2000, self, lambda key=entry.key: self.page(key))
        # The case list above is filled by now; the reports' first pass (about 1.4 s on 100k
        # cases) starts a little later so that it never competes with the list being painted.
        self.reports_cancel: threading.Event | None = None
        QTimer.singleShot(REPORTS_WARM_MS, self, self.warm_reports)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.who = QLabel()
        self.statusBar().addPermanentWidget(self.who)
        self._build_actions()
        self.resize(1100, 720)
        self.retranslate_ui()

    # -- actions and menus -----------------------------------------------------
    def _build_actions(self) -> None:
        self.new_action = QAction(self)
        self.new_action.setObjectName("new_interview")
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_interview)
        self.lock_action = QAction(self)
        self.lock_action.setObjectName("lock")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.controller.lock)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.controller.quit)
        self.file_menu = self.menuBar().addMenu("")
        can_create = self.session.can(Permission.CREATE) and bool(forms_catalog.available_forms())
        if can_create:
            self.file_menu.addAction(self.new_action)
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.go_menu = self.menuBar().addMenu("")
        self.go_actions: list[QAction] = []
        for i, _entry in enumerate(self.registered):
            act = QAction(self)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.triggered.connect(lambda _checked=False, row=i: self.nav.setCurrentRow(row))
            self.go_menu.addAction(act)
            self.go_actions.append(act)
        self.settings_menu = self.menuBar().addMenu("")
        self.language_menu = self.settings_menu.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in LANGUAGES:
            act = QAction(LANGUAGE_NAMES[code], self, checkable=True)
            act.setChecked(code == current_language())
            act.triggered.connect(lambda _checked=False, c=code: self.controller.switch_language(c))
            group.addAction(act)
            self.language_menu.addAction(act)
            self.language_actions[code] = act
        self.idle_menu = None
        if self.session.can(Permission.MANAGE_USERS):
            self.idle_menu = self.settings_menu.addMenu("")
            idle_group = QActionGroup(self)
            current = int(self.session.setting("idle_lock_minutes", 5) or 0)
            self.idle_actions: dict[int, QAction] = {}
            for minutes in idle.CHOICES:
                act = QAction(self, checkable=True)
                act.setChecked(minutes == current)
                act.triggered.connect(lambda _checked=False, m=minutes: self.controller.set_idle_minutes(m))
                idle_group.addAction(act)
                self.idle_menu.addAction(act)
                self.idle_actions[minutes] = act
        self.passphrase_action = QAction(self)
        self.passphrase_action.setObjectName("change_passphrase")
        self.passphrase_action.triggered.connect(lambda: self.change_passphrase())
        self.settings_menu.addAction(self.passphrase_action)
        self.extended_action = None
        if self.session.can(Permission.MANAGE_USERS):
            self.extended_action = QAction(self, checkable=True)
            self.extended_action.setChecked(bool(self.session.setting("extended_fields", False)))
            self.extended_action.toggled.connect(lambda on: self.session.set_setting("extended_fields", on))
            self.settings_menu.addAction(self.extended_action)
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        if can_create:
            self.toolbar.addAction(self.new_action)
        self.toolbar.addAction(self.lock_action)
        self.addToolBar(self.toolbar)

    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        from tipintake.i18n import ngettext

        self.setWindowTitle(_("tipintake"))
        self.new_action.setText(_("&New interview…"))
        self.lock_action.setText(_("&Lock"))
        self.lock_action.setToolTip(_("Hide every record now (Ctrl+L)"))
        self.quit_action.setText(_("&Quit"))
        self.file_menu.setTitle(_("&File"))
        self.go_menu.setTitle(_("&Go"))
        self.settings_menu.setTitle(_("&Settings"))
        self.language_menu.setTitle(_("&Language"))
        for i, page in enumerate(self.registered):
            title = page.title()
            self.nav.item(i).setText(plain(title))
            self.go_actions[i].setText(title)
        if self.idle_menu is not None:
            self.idle_menu.setTitle(_("&Lock when idle"))
            for minutes, act in self.idle_actions.items():
                act.setText(_("Never") if minutes == 0 else ngettext(
                    "After {minutes} minute", "After {minutes} minutes", minutes).format(minutes=minutes))
        self.passphrase_action.setText(_("Change my &passphrase…"))
        if self.extended_action is not None:
            self.extended_action.setText(_("Ask &extended questions in new interviews"))
        for code, act in self.language_actions.items():
            act.setChecked(code == current_language())
        self.who.setText(_("Signed in as {user} ({role})").format(
            user=self.session.user.username, role=role_label(self.session.user.role)))

    # -- pages and windows -----------------------------------------------------
    @property
    def pages(self) -> list[tuple[Page, QWidget]]:
        """The pages built so far, with their registry entries."""
        return [(p, self.built[p.key]) for p in self.registered if p.key in self.built]

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.registered):
            self.stack.setCurrentWidget(self.page(self.registered[row].key))

    def page(self, key: str) -> QWidget | None:
        """The page widget registered as ``key``, built now if needed (None when this user has none)."""
        if key in self.built:
            return self.built[key]
        for i, entry in enumerate(self.registered):
            if entry.key == key:
                widget = entry.build(self)
                placeholder = self.stack.widget(i)
                self.stack.insertWidget(i, widget)
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
                self.built[key] = widget
                return widget
        return None

    def warm_reports(self) -> None:
        """Compute the report summaries in the background, so the dashboard opens at once.

        Only for a user who has a report page; at low priority; failures stay silent (the
        page computes and reports its own errors when opened); lock cancels it.
        """
        if self.locking or self.reports_cancel is not None:
            return
        if not any(entry.key in REPORT_PAGES for entry in self.registered):
            return
        self.reports_cancel = threading.Event()
        operations.run(warm_reports, self.session, self.reports_cancel,
                       on_error=lambda _exc: None, pool_priority=-1)

    def show_page(self, key: str) -> None:
        """Switch the navigation to ``key``."""
        for i, page in enumerate(self.registered):
            if page.key == key:
                self.nav.setCurrentRow(i)

    def refresh(self) -> None:
        """Pages re-read the store after a save."""
        for _page, widget in self.pages:
            refresh = getattr(widget, "refresh", None)
            if refresh is not None:
                refresh()

    def adopt(self, window: QWidget) -> QWidget:
        """Keep a child window so that lock can close it."""
        self.children_windows.append(window)
        window.destroyed.connect(lambda _obj=None, w=window: self._forget_window(w))
        window.show()
        window.raise_()
        return window

    def _forget_window(self, window: QWidget) -> None:
        self.children_windows = [w for w in self.children_windows if w is not window]

    def open_case(self, case_id: str) -> QWidget:
        """Open a case in its own window."""
        from tipintake.ui.case_view import CaseWindow

        return self.adopt(CaseWindow(self, case_id))

    def new_interview(self) -> QWidget | None:
        """Choose a form (when there are several) and start an interview."""
        from tipintake.ui.form_picker import pick_form

        form_id = pick_form(self, forms_catalog.available_forms())
        return self.open_form(form_id) if form_id else None

    def open_form(self, form_id: str, *, case_id: str | None = None,
                  draft_id: str | None = None) -> QWidget | None:
        """Open the form-filling window (a new case, a follow-up, or a resumed draft)."""
        from tipintake.ui.form_view import FormWindow

        spec = forms_catalog.spec(form_id)
        if spec is None:
            self.show_error_text(_("The form '{form}' cannot be opened.").format(form=form_id))
            return None
        return self.adopt(FormWindow(self, spec, case_id=case_id, draft_id=draft_id))

    def change_passphrase(self, dialog: QWidget | None = None) -> None:
        """The signed-in user chooses a new passphrase (their key slot is rewritten)."""
        from tipintake.ui.qt import QDialog
        from tipintake.ui.users_view import UserDialog

        me = self.session.user.username
        dialog = dialog or UserDialog(self, me)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        operations.run(self.session.users.passwd, me, dialog.passphrase.passphrase(),
                       on_done=lambda _r: self.statusBar().showMessage(_("Your passphrase was changed."), 8000),
                       on_error=self.show_error)

    # -- messages --------------------------------------------------------------
    def show_error(self, exc: BaseException) -> None:
        """One sentence in the user's language for a failed operation."""
        self.show_error_text(operations.user_message(exc))

    def show_error_text(self, text: str) -> None:
        """A message box with ``text``."""
        if self.locking:
            return
        QMessageBox.warning(self, _("tipintake"), text)

    # -- lock ------------------------------------------------------------------
    def before_lock(self) -> None:
        """Save open drafts, then forget every record on screen."""
        self.locking = True
        if self.reports_cancel is not None:
            # A warm-up under way stops at its next progress report; one that finished
            # before the flag was seen left summaries in memory: they go now (and the
            # warm-up clears again if it finishes after this).
            self.reports_cancel.set()
            from tipintake.reports import clear_cache

            clear_cache()
        for window in list(self.children_windows):
            closer = getattr(window, "before_lock", None)
            if closer is not None:
                closer()
            window.close()
            window.deleteLater()
        self.children_windows.clear()
        for _page, widget in self.pages:
            hook = getattr(widget, "before_lock", None)
            if hook is not None:
                hook()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Closing the window by hand quits (after locking); lock closes it too."""
        if not self.locking:
            self.locking = True
            self.controller.quit()
        event.accept()


REPORTS_WARM_MS = 1000
WARM_UP_MAX_CASES = 20_000
REPORT_PAGES = ("dashboard", "quality")


class _Cancelled(Exception):
    """The session was locked while the reports were warming up."""


def warm_reports(session: Session, cancel: threading.Event) -> bool:
    """Fill the in-memory report summaries (in a pool thread); False when cancelled by lock."""
    from tipintake import reports

    def progress(_done: int, _total: int) -> None:
        if cancel.is_set():
            raise _Cancelled

    # No lower thread priority: a dashboard opened meanwhile waits for this very pass (one
    # refresh at a time), so it must not be starved on a busy machine; the low priority is
    # the pool's queue (``pool_priority``), where work a person asked for goes first.
    try:
        if cancel.is_set():
            return False
        if session.cases.count() > WARM_UP_MAX_CASES:
            # Summaries held from sign-in cost about 1 KB a case whether or not anyone opens
            # a report; above this size the dashboard computes them when it is first opened
            # (under a second at 100k cases) and the app stays within its memory budget.
            return True
        reports.summaries(session, progress=progress)
        return True
    except _Cancelled:
        return False
    finally:
        if cancel.is_set():
            reports.clear_cache()  # locked meanwhile: nothing decrypted may outlive the session


def role_label(role: str) -> str:
    """A role in the interface language."""
    labels = {
        # TRANSLATORS: user role.
        "admin": _("administrator"),
        # TRANSLATORS: user role.
        "case_manager": _("case manager"),
        # TRANSLATORS: user role.
        "interviewer": _("interviewer"),
        # TRANSLATORS: user role: sees case context and figures, never who the person is.
        "viewer": _("viewer"),
    }
    return labels.get(role, role)
