"""Key slots: passphrase changes, recovery key, removed users, rekey, back-off."""

from __future__ import annotations

import json

import pytest

from tipintake.errors import TooManyAttempts, UserError, WrongPassphrase
from tipintake.store import keyslots
from tipintake.store.lockout import Lockout, delay_after

from .conftest import ADMIN, ADMIN_PASS


def test_slot_stores_argon2id_parameters_of_at_least_64_mib(store, session):
    raw = json.loads((store.data_dir / "keyslots.json").read_text())
    for slot in raw["slots"]:
        assert slot["kdf"]["memory_cost"] >= 64 * 1024
        assert slot["kdf"]["time_cost"] >= 1


def test_raised_kdf_parameters_still_open(tmp_path):
    key = keyslots.new_database_key()
    slot = keyslots.wrap("u", "pass phrase", key, keyslots.KdfParams(time_cost=4, memory_cost=70000))
    assert keyslots.unwrap(slot, "pass phrase") == key


def test_edited_slot_parameters_do_not_open():
    key = keyslots.new_database_key()
    slot = keyslots.wrap("u", "pass phrase", key)
    weakened = keyslots.Slot(slot.name, keyslots.KdfParams(1, 8, 1, slot.kdf.salt), slot.nonce, slot.wrapped)
    with pytest.raises(WrongPassphrase):
        keyslots.unwrap(weakened, "pass phrase")


def test_password_change_keeps_the_data(store, session):
    cid, _ = session.cases.save(form_id="f", form_version="1", kind="intake", identity={}, context={"x": "kept"})
    session.users.passwd(ADMIN, "a new long passphrase")
    session.lock()
    with pytest.raises(WrongPassphrase):
        store.unlock(ADMIN, ADMIN_PASS)
    again = store.unlock(ADMIN, "a new long passphrase")
    assert again.cases.show(cid).revisions[0].context == {"x": "kept"}
    again.lock()


def test_recovery_key_opens_the_store_typed_loosely(store_with_recovery):
    store, recovery = store_with_recovery
    typed = recovery.lower().replace("-", " ")
    session = store.unlock_with_recovery(typed, ADMIN)
    session.users.passwd(ADMIN, "reset after recovery")
    session.lock()
    store.unlock(ADMIN, "reset after recovery").lock()


def test_wrong_recovery_key_is_refused(store_with_recovery):
    store, recovery = store_with_recovery
    other = keyslots.new_recovery_key()
    with pytest.raises(WrongPassphrase):
        store.unlock_with_recovery(other, ADMIN)
    with pytest.raises(UserError):
        store.unlock_with_recovery("not a key", ADMIN)


def test_removed_users_passphrase_no_longer_opens(store, session):
    session.users.add("field1", "field one passphrase", "interviewer")
    store.unlock("field1", "field one passphrase").lock()
    session.users.remove("field1")
    with pytest.raises(WrongPassphrase):
        store.unlock("field1", "field one passphrase")
    assert "field1" not in store.user_names()


def test_disabled_user_cannot_sign_in(store, session):
    session.users.add("field2", "field two passphrase", "interviewer")
    session.users.set_disabled("field2", True)
    with pytest.raises(UserError, match="disabled"):
        store.unlock("field2", "field two passphrase")


def test_rekey_replaces_the_key_and_keeps_data(store, session):
    cid, _ = session.cases.save(form_id="f", form_version="1", kind="intake", identity={"n": "a"}, context={})
    session.users.add("cm", "case manager passphrase", "case_manager")
    old_key = session.database_key()
    recovery = session.rekey(ADMIN_PASS)
    assert session.database_key() != old_key
    session.lock()
    s2 = store.unlock(ADMIN, ADMIN_PASS)
    assert s2.cases.show(cid).revisions[0].identity == {"n": "a"}
    assert s2.users.get("cm").must_reset
    s2.users.passwd("cm", "new cm passphrase!")
    s2.lock()
    store.unlock("cm", "new cm passphrase!").lock()
    store.unlock_with_recovery(recovery, ADMIN).lock()


def test_backoff_grows_after_repeated_wrong_passphrases(tmp_path):
    clock = [1000.0]
    lock = Lockout(tmp_path, clock=lambda: clock[0])
    for _ in range(3):
        lock.check("u")
        lock.failed("u")
    with pytest.raises(TooManyAttempts) as exc:
        lock.check("u")
    assert exc.value.seconds == 2
    clock[0] += 2.1
    lock.check("u")
    lock.failed("u")
    with pytest.raises(TooManyAttempts) as exc:
        lock.check("u")
    assert exc.value.seconds == 4
    lock.succeeded("u")
    lock.check("u")
    assert [delay_after(n) for n in (0, 2, 3, 4, 5, 30)] == [0, 0, 2, 4, 8, 300]


def test_store_refuses_unlock_while_backing_off(store, session):
    session.lock()
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            store.unlock(ADMIN, "wrong passphrase!")
    with pytest.raises(TooManyAttempts):
        store.unlock(ADMIN, ADMIN_PASS)


def test_short_passphrase_is_refused(tmp_path):
    from tipintake.store.session import Store

    with pytest.raises(UserError, match="too short"):
        Store(tmp_path / "d").init("Org", "admin", "short")
    assert not (tmp_path / "d" / "tipintake.db").exists()
