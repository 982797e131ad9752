"""The Share page against a real encrypted store, real de-identification and the real hub on 127.0.0.1.

Consenting synthetic cases (the de-identification engineer's sample form), a partner
agreement installed through ``tipintake.deid``, and the hub app under uvicorn over HTTPS
with a pinned self-signed certificate — the fixtures of ``tests/sync`` and ``tests/hub``,
loaded by path as ``tests/sync`` does.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from sqlalchemy import text

from tests.deid import helpers
from tests.deid.sample import agreement as sample_agreement
from tests.ui.conftest import ADMIN, ADMIN_PASS, wait_ops
from tipintake.deid.agreements import PARTNERS_DIR, add_agreement
from tipintake.hub.app import Limits, create_app
from tipintake.hub.db import enrol_device
from tipintake.hub.usb import import_folder
from tipintake.sync.device import device_identity
from tipintake.ui import share_tasks

_SYNC_CONFTEST = Path(__file__).resolve().parents[1] / "sync" / "conftest.py"
_spec = importlib.util.spec_from_file_location("tipintake_sync_test_fixtures", _SYNC_CONFTEST)
syncfix = sys.modules.get(_spec.name) or importlib.util.module_from_spec(_spec)
if _spec.name not in sys.modules:
    sys.modules[_spec.name] = syncfix
    _spec.loader.exec_module(syncfix)

# The hub and TLS fixtures, re-exported so that pytest finds them in this module.
hub_dir = syncfix.hub_dir
hub_keys = syncfix.hub_keys
sqlite_url = syncfix.sqlite_url
sqlite_hub = syncfix.sqlite_hub
tls_cert = syncfix.tls_cert
tls_serve = syncfix.tls_serve
hubcount = syncfix.hubcount

PARTNER = "hubpartner"
ORG = "Test shelter"  # tests/ui/conftest.py's store


@pytest.fixture
def desk(store, data_dir, monkeypatch, sqlite_hub, tls_serve, tls_cert, tmp_path):
    """Twelve consenting cases, this laptop enrolled at a live hub, the hub's agreement installed."""
    session = store.unlock(ADMIN, ADMIN_PASS)
    helpers.save_many(session, 12)
    enrol_device(sqlite_hub.engine, sqlite_hub.tables, device_identity(session).public_key, ORG)
    session.lock()
    monkeypatch.setattr("tipintake.forms.loader.load_form", helpers.loader)  # the sample form
    monkeypatch.setattr(share_tasks, "RETRY_POLICY", syncfix.FAST)
    server = tls_serve(create_app(sqlite_hub, Limits(batches_per_minute=6000, burst=1000)))
    doc = sample_agreement(PARTNER).model_dump(mode="json", exclude_none=True)
    known = sqlite_hub.vocabulary.by_name  # only what this hub's vocabulary takes
    doc["shares"] = [name for name in doc["shares"] if name in known]
    doc["recipients"] = [sqlite_hub.keys.recipient]
    doc["hub"] = {"url": server.url, "certificate_sha256": tls_cert.sha256,
                  "receipt_key": sqlite_hub.keys.receipt_public}
    file = tmp_path / "agreement.yaml"
    file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return SimpleNamespace(hub=sqlite_hub, server=server, file=file, data_dir=data_dir)


@pytest.fixture
def installed(desk):
    add_agreement(desk.data_dir, desk.file)
    return desk


def open_share(controller, qtbot, user: str = ADMIN, passphrase: str = ADMIN_PASS):
    """Sign in, open the Share page and wait until its agreement and report are drawn."""
    window = controller.open_session(controller.store.unlock(user, passphrase))
    window.show_page("share")
    page = window.page("share")
    wait_ops(qtbot)
    return window, page


def accept(page, qtbot) -> None:
    page.agreement_panel.read_box.setChecked(True)
    page.agreement_panel.accept_button.click()
    wait_ops(qtbot)


def audit_actions(session, action: str) -> list[str]:
    with session.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT detail FROM audit WHERE action = :a"), {"a": action})]


def test_the_page_shows_the_agreement_and_the_same_report_as_the_command_line(installed, controller, qtbot):
    _window, page = open_share(controller, qtbot)
    shown = page.agreement_panel.values()
    assert shown["Purpose:"] == "Research on trafficking patterns in the region."
    assert shown["Retention at the partner:"] == "5 years"
    assert "Data protection office" in shown["Contact:"] and shown["Hub:"] == installed.server.url
    assert "gender" in shown["Shared:"]
    figures = {key: label.text() for key, label in page.risk_panel.figures.items()}
    assert figures["eligible"] == "12" and figures["shared"] == "12" and figures["blocked"] == "0"
    assert figures["k"].startswith("12 ")  # twelve alike: one group
    report = page.risk_panel.lines.text()
    assert report.startswith("Risk report for partner hubpartner")
    assert "Records to send: 12" in report and "achieved: k = 12" in report
    assert "The hub has not confirmed" in page.last_sync.text()
    assert not page.error.text()


