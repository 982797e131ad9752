"""What the share screen shows: the partner agreement, the risk report, the outbox in words.

They show what ``tipintake share preview`` prints — ``Agreement.summary()`` and
``RiskReport.lines()`` from ``tipintake.deid`` — so that the app and the command line
never disagree about what will leave the laptop; the report's headline figures are
repeated above its text for a quick look. Both hold only counts, field names and local
case references (never answers), and forget them on ``clear()`` when the app locks.
"""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from tipintake.i18n import _, current_language, ngettext
from tipintake.ui.cases_model import format_when
from tipintake.ui.qt import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    Signal,
)
from tipintake.ui.translator import Retranslatable

if TYPE_CHECKING:
    from tipintake.deid.agreements import Agreement
    from tipintake.deid.report import RiskReport
    from tipintake.sync.progress import Progress
    from tipintake.sync.service import PartnerStatus


def text_label(name: str = "") -> QLabel:
    """A selectable, word-wrapped label that never interprets its text as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class AgreementPanel(Retranslatable, QGroupBox):
    """The agreement, line by line, and — until it is accepted — a box to tick and a button."""

    accepted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("agreement")
        self.agreement: Agreement | None = None
        self.shown = False
        self.rows = QFormLayout()
        self.read_box = QCheckBox()
        self.read_box.setObjectName("agreement_read")
        self.accept_button = QPushButton()
        self.accept_button.setObjectName("accept_agreement")
        self.accept_button.setEnabled(False)
        self.read_box.toggled.connect(self.accept_button.setEnabled)
        self.accept_button.clicked.connect(self.accepted.emit)
        self.note = text_label("agreement_note")
        ack = QHBoxLayout()
        ack.addWidget(self.read_box, 1)
        ack.addWidget(self.accept_button)
        col = QVBoxLayout(self)
        col.addLayout(self.rows)
        col.addWidget(self.note)
        col.addLayout(ack)
        self.retranslate_ui()

    def show_agreement(self, agreement: Agreement | None, shown: bool) -> None:
        """Display ``agreement``; the accept row only while it has not been accepted."""
        self.agreement, self.shown = agreement, shown
        self.read_box.setChecked(False)
        self.retranslate_ui()

    def values(self) -> dict[str, str]:
        """The label → value pairs on screen (tests and accessibility read them)."""
        out = {}
        for row in range(self.rows.rowCount()):
            label = self.rows.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = self.rows.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is not None and field is not None:
                out[label.widget().text()] = field.widget().text()
        return out

    def retranslate_ui(self) -> None:
        """Texts in the interface language (the summary's labels are translated by deid)."""
        self.setTitle(_("Agreement"))
        while self.rows.rowCount():
            self.rows.removeRow(0)
        if self.agreement is not None:
            for label, value in self.agreement.summary():
                field = text_label()
                field.setText(value)
                # TRANSLATORS: a label in front of its value, e.g. "Purpose:".
                self.rows.addRow(_("{label}:").format(label=label), field)
        waiting = self.agreement is not None and not self.shown
        self.read_box.setVisible(waiting)
        self.accept_button.setVisible(waiting)
        self.read_box.setText(_("I have read this agreement; records may be shared with this partner "
                                "only as it says."))
        self.accept_button.setText(_("A&ccept the agreement"))
        if self.agreement is None:
            self.note.setText("")
        elif waiting:
            self.note.setText(_("Nothing can be sent to this partner before the agreement is accepted. "
                                "Your acceptance is recorded in the audit trail."))
        else:
            self.note.setText(_("This agreement was accepted. If the file changes, it is shown again "
                                "before the next share."))

    def clear(self) -> None:
        """Forget the agreement (lock)."""
        self.show_agreement(None, False)


class RiskPanel(Retranslatable, QGroupBox):
    """Headline figures of the risk report, then the report as the command line prints it."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("risk_report")
        self.report: RiskReport | None = None
        self.figures: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        grid = QGridLayout()
        for i, key in enumerate(("eligible", "shared", "suppressed", "blocked", "k", "l")):
            caption, value = QLabel(), QLabel()
            value.setObjectName(f"figure_{key}")
            font = value.font()
            font.setBold(True)
            value.setFont(font)
            self.captions[key], self.figures[key] = caption, value
            grid.addWidget(caption, 0, i)
            grid.addWidget(value, 1, i)
        self.message = text_label("report_message")
        self.lines = text_label("report_lines")
        col = QVBoxLayout(self)
        col.addLayout(grid)
        col.addWidget(self.message)
        col.addWidget(self.lines)
        self.retranslate_ui()

    def show_report(self, report: RiskReport | None, message: str = "") -> None:
        """Display ``report`` (None: nothing yet) and a line about it ("Counting…", an error)."""
        self.report = report
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.retranslate_ui()

    def show_message(self, message: str) -> None:
        """Only change the line above the report."""
        self.message.setText(message)
        self.message.setVisible(bool(message))

    def retranslate_ui(self) -> None:
        """Texts in the interface language (the report's lines are translated by deid)."""
        self.setTitle(_("Risk report of the next share"))
        # TRANSLATORS: headline figures of the risk report; each is above a number.
        captions = {"eligible": _("Eligible cases"), "shared": _("Records to send"),
                    "suppressed": _("Held back (k or l)"), "blocked": _("Blocked by the leak scan"),
                    "k": _("k achieved"), "l": _("l-diversity")}
        for key, text in captions.items():
            self.captions[key].setText(text)
        r = self.report
        if r is None:
            for label in self.figures.values():
                label.setText("")
            self.lines.setText("")
            return
        k = "-" if r.k_achieved is None else str(r.k_achieved)
        l_values = [v for v in r.l_achieved.values() if v is not None]
        values = {"eligible": str(r.eligible), "shared": str(r.shared), "suppressed": str(r.suppressed),
                  "blocked": str(len(r.blocked)),
                  # TRANSLATORS: achieved k over the required k, e.g. "7 (5 required)".
                  "k": _("{k} ({required} required)").format(k=k, required=r.k),
                  "l": str(min(l_values)) if l_values else "-"}
        for key, text in values.items():
            self.figures[key].setText(text)
        self.lines.setText("\n".join(r.lines()))

    def clear(self) -> None:
        """Forget the report (lock)."""
        self.show_report(None)



def status_texts(status: PartnerStatus) -> tuple[str, str]:
    """The outbox of one partner in words: when the hub last confirmed, and the batches by state."""
    if status.last_success is None:
        last = _("The hub has not confirmed any batch from this laptop yet.")
    else:
        when = status.last_success
        when = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone()  # stored in UTC
        last = _("Last confirmed by the partner: {when}").format(when=format_when(when, current_language()))
    lines = [
        ngettext("{n} batch waiting to be sent", "{n} batches waiting to be sent", status.pending)
        .format(n=status.pending),
        ngettext("{n} batch sent and awaiting its receipt", "{n} batches sent and awaiting their receipts",
                 status.delivered).format(n=status.delivered),
        ngettext("{n} batch confirmed by the partner", "{n} batches confirmed by the partner",
                 status.acknowledged).format(n=status.acknowledged),
        ngettext("{n} record is in batches without a receipt", "{n} records are in batches without a receipt",
                 status.records_waiting).format(n=status.records_waiting),
    ]
    return last, "\n".join(lines)


def stage_text(p: Progress) -> str:
    """One line under the progress bar: what a transfer is doing now."""
    texts = {
        "building": _("Preparing the batch for {partner}…"),
        "sending": _("Sending batch {index} of {count} to {partner}…"),
        "writing": _("Writing batch {index} of {count} to the USB stick…"),
        "verifying": _("Checking batch {index} of {count} on the USB stick…"),
        "done": _("Finished."),
    }
    return texts.get(p.stage, "").format(partner=p.partner, index=p.batch_index + 1, count=p.batch_count)
