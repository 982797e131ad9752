"""Tampered, truncated, replayed or foreign-signed batches and receipts: refused with a reason, nothing changes."""

from __future__ import annotations

import json

import pytest

from tipintake.hub.usb import import_folder
from tipintake.sync import signing
from tipintake.sync.errors import DamagedBatch
from tipintake.sync.partner import pin_hub_key
from tipintake.sync.receipt import sign_receipt, utc_now_text
from tipintake.sync.records import Receipt


@pytest.fixture()
def on_stick(env, kit, tmp_path):
    """One batch of 20 records exported to a stick, hub key pinned."""
    pin_hub_key(env.session, env.sync.partner, env.hub.keys.receipt_public, "operator")
    stick = tmp_path / "stick"
    stick.mkdir()
    env.planner.add(kit.records("t", 20))
    (batch_id,) = env.sync.export_to_usb(stick).written
    env.stick, env.batch_id = stick, batch_id
    return env


def _nothing_changed(env, hubcount) -> None:
    assert hubcount(env.hub) == 0 and hubcount(env.hub, "batches") == 0
    assert not list(env.stick.glob("*.receipt.json"))
    assert env.sync.status().delivered == 1 and env.sync.status().acknowledged == 0


def _flip(path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_tampered_payload_is_refused(on_stick, hubcount):
    _flip(on_stick.stick / f"{on_stick.batch_id}.age", 200)
    (outcome,) = import_folder(on_stick.hub, on_stick.stick)
    assert outcome.receipt is None and "altered" in outcome.reason
    _nothing_changed(on_stick, hubcount)


def test_tampered_manifest_is_refused(on_stick, hubcount):
    path = on_stick.stick / f"{on_stick.batch_id}.manifest.json"
    path.write_bytes(path.read_bytes().replace(b'"sequence":1', b'"sequence":2'))
    (outcome,) = import_folder(on_stick.hub, on_stick.stick)
    assert outcome.receipt is None and "signature" in outcome.reason
    _nothing_changed(on_stick, hubcount)


def test_truncated_payload_is_refused(on_stick, hubcount):
    path = on_stick.stick / f"{on_stick.batch_id}.age"
    path.write_bytes(path.read_bytes()[:-100])
    (outcome,) = import_folder(on_stick.hub, on_stick.stick)
    assert outcome.receipt is None and "incomplete" in outcome.reason
    _nothing_changed(on_stick, hubcount)


def test_foreign_signed_batch_is_refused(on_stick, kit, hubcount):
    stranger = kit.Device("Shelter Org")  # a key the hub never enrolled
    stranger.write(kit.records("f", 5), on_stick.stick, on_stick.hub.keys.recipient)
    outcomes = {o.batch_id: o for o in import_folder(on_stick.hub, on_stick.stick)}
    refused = [o for o in outcomes.values() if o.receipt is None]
    assert len(refused) == 1 and "not enrolled" in refused[0].reason
    assert hubcount(on_stick.hub) == 20  # our own batch went in; the stranger's did not


def test_replayed_batch_id_with_other_content_is_refused_and_a_true_replay_changes_nothing(on_stick, kit, hubcount):
    import_folder(on_stick.hub, on_stick.stick)
    assert hubcount(on_stick.hub) == 20
    first = (on_stick.stick / f"{on_stick.batch_id}.receipt.json").read_bytes()
    (again,) = import_folder(on_stick.hub, on_stick.stick)  # the same stick imported twice
    assert again.receipt.read_bytes() == first and hubcount(on_stick.hub, "batches") == 1
    # Same batch id and sequence, other records, properly signed by our device: a replay attack.
    from tipintake.sync import batch
    from tipintake.sync.device import device_key

    other = on_stick.tmp / "other"
    batch.write_batch(kit.records("z", 3), device_key=device_key(on_stick.session),
                      manifest_fields=batch.ManifestFields("Shelter Org", 1, batch_id=on_stick.batch_id),
                      recipients=[on_stick.hub.keys.recipient], out_dir=other)
    (outcome,) = import_folder(on_stick.hub, other)
    assert outcome.receipt is None and "already used" in outcome.reason
    assert hubcount(on_stick.hub) == 20


def test_tampered_receipt_is_refused_and_the_batch_stays_delivered(on_stick):
    import_folder(on_stick.hub, on_stick.stick)
    path = on_stick.stick / f"{on_stick.batch_id}.receipt.json"
    path.write_bytes(path.read_bytes().replace(b'"accepted":20', b'"accepted":21'))
    outcome = on_stick.sync.import_receipts(on_stick.stick)
    assert outcome.acknowledged == [] and "signature" in outcome.rejected[path.name]
    assert on_stick.sync.status().delivered == 1


def test_receipt_signed_by_another_hub_is_refused(on_stick):
    impostor = signing.generate_key()
    fake = Receipt(batch_id=on_stick.batch_id, device_id=signing.key_id(
        signing.parse_public_key(json.loads(on_stick.sync.outbox.get(on_stick.batch_id).manifest_bytes)
                                 ["signature"]["public_key"])),
        accepted=20, duplicates=0, withdrawals=0, hub_key_id=signing.key_id(impostor), received_at=utc_now_text())
    path = on_stick.stick / f"{on_stick.batch_id}.receipt.json"
    path.write_bytes(sign_receipt(fake, impostor))
    outcome = on_stick.sync.import_receipts(on_stick.stick)
    assert outcome.acknowledged == [] and "other than the partner hub" in outcome.rejected[path.name]
    assert on_stick.sync.status().acknowledged == 0


def test_a_receipt_for_someone_elses_batch_is_ignored(on_stick, kit):
    stranger = kit.Device("Shelter Org").enrol(on_stick.hub)
    other = on_stick.tmp / "theirs"
    stranger.write(kit.records("o", 2), other, on_stick.hub.keys.recipient)
    import_folder(on_stick.hub, other)
    outcome = on_stick.sync.import_receipts(other)
    assert outcome.not_ours == 1 and outcome.acknowledged == []


def test_a_batch_damaged_in_the_outbox_is_not_sent(on_stick, hubcount):
    entry = on_stick.sync.outbox.get(on_stick.batch_id)
    _flip(entry.payload_path, 100)
    result = on_stick.sync.send_now()
    assert not result.ok and "failed its own check" in result.failed[on_stick.batch_id]
    assert hubcount(on_stick.hub) == 0 and on_stick.sync.status().acknowledged == 0
    assert "failed its own check" in on_stick.sync.status().last_error
    with pytest.raises(DamagedBatch):
        on_stick.sync.export_to_usb(on_stick.tmp)
