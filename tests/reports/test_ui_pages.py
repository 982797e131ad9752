"""The dashboard and data-quality pages (pytest-qt, offscreen), the export dialog and the referral PDF."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtCharts")

import pyrage  # noqa: E402

from tipintake.errors import PermissionDenied  # noqa: E402
from tipintake.i18n import set_language  # noqa: E402
from tipintake.ui import operations  # noqa: E402
from tipintake.ui.qt import QWidget  # noqa: E402

PASS = "export passphrase for tests"


class FakeMain(QWidget):
    """The part of MainWindow the report pages use."""

    def __init__(self, session) -> None:
        super().__init__()
        self.session = session
        self.locking = False
        self.opened: list[str] = []

    def open_case(self, case_id: str) -> None:
        self.opened.append(case_id)

    def show_error(self, exc: BaseException) -> None:
        raise exc

    def show_error_text(self, text: str) -> None:
        raise AssertionError(text)


def shown(qtbot, page) -> None:
    qtbot.addWidget(page)
    page.resize(1000, 800)
    page.show()
    qtbot.waitUntil(lambda: page.result is not None and not page.progress.isVisible(), timeout=20000)


def test_dashboard_page_draws_every_figure(qtbot, session):
    from tipintake.ui.reports.dashboard_page import DashboardPage

    main = FakeMain(session)
    page = DashboardPage(main)
    shown(qtbot, page)
    assert list(page.charts) == ["cases_by_month", "exploitation", "means_of_control", "citizenship",
                                 "country_of_exploitation", "age_band", "gender", "services", "referrals"]
    assert page.total.text() == "7 cases"
    gender = page.charts["gender"].chart()
    labels = gender.axes()[0].categories() if hasattr(gender.axes()[0], "categories") else \
        gender.axes()[1].categories()
    assert "Feminine (4)" in labels
    assert page.export_button.isVisible()


def test_dashboard_numbers_follow_the_language(qtbot, session):
    from tipintake.ui.reports.dashboard_page import DashboardPage

    page = DashboardPage(FakeMain(session))
    shown(qtbot, page)
    try:
        set_language("my")
        page.retranslate_ui()
        qtbot.waitUntil(lambda: "၇" in page.total.text(), timeout=20000)  # Burmese digit seven
    finally:
        set_language("en")
        operations.wait_all()


def test_quality_page_findings_open_their_cases(qtbot, session):
    from tipintake.ui.reports.quality_page import QualityPage

    main = FakeMain(session)
    page = QualityPage(main)
    shown(qtbot, page)
    assert page.findings.topLevelItemCount() == 4
    assert page.table.rowCount() > 20
    top = page.findings.topLevelItem(0)
    page.findings.itemActivated.emit(top.child(0), 0)
    assert main.opened and main.opened[0] in session.ids.values()
    assert page.duplicates_button.isVisible()
    page.duplicates_button.click()
    qtbot.waitUntil(lambda: page.findings.topLevelItemCount() == 6, timeout=20000)


def test_viewer_sees_figures_without_export_or_duplicates(qtbot, viewer):
    from tipintake.ui.reports.quality_page import QualityPage

    page = QualityPage(FakeMain(viewer))
    shown(qtbot, page)
    assert not page.export_button.isVisible() and not page.duplicates_button.isVisible()


def test_export_dialog_writes_an_encrypted_file(qtbot, session, tmp_path):
    from tipintake.reports import dashboard
    from tipintake.ui.reports.export_dialog import ExportDialog

    tables = list(dashboard(session).tables.values())
    dialog = ExportDialog(FakeMain(session), tables)
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(PASS)
    dialog.again.setText(PASS)
    dialog.export_to(tmp_path / "figures.xlsx")
    qtbot.waitUntil(lambda: (tmp_path / "figures.xlsx.age").exists() and not operations.busy(), timeout=20000)
    assert not (tmp_path / "figures.xlsx").exists()


def test_plain_export_waits_for_the_acknowledgement(qtbot, session):
    from tipintake.reports import dashboard
    from tipintake.ui.qt import QDialogButtonBox
    from tipintake.ui.reports.export_dialog import ExportDialog

    dialog = ExportDialog(FakeMain(session), list(dashboard(session).tables.values()))
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.plain.setChecked(True)
    assert not save.isEnabled()
    dialog.acknowledge.setChecked(True)
    assert save.isEnabled()


def test_referral_pdf_has_identity_only_for_roles_that_may_read_it(qtbot, session, viewer, tmp_path):
    from tipintake.ui.reports.pdf import case_html, export_case_pdf

    case_a = session.ids["A"]
    assert "Somchai" in case_html(session, case_a)
    assert "Somchai" not in case_html(viewer, case_a)
    result = export_case_pdf(session, case_a, tmp_path / "referral.pdf", passphrase=PASS)
    assert pyrage.passphrase.decrypt(result.path.read_bytes(), PASS).startswith(b"%PDF")
    with pytest.raises(PermissionDenied):
        export_case_pdf(viewer, case_a, tmp_path / "v.pdf", allow_plaintext=True)


def test_referral_dialog_writes_the_pdf_off_the_gui_thread(qtbot, session, viewer, tmp_path):
    from tipintake.ui.reports.pdf_dialog import ReferralButton, ReferralPdfDialog

    dialog = ReferralPdfDialog(FakeMain(session), session.ids["B"])
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(PASS)
    dialog.again.setText(PASS)
    dialog.export_to(tmp_path / "referral.pdf")
    target = tmp_path / "referral.pdf.age"
    qtbot.waitUntil(lambda: target.exists() and not operations.busy(), timeout=20000)
    assert pyrage.passphrase.decrypt(target.read_bytes(), PASS).startswith(b"%PDF")
    button = ReferralButton(FakeMain(viewer), session.ids["B"])
    qtbot.addWidget(button)
    assert button.isHidden()


def test_export_dialog_offers_the_case_list(qtbot, session, tmp_path):
    from tipintake.store.cases import CaseFilter
    from tipintake.ui.reports.export_dialog import ExportDialog

    dialog = ExportDialog(FakeMain(session), [], cases=CaseFilter())
    qtbot.addWidget(dialog)
    dialog.which.setCurrentIndex(dialog.which.findData("cases"))
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.passphrase.setText(PASS)
    dialog.again.setText(PASS)
    dialog.export_to(tmp_path / "cases.csv")
    target = tmp_path / "cases.csv.age"
    qtbot.waitUntil(lambda: target.exists() and not operations.busy(), timeout=20000)
    text = pyrage.passphrase.decrypt(target.read_bytes(), PASS).decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 8  # heading + 7 cases