def test_the_first_share_needs_the_agreement_accepted_and_the_audit_trail_records_it(installed, controller,
                                                                                     qtbot):
    window, page = open_share(controller, qtbot)
    assert not page.send_button.isEnabled() and not page.export_button.isEnabled()
    assert not page.agreement_panel.accept_button.isEnabled()  # the box must be ticked first
    page.send_now()  # even if asked directly: nothing happens
    wait_ops(qtbot)
    assert audit_actions(window.session, "share_push") == []

    accept(page, qtbot)

    assert page.state.shown and page.send_button.isEnabled() and page.export_button.isEnabled()
    assert not page.agreement_panel.accept_button.isVisible()
    (detail,) = audit_actions(window.session, "agreement_shown")
    assert page.state.agreement.sha256() in detail


def test_send_now_delivers_to_the_hub_and_the_status_turns_to_confirmed(installed, controller, qtbot, hubcount):
    _window, page = open_share(controller, qtbot)
    accept(page, qtbot)
    stages = []
    page.relay.progressed.connect(lambda p: stages.append(p.stage))
    page.send_button.click()
    assert page.progress.isVisible() and not page.send_button.isEnabled()
    wait_ops(qtbot)
    assert "building" in stages and "sending" in stages  # the bar moved on the GUI thread
    assert hubcount(installed.hub) == 12
    status = page.state.status
    assert (status.pending, status.delivered, status.acknowledged) == (0, 0, 1)
    assert status.last_success is not None and status.records_waiting == 0
    assert "the hub confirmed each one" in page.message.text() and not page.error.isVisibleTo(page)
    assert "1 batch confirmed by the partner" in page.batches.text()
    assert "Last confirmed by the partner" in page.last_sync.text()
    assert page.risk_panel.figures["shared"].text() == "0"  # nothing new after the share
    assert not page.progress.isVisible()


def test_export_to_usb_writes_batches_and_receipts_from_the_stick_confirm_them(installed, controller, qtbot,
                                                                               tmp_path):
    _window, page = open_share(controller, qtbot)
    accept(page, qtbot)
    stick = tmp_path / "stick"
    stick.mkdir()
    page.ask_folder = lambda _title: stick
    page.export_button.click()
    wait_ops(qtbot)
    assert len(list(stick.glob("*.age"))) == 1 and len(list(stick.glob("*.manifest.json"))) == 1
    assert not list(stick.glob("*.tmp"))
    assert "Wrote 1 batches" in page.message.text()
    assert page.state.status.delivered == 1

    assert all(outcome.receipt for outcome in import_folder(installed.hub, stick))  # at the partner
    page.import_receipts()
    wait_ops(qtbot)
    assert "1 batches confirmed now" in page.message.text()
    assert page.state.status.acknowledged == 1


def test_an_unreachable_hub_is_one_plain_sentence_and_the_batch_goes_when_it_is_back(installed, controller,
                                                                                    qtbot, hubcount):
    _window, page = open_share(controller, qtbot)
    accept(page, qtbot)
    installed.server.stop()
    page.send_button.click()
    wait_ops(qtbot)
    error = page.error.text()
    assert page.error.isVisibleTo(page)
    assert "\n" not in error and "Traceback" not in error and error.endswith(".")
    assert page.state.status.pending == 1  # kept for later, nothing lost

    page.poll_now()  # the hub is still away: no attempt
    wait_ops(qtbot)
    assert page.known == {PARTNER: False} and hubcount(installed.hub) == 0

    installed.server.start()  # the network is back, on the same address
    page.poll_now()
    wait_ops(qtbot)
    assert hubcount(installed.hub) == 12
    assert page.state.status.acknowledged == 1 and "confirmed" in page.message.text()


def test_the_poll_runs_while_unlocked_and_lock_clears_the_page(installed, controller, qtbot):
    window, page = open_share(controller, qtbot)
    assert page.poll.isActive()
    assert page.agreement_panel.values() and page.risk_panel.lines.text()
    controller.lock()
    assert not page.poll.isActive()
    assert page.agreement_panel.values() == {} and page.risk_panel.lines.text() == ""
    assert page.partner.count() == 0 and page.state is None and page.batches.text() == ""
    del window


