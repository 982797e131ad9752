"""The Share page: per partner, the agreement, the risk report, the outbox, and the transfers.

A person picks a partner and sees its agreement (accepted once, before the first share:
the audit trail records it), the risk report of what would leave now (the same text as
``tipintake share preview``), when the hub last confirmed a batch and what is waiting.
"Send now", "Export to USB…" and "Import receipts from USB…" run in the thread pool
(``share_tasks`` through ``operations``) with a progress bar; failures are one sentence
on the page, never a traceback. While the app is unlocked a timer asks, off the GUI
thread, whether a hub with waiting batches has become reachable and then sends them.
Lock stops the timer and forgets everything shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tipintake.i18n import _
from tipintake.store.roles import Permission
from tipintake.ui import operations, share_tasks
from tipintake.ui.qt import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QObject,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from tipintake.ui.share_report import (
    AgreementPanel,
    RiskPanel,
    stage_text,
    status_texts,
    text_label,
)
from tipintake.ui.translator import Retranslatable

if TYPE_CHECKING:
    from tipintake.sync.progress import Progress
    from tipintake.sync.service import PartnerStatus
    from tipintake.ui.main_window import MainWindow
    from tipintake.ui.share_tasks import PartnerState

# Often enough to notice a network that came back, rarely enough to cost nothing on battery.
POLL_INTERVAL_MS = 60_000


class _Relay(QObject):
    """Carries sync progress from the worker thread to the page (a queued signal)."""

    progressed = Signal(object)


class SharePage(Retranslatable, QWidget):
    """Partner chooser, agreement, risk report, outbox status and the transfer buttons."""

    def __init__(self, main: MainWindow) -> None:
        super().__init__()
        self.main = main
        self.generation = 0  # a newer request makes older answers obsolete
        self.busy = False  # a transfer is running: one at a time
        self.state: PartnerState | None = None
        self.known: dict[str, bool] = {}  # partner → its hub answered at the last poll
        self.message_text = ""
        self.relay = _Relay(self)
        self.relay.progressed.connect(self._progress)
        self.partner = QComboBox()
        self.partner.setObjectName("partner")
        self.partner.currentIndexChanged.connect(self._partner_changed)
        self.partner_label = QLabel()
        self.partner_label.setBuddy(self.partner)
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_agreement")
        self.add_button.clicked.connect(self.add_agreement)
        self.add_button.setVisible(main.session.can(Permission.MANAGE_USERS))
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.empty = text_label("no_agreements")
        self.agreement_panel = AgreementPanel()
        self.agreement_panel.accepted.connect(self.accept)
        self.risk_panel = RiskPanel()
        self.status_box = QGroupBox()
        self.last_sync = text_label("last_sync")
        self.batches = text_label("batches")
        self.usb_only = text_label("usb_only")
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setRange(0, 1000)
        self.progress.setVisible(False)
        self.stage = text_label("stage")
        self.stage.setVisible(False)  # with the progress bar
        self.message = text_label("message")
        self.error = text_label("error")
        self.error.setStyleSheet("color: #a00000;")  # dark red: readable, and not only colour (own line)
        self.send_button = QPushButton()
        self.send_button.setObjectName("send_now")
        self.send_button.clicked.connect(self.send_now)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_usb")
        self.export_button.clicked.connect(self.export_to_usb)
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_receipts")
        self.import_button.clicked.connect(self.import_receipts)
        self._layout()
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_INTERVAL_MS)
        self.poll.timeout.connect(self.poll_now)
        self.poll.start()
        self.retranslate_ui()
        self._show_status(None)
        self._say()
        self.loaded = False  # the store is read when the page is first shown, not at sign-in

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.partner_label)
        top.addWidget(self.partner, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.add_button)
        status = QVBoxLayout(self.status_box)
        for widget in (self.last_sync, self.batches, self.usb_only, self.progress, self.stage):
            status.addWidget(widget)
        buttons = QHBoxLayout()
        for button in (self.send_button, self.export_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch()
        status.addLayout(buttons)
        status.addWidget(self.message)
        status.addWidget(self.error)
        content = QWidget()
        col = QVBoxLayout(content)
        col.addLayout(top)
        for widget in (self.empty, self.status_box, self.agreement_panel, self.risk_panel):
            col.addWidget(widget)
        col.addStretch()
        scroll = QScrollArea()
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        QVBoxLayout(self).addWidget(scroll)

    # -- texts -----------------------------------------------------------------
    def retranslate_ui(self) -> None:
        """Texts in the interface language."""
        # TRANSLATORS: in front of the list of partner organisations on the Share page.
        self.partner_label.setText(_("&Partner:"))
        self.add_button.setText(_("Add partner &agreement…"))
        self.refresh_button.setText(_("&Refresh"))
        self.status_box.setTitle(_("Sending"))
        self.send_button.setText(_("Se&nd now"))
        self.export_button.setText(_("&Export to USB…"))
        self.import_button.setText(_("&Import receipts from USB…"))
        self.usb_only.setText(_("This partner takes batches on USB sticks only (the agreement names no hub)."))
        if self.main.session.can(Permission.MANAGE_USERS):
            self.empty.setText(_("No partner agreement has been added yet. Sharing starts with the "
                                 "agreement file agreed with a partner: choose \"Add partner agreement…\". "
                                 "(On the command line: tipintake share partners add FILE.)"))
        else:
            self.empty.setText(_("No partner agreement has been added yet. An administrator adds one with "
                                 "\"Add partner agreement…\" or `tipintake share partners add FILE`."))
        if self.state is not None:
            self._show_status(self.state.status)

    def _show_status(self, status: PartnerStatus | None) -> None:
        """The outbox lines: last confirmation and batches waiting."""
        if status is None:
            self.last_sync.setText("")
            self.batches.setText("")
            return
        last_sync, batches = status_texts(status)
        self.last_sync.setText(last_sync)
        self.batches.setText(batches)

    def _say(self, message: str = "", error: str = "") -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.error.setText(error)
        self.error.setVisible(bool(error))

    def _fail(self, exc: BaseException) -> None:
        """One sentence, in the interface language, on the page."""
        self._say(error=operations.user_message(exc))

    # -- loading ---------------------------------------------------------------
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Read the partners the first time the page is shown."""
        super().showEvent(event)
        if not self.loaded:
            self.refresh()

    def refresh(self) -> None:
        """List the partners again and reload the chosen one."""
        if self.main.locking:
            return
        self.loaded = True
        chosen = self.partner.currentText()
        names = share_tasks.partner_names(self.main.session.store.data_dir)
        self.partner.blockSignals(True)
        self.partner.clear()
        self.partner.addItems(names)
        if chosen in names:
            self.partner.setCurrentIndex(names.index(chosen))
        self.partner.blockSignals(False)
        has = bool(names)
        self.empty.setVisible(not has)
        for widget in (self.status_box, self.agreement_panel, self.risk_panel):
            widget.setVisible(has)
        self.load_current()

    def select(self, name: str) -> None:
        """Show partner ``name`` (after adding its agreement)."""
        self.refresh()
        index = self.partner.findText(name)
        if index >= 0:
            self.partner.setCurrentIndex(index)

    def _partner_changed(self, _index: int) -> None:
        self._say()  # messages were about the partner shown before
        self.load_current()

    def load_current(self) -> None:
        """Read the chosen partner's agreement and status, then its risk report, in the pool."""
        self.generation += 1
        mine = self.generation
        self.state = None
        self.agreement_panel.clear()
        self.risk_panel.clear()
        self._show_status(None)
        self._update_buttons()
        name = self.partner.currentText()
        if not name or self.main.locking:
            return
        operations.run(share_tasks.load_partner, self.main.session, name,
                       on_done=lambda state: self._loaded(mine, state),
                       on_error=lambda exc: self._load_failed(mine, exc))

    def _loaded(self, mine: int, state: PartnerState) -> None:
        if mine != self.generation or self.main.locking:
            return
        self.state = state
        self.agreement_panel.show_agreement(state.agreement, state.shown)
        self._show_status(state.status)
        if state.status.last_error and not self.error.text():
            # TRANSLATORS: the last failure of a transfer, kept until a later one succeeds.
            self._say(self.message.text(), _("Last problem: {error}").format(error=_(state.status.last_error)))
        self._update_buttons()
        self.risk_panel.show_report(None, _("Counting what would be shared…"))
        operations.run(share_tasks.preview, self.main.session, state.agreement,
                       on_done=lambda report: self._previewed(mine, report),
                       on_error=lambda exc: self._preview_failed(mine, exc))

    def _load_failed(self, mine: int, exc: BaseException) -> None:
        if mine == self.generation:
            self._fail(exc)

    def _previewed(self, mine: int, report: Any) -> None:
        if mine == self.generation and not self.main.locking:
            self.risk_panel.show_report(report)

    def _preview_failed(self, mine: int, exc: BaseException) -> None:
        if mine == self.generation:
            self.risk_panel.show_report(None, operations.user_message(exc))

    def _update_buttons(self) -> None:
        """A button is enabled when its action can work now."""
        state = self.state
        ready = state is not None and state.shown and not self.busy
        has_hub = state is not None and state.agreement.hub is not None
        self.send_button.setVisible(state is None or has_hub)
        self.usb_only.setVisible(state is not None and not has_hub)
        self.send_button.setEnabled(ready and has_hub)
        self.export_button.setEnabled(ready)
        self.import_button.setEnabled(state is not None and not self.busy)
        self.add_button.setEnabled(not self.busy)
        self.agreement_panel.setEnabled(not self.busy)

    # -- the agreement ---------------------------------------------------------
    def accept(self) -> None:
        """Record that the user read and accepted the agreement on screen, then reload."""
        state = self.state
        if state is None or not self.agreement_panel.read_box.isChecked():
            return
        operations.run(share_tasks.accept, self.main.session, state.agreement,
                       on_done=lambda _r: self.load_current(), on_error=self._fail)

    def ask_file(self) -> Path | None:
        """The agreement file to add (a dialog; tests replace this method)."""
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the partner agreement file"), "", _("Partner agreements (*.yaml *.yml)"))
        return Path(path) if path else None

    def ask_folder(self, title: str) -> Path | None:
        """A folder on the USB stick (a dialog; tests replace this method)."""
        path = QFileDialog.getExistingDirectory(self, title)
        return Path(path) if path else None

    def add_agreement(self) -> None:
        """Validate a chosen agreement file and install it (asking before replacing one)."""
        path = self.ask_file()
        if path is None:
            return
        operations.run(share_tasks.inspect_file, self.main.session, path,
                       on_done=lambda found: self._install(path, *found), on_error=self._fail)

    def _install(self, path: Path, agreement: Any, exists: bool) -> None:
        if exists:
            answer = QMessageBox.question(self, _("Replace the agreement?"), _(
                "There is already an agreement with partner '{name}'. Replace it with this file? It will "
                "be shown again before the next share.").format(name=agreement.name))
            if answer != QMessageBox.StandardButton.Yes:
                return
        operations.run(share_tasks.add_agreement, self.main.session, path, exists,
                       on_done=self._installed, on_error=self._fail)

    def _installed(self, agreement: Any) -> None:
        self.select(agreement.name)  # first: choosing a partner clears the messages
        self._say(_("Added the agreement with partner '{name}'. It will be shown before the first share.")
                  .format(name=agreement.name))

    # -- transfers -------------------------------------------------------------
    def send_now(self) -> None:
        """Queue what is new and send every unconfirmed batch to the partner's hub."""
        if self.state is not None and self.send_button.isEnabled():
            self._transfer(share_tasks.send_now, self.state.name)

    def export_to_usb(self) -> None:
        """Write every unconfirmed batch to a folder on a USB stick."""
        if self.state is None or not self.export_button.isEnabled():
            return
        folder = self.ask_folder(_("Choose the folder on the USB stick"))
        if folder is not None:
            self._transfer(share_tasks.export_to_usb, self.state.name, folder)

    def import_receipts(self) -> None:
        """Read the receipts the partner's hub wrote onto a USB stick."""
        if not self.import_button.isEnabled():
            return
        folder = self.ask_folder(_("Choose the folder with the partner's receipts"))
        if folder is None:
            return
        self._start_busy(_("Reading receipts…"))
        operations.run(share_tasks.import_receipts, self.main.session, folder,
                       on_done=lambda out: self._finished(out[0], "\n".join(out[1])),
                       on_error=self._transfer_failed)

    def _transfer(self, fn: Any, name: str, *args: Any, note: str = "") -> None:
        self._start_busy(note)
        # Called in the worker thread: the signal queues it to the GUI thread.
        operations.run(fn, self.main.session, name, *args, progress=self.relay.progressed.emit,
                       on_done=lambda sentence: self._finished(sentence or ""),
                       on_error=self._transfer_failed)

    def _start_busy(self, note: str) -> None:
        self.busy = True
        self._update_buttons()
        self._say(note)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.stage.setText("")
        self.stage.setVisible(True)

    def _progress(self, p: Progress) -> None:
        if not self.busy or self.main.locking:
            return  # a late report of a transfer that already ended
        self.progress.setValue(int(p.fraction * 1000))
        self.stage.setText(stage_text(p))

    def _end_busy(self) -> bool:
        self.busy = False
        self.progress.setVisible(False)
        self.stage.setVisible(False)
        return not self.main.locking

    def _finished(self, sentence: str, error: str = "") -> None:
        if self._end_busy():
            self._say(sentence, error)
            self.load_current()  # counts and the report change; the sentence above stays

    def _transfer_failed(self, exc: BaseException) -> None:
        if self._end_busy():
            self._fail(exc)
            self.load_current()

    # -- the automatic attempt -------------------------------------------------
    def poll_now(self) -> None:
        """Ask, off the GUI thread, which hubs with waiting batches answer now."""
        if self.main.locking or self.busy:
            return
        names = share_tasks.partner_names(self.main.session.store.data_dir)
        if names:
            operations.run(share_tasks.hubs_to_try, self.main.session, names,
                           on_done=self._polled, on_error=lambda _exc: None)

    def _polled(self, reachable: dict[str, bool]) -> None:
        if self.main.locking:
            return
        for name, answers in reachable.items():
            if answers and not self.known.get(name, False) and not self.busy:
                self.known[name] = True
                self._transfer(share_tasks.send_if_reachable, name, note=_(
                    "The hub of {partner} can be reached again: sending the waiting batches…").format(
                    partner=name))
            elif not answers:
                self.known[name] = False

    # -- lock ------------------------------------------------------------------
    def before_lock(self) -> None:
        """Stop polling and forget everything on screen."""
        self.poll.stop()
        self.generation += 1
        self.busy = False
        self.state = None
        self.known.clear()
        self.partner.blockSignals(True)
        self.partner.clear()
        self.agreement_panel.clear()
        self.risk_panel.clear()
        self._show_status(None)
        self._say()
        self.progress.setVisible(False)
        self.stage.setText("")
