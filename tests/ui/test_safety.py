"""Lock (button, Ctrl+L, idle), unlock again, need to know, user management."""

from __future__ import annotations

import shiboken6

from tests.ui.conftest import ADMIN, ADMIN_PASS, wait_ops
from tipintake.ui.qt import QDialog, QKeySequence
from tipintake.ui.unlock import UnlockWindow

VIEWER_PASS = "quiet river orange lantern"


def save_case(main_window, qtbot, name: str = "Dara") -> str:
    window = main_window.open_form("ui_test")
    for field, value in (("consent_interview", "yes"), ("age", "30")):
        window.widget(field).set_value(value)
        window.widget(field).emit_edited()
    window.widget("given_name").editor.setText(name)
    window.widget("given_name").emit_edited()
    window.finish()
    wait_ops(qtbot)
    assert window.finished
    window.close()
    return main_window.session.cases.list()[0].id


def test_lock_hides_everything_and_unlock_brings_the_draft_back(main_window, qtbot):
    controller = main_window.controller
    assert main_window.lock_action.shortcut() == QKeySequence("Ctrl+L")
    case_id = save_case(main_window, qtbot)
    case_window = main_window.open_case(case_id)
    form = main_window.open_form("ui_test")
    form.widget("consent_interview").set_value("yes")
    form.widget("consent_interview").emit_edited()
    form.widget("given_name").editor.setText("Kanya")
    form.widget("given_name").emit_edited()
    session = controller.session
    cases_model = main_window.page("cases").model
    assert cases_model.rowCount() == 1

    main_window.lock_action.trigger()

    assert controller.session is None
    assert isinstance(controller.window, UnlockWindow)
    assert cases_model.rowCount() == 0  # decrypted rows forgotten at once
    assert form.widget("given_name").text() == ""
    assert not any(session._key._key)  # the key is wiped
    for widget in (main_window, case_window, form):
        qtbot.waitUntil(lambda w=widget: not shiboken6.isValid(w), timeout=3000)

    unlock = controller.window
    unlock.passphrase.setText(ADMIN_PASS)
    unlock.try_unlock()
    wait_ops(qtbot)
    drafts = controller.session.drafts.list()
    assert len(drafts) == 1  # the interview open at lock time was kept
    resumed = controller.window.page("drafts").resume()
    assert resumed.widget("given_name").text() == "Kanya"


def test_idle_lock(main_window, qtbot):
    controller = main_window.controller
    controller.idle.set_interval_ms(150)
    qtbot.waitUntil(lambda: controller.session is None, timeout=3000)
    assert isinstance(controller.window, UnlockWindow)


def test_admin_adds_a_viewer_who_must_not_see_identity(main_window, qtbot):
    from tipintake.ui.users_view import UserDialog

    controller = main_window.controller
    case_id = save_case(main_window, qtbot, name="Thida")
    users = main_window.page("users")
    dialog = UserDialog(users)
    dialog.username.setText("visitor")
    dialog.role.setCurrentIndex(dialog.role.findData("viewer"))
    dialog.passphrase.first.setText(VIEWER_PASS)
    dialog.passphrase.second.setText(VIEWER_PASS)
    dialog.exec = lambda: QDialog.DialogCode.Accepted  # as if OK was pressed
    users.add_user(dialog)
    wait_ops(qtbot)
    assert [u.username for u in users.users] == [ADMIN, "visitor"]

    controller.lock()
    unlock = controller.window
    unlock.users.setCurrentRow(1)
    unlock.passphrase.setText(VIEWER_PASS)
    unlock.try_unlock()
    wait_ops(qtbot)
    viewer_main = controller.window
    assert controller.session.user.role == "viewer"
    keys = [page.key for page, _w in viewer_main.pages]
    assert "cases" in keys and "drafts" not in keys and "users" not in keys  # need to know
    assert viewer_main.new_action not in viewer_main.file_menu.actions()
    case = viewer_main.open_case(case_id)
    assert case.identity_note.isVisibleTo(case)
    shown = [case.answers.item(r, 1).text() for r in range(case.answers.rowCount())]
    assert "Thida" not in shown and "30" in shown
    assert not case.follow_up.isVisibleTo(case)


