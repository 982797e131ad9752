"""The device key: made once, kept inside the encrypted store, exported for enrolment."""

from __future__ import annotations

from tipintake.store.session import Store
from tipintake.sync import signing
from tipintake.sync.device import DEVICE_KEY_SETTING, device_identity, device_key, export_public_key


def test_the_key_is_made_once_and_survives_locking(session, tmp_path):
    first = device_identity(session)
    assert device_identity(session) == first
    session.lock()
    again = Store(tmp_path / "data").unlock("admin", "a long passphrase")
    try:
        assert device_identity(again) == first
        assert first.device_id == signing.key_id(first.public_key)
        actions = [row[0] for row in again.engine.connect().exec_driver_sql(
            "SELECT action FROM audit WHERE action LIKE 'device_%'")]
        assert actions.count("device_key_created") == 1
    finally:
        again.lock()


def test_the_private_key_never_reaches_the_disk_in_plain_text(session, tmp_path):
    device_key(session)
    seed = session.setting(DEVICE_KEY_SETTING)
    raw = bytes.fromhex(seed)
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert seed.encode() not in data and raw not in data


def test_export_writes_the_text_hub_enrol_takes(session, tmp_path):
    identity = export_public_key(session, tmp_path / "device.pub")
    text = (tmp_path / "device.pub").read_text()
    assert text == identity.public_key + "\n"
    signing.parse_public_key(text)  # what `tipintake hub enrol` checks
    assert identity.fingerprint.replace(" ", "") == identity.device_id
    assert len(identity.fingerprint.split()) == 8

