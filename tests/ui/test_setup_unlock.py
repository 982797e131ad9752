"""First-run set-up, unlock, wrong passphrases and the growing wait."""

from __future__ import annotations

from tests.ui.conftest import ADMIN, ADMIN_PASS, wait_ops
from tipintake.ui.qt import QWizard


def test_first_run_shows_the_setup_wizard_and_creates_the_store(controller, data_dir, qtbot):
    from tipintake.ui.main_window import MainWindow
    from tipintake.ui.setup_wizard import SetupWizard

    wizard = controller.start()
    assert isinstance(wizard, SetupWizard)
    wizard.welcome.organisation.setText("Safe House")
    assert wizard.welcome.isComplete()
    wizard.next()
    page = wizard.admin
    page.username.setText("amara")
    page.passphrase.first.setText("short")
    assert not page.isComplete()
    assert page.passphrase.verdict.text() == ""  or page.passphrase.meter.value() == 0
    page.passphrase.first.setText(ADMIN_PASS)
    page.passphrase.second.setText(ADMIN_PASS)
    assert page.passphrase.meter.value() >= 3
    assert page.isComplete()
    wizard.next()  # commits: the store exists now
    assert controller.store.exists()
    key = wizard.recovery.key.text()
    assert len(key) > 20
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not wizard.recovery.isComplete()
    wizard.recovery.confirm.setChecked(True)
    assert wizard.recovery.isComplete() and finish.isEnabled()
    wizard.accept()
    assert isinstance(controller.window, MainWindow)
    assert wizard.recovery.key.text() == ""  # the key is not kept on screen
    assert controller.session.user.username == "amara"
    # The next start's unlock screen speaks the language chosen at set-up.
    assert (data_dir / "interface-language").read_text() == "en"


def test_unlock_with_the_right_passphrase_opens_the_main_window(controller, store, qtbot):
    from tipintake.ui.main_window import MainWindow
    from tipintake.ui.unlock import UnlockWindow

    window = controller.start()
    assert isinstance(window, UnlockWindow)
    assert [window.users.item(i).text() for i in range(window.users.count())] == [ADMIN]
    window.passphrase.setText(ADMIN_PASS)
    window.try_unlock()
    assert window.passphrase.text() == ""  # not kept in the box while unlocking
    wait_ops(qtbot)
    assert isinstance(controller.window, MainWindow)


def test_wrong_passphrase_says_so_and_then_makes_you_wait(controller, store, qtbot):
    window = controller.start()
    for attempt in range(3):
        window.passphrase.setText(f"wrong passphrase {attempt}")
        window.try_unlock()
        wait_ops(qtbot)
        assert controller.session is None
        assert "not right" in window.message.text()
    # The third mistake starts the back-off: a countdown with the button disabled.
    assert window.wait_left > 0
    assert not window.button.isEnabled()
    assert "try again in" in window.message.text()
    before = window.wait_left
    window._tick()
    assert window.wait_left == before - 1


def test_forgotten_passphrase_is_replaced_with_the_recovery_key(controller, data_dir, qtbot):
    from tipintake.store.session import Store
    from tipintake.ui.main_window import MainWindow

    session, recovery_key = Store(data_dir).init("Test shelter", ADMIN, ADMIN_PASS)
    session.lock()
    window = controller.start()
    dialog = window.open_recovery()
    dialog.key.setText("not the key at all")
    dialog.passphrase.first.setText("a fresh passphrase words")
    dialog.passphrase.second.setText("a fresh passphrase words")
    dialog.try_recover()
    wait_ops(qtbot)
    assert "recovery key" in dialog.problem.text() and controller.session is None
    dialog.key.setText(recovery_key)
    dialog.passphrase.first.setText("a fresh passphrase words")
    dialog.passphrase.second.setText("a fresh passphrase words")
    dialog.try_recover()
    wait_ops(qtbot)
    assert isinstance(controller.window, MainWindow)
    controller.lock()
    assert Store(data_dir).unlock(ADMIN, "a fresh passphrase words").user.username == ADMIN