def test_the_share_page_is_built_soon_after_sign_in_so_that_it_polls_unseen(installed, controller, qtbot):
    window = controller.open_session(controller.store.unlock(ADMIN, ADMIN_PASS))
    qtbot.waitUntil(lambda: "share" in window.built, timeout=5000)
    page = window.built["share"]
    assert page.poll.isActive() and not page.loaded  # nothing read before it is looked at
    assert window.stack.currentWidget() is window.page("cases")


def test_a_viewer_has_no_share_page_and_a_case_manager_has(installed, controller, qtbot):
    session = controller.store.unlock(ADMIN, ADMIN_PASS)
    session.users.add("visitor", "quiet river orange lantern", "viewer")
    session.users.add("manager", "bright mountain cedar path", "case_manager")
    session.lock()
    window = controller.open_session(controller.store.unlock("visitor", "quiet river orange lantern"))
    assert window.page("share") is None and "share" not in [p.key for p in window.registered]
    controller.lock()
    window = controller.open_session(controller.store.unlock("manager", "bright mountain cedar path"))
    assert window.page("share") is not None
    assert not window.page("share").add_button.isVisibleTo(window.page("share"))  # administrators add


def test_an_administrator_adds_the_first_agreement_on_the_page(desk, controller, qtbot):
    window, page = open_share(controller, qtbot)
    assert page.empty.isVisibleTo(page) and "share partners add FILE" in page.empty.text()
    assert not page.agreement_panel.isVisibleTo(page)
    page.ask_file = lambda: desk.file
    page.add_agreement()
    wait_ops(qtbot)
    assert page.partner.currentText() == PARTNER and not page.empty.isVisibleTo(page)
    assert page.agreement_panel.values()["Hub:"] == desk.server.url
    assert "Added the agreement" in page.message.text()
    assert audit_actions(window.session, "agreement_added")


def test_a_changed_agreement_is_shown_again_before_the_next_share(installed, controller, qtbot, monkeypatch,
                                                                   tmp_path):
    from tipintake.ui import share_view

    _window, page = open_share(controller, qtbot)
    accept(page, qtbot)
    changed = tmp_path / "changed.yaml"
    doc = yaml.safe_load(installed.file.read_text("utf-8"))
    doc["retention"]["period"] = "2 years"
    changed.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    asked = []
    monkeypatch.setattr(share_view.QMessageBox, "question",
                        lambda *args: asked.append(args) or share_view.QMessageBox.StandardButton.Yes)
    page.ask_file = lambda: changed
    page.add_agreement()
    wait_ops(qtbot)
    assert asked  # replacing asks first
    assert page.agreement_panel.values()["Retention at the partner:"] == "2 years"
    assert not page.state.shown and not page.send_button.isEnabled()
    assert page.agreement_panel.accept_button.isVisibleTo(page)


def test_no_agreement_means_no_share_page_for_a_case_manager(store, controller):
    session = store.unlock(ADMIN, ADMIN_PASS)
    session.users.add("manager", "bright mountain cedar path", "case_manager")
    session.lock()
    window = controller.open_session(store.unlock("manager", "bright mountain cedar path"))
    assert "share" not in [p.key for p in window.registered]


def test_a_broken_agreement_file_is_one_sentence_naming_the_file(installed, controller, qtbot):
    (installed.data_dir / PARTNERS_DIR / "broken.yaml").write_text("name: broken\npurpose: [\n", "utf-8")
    _window, page = open_share(controller, qtbot)
    page.partner.setCurrentIndex(page.partner.findText("broken"))
    wait_ops(qtbot)
    assert "broken.yaml" in page.error.text() and "\n" not in page.error.text()
    assert not page.export_button.isEnabled() and page.agreement_panel.values() == {}
    page.partner.setCurrentIndex(page.partner.findText(PARTNER))  # the good partner still works
    wait_ops(qtbot)
    assert page.agreement_panel.values()["Hub:"] == installed.server.url and not page.error.text()


def test_the_page_follows_a_change_of_language(installed, controller, qtbot):
    _window, page = open_share(controller, qtbot)
    controller.switch_language("th")
    qtbot.wait(50)
    assert page.send_button.text() and page.risk_panel.lines.text()
    assert len(page.agreement_panel.values()) == len(page.state.agreement.summary())


def test_the_navigation_check_knows_where_agreements_live():
    assert share_tasks.PARTNERS_DIR == PARTNERS_DIR