def test_admin_resets_a_passphrase_and_disables_a_user(main_window, qtbot):
    from tipintake.ui.users_view import UserDialog

    users = main_window.page("users")
    main_window.session.users.add("somsak", VIEWER_PASS, "interviewer")
    users.refresh()
    users.table.setCurrentCell(1, 0)
    dialog = UserDialog(users, "somsak")
    dialog.passphrase.first.setText("short")
    dialog.accept()
    assert dialog.problem.text()  # too short: the dialog stays open
    dialog.passphrase.first.setText("a brand new passphrase here")
    dialog.passphrase.second.setText("a brand new passphrase here")
    dialog.exec = lambda: QDialog.DialogCode.Accepted
    users.reset_passphrase(dialog)
    wait_ops(qtbot)
    users.table.setCurrentCell(1, 0)
    users.toggle_disabled()
    wait_ops(qtbot)
    assert users.users[1].disabled
    store = main_window.controller.store
    try:
        store.unlock("somsak", "a brand new passphrase here")
    except Exception as exc:  # noqa: BLE001
        assert "disabled" in str(exc)
    else:
        raise AssertionError("a disabled user could unlock")


def test_lock_closes_an_open_dialog_too(main_window, qtbot):
    from tipintake.ui.form_picker import FormPicker
    from tipintake.ui.qt import QApplication

    picker = FormPicker(main_window, ["ui_test"])
    picker.open()  # window-modal, as exec() would be
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is picker, timeout=3000)
    main_window.controller.lock()
    assert QApplication.activeModalWidget() is None
    assert isinstance(main_window.controller.window, UnlockWindow)


def test_locking_during_a_save_keeps_the_record(main_window, qtbot):
    window = main_window.open_form("ui_test")
    for field, value in (("consent_interview", "yes"), ("age", "30"), ("given_name", "Aye")):
        window.widget(field).set_value(value)
        window.widget(field).emit_edited()
    controller = main_window.controller
    store = controller.store
    window.finish()  # the save runs in the thread pool…
    controller.lock()  # …and the lock waits for it before the key goes
    wait_ops(qtbot)
    session = store.unlock(ADMIN, ADMIN_PASS)
    try:
        assert session.cases.count() == 1
    finally:
        session.lock()


def test_nothing_typed_reaches_the_disk_in_plaintext(main_window, data_dir, qtbot, tmp_path):
    marker = "Zyxwvutsrqp"  # a name no file could contain by chance
    window = main_window.open_form("ui_test")
    window.widget("consent_interview").set_value("yes")
    window.widget("consent_interview").emit_edited()
    window.widget("given_name").editor.setText(marker)
    window.widget("given_name").emit_edited()
    assert window.save_draft(force=True)
    main_window.controller.lock()
    found = [p for p in tmp_path.rglob("*") if p.is_file() and marker.encode() in p.read_bytes()]
    assert found == []
    names = sorted(p.name for p in data_dir.iterdir())
    assert all(n.startswith(("tipintake.db", "keyslots", "lockout", "interface-language", "backup"))
               for n in names), names


def test_any_user_changes_their_own_passphrase(main_window, qtbot):
    from tipintake.ui.users_view import UserDialog

    dialog = UserDialog(main_window, ADMIN)
    dialog.passphrase.first.setText("my own new passphrase")
    dialog.passphrase.second.setText("my own new passphrase")
    dialog.exec = lambda: QDialog.DialogCode.Accepted
    main_window.change_passphrase(dialog)
    wait_ops(qtbot)
    store = main_window.controller.store
    main_window.controller.lock()
    store.unlock(ADMIN, "my own new passphrase").lock()


def test_rows_are_tall_enough_for_burmese(main_window, qtbot):
    from tipintake.ui.fonts import row_height

    cases = main_window.page("cases")
    latin = cases.table.verticalHeader().defaultSectionSize()
    main_window.controller.switch_language("my")
    qtbot.waitUntil(lambda: cases.table.verticalHeader().defaultSectionSize() == row_height("my"), timeout=3000)
    assert row_height("my") > latin
    main_window.controller.switch_language("en")


def test_idle_delay_is_a_setting_of_the_installation(main_window, qtbot):
    controller = main_window.controller
    main_window.idle_actions[1].trigger()
    assert controller.idle.minutes == 1 and controller.idle.timer.isActive()
    assert main_window.session.setting("idle_lock_minutes") == 1
    main_window.idle_actions[0].trigger()  # never
    assert not controller.idle.timer.isActive()
