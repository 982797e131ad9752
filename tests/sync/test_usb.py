"""USB: atomic, verified export; interrupted writes; receipts back from the stick; stock age."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess

import pytest

from tipintake.hub.usb import import_folder
from tipintake.sync import usb
from tipintake.sync.errors import NoHubKey, UsbWriteFailed
from tipintake.sync.partner import pin_hub_key


@pytest.fixture()
def stick(tmp_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


@pytest.fixture()
def pinned(env):
    """The hub's receipt key as the operator would pin it (USB never pins by itself)."""
    pin_hub_key(env.session, env.sync.partner, env.hub.keys.receipt_public, "operator")
    return env


def test_export_import_and_receipts_round_trip(pinned, kit, stick, hubcount):
    env = pinned
    env.planner.add(kit.records("u", 40))
    result = env.sync.export_to_usb(stick)
    assert len(result.written) == 1 and result.records == 40
    assert env.sync.status().delivered == 1
    assert not list(stick.glob("*.tmp"))
    outcomes = import_folder(env.hub, stick)  # what `tipintake hub import` runs
    assert all(o.receipt for o in outcomes) and hubcount(env.hub) == 40
    receipts = env.sync.import_receipts(stick)
    assert receipts.acknowledged == result.written and not receipts.rejected
    status = env.sync.status()
    assert (status.delivered, status.acknowledged, status.last_success is not None) == (0, 1, True)
    again = env.sync.import_receipts(stick)  # reading the same stick twice changes nothing
    assert again.already == result.written and again.acknowledged == []


def test_exporting_twice_does_not_rewrite_an_intact_batch(pinned, kit, stick):
    pinned.planner.add(kit.records("t", 5))
    first = pinned.sync.export_to_usb(stick)
    second = pinned.sync.export_to_usb(stick)
    assert second.written == [] and second.already_there == first.written


def test_a_write_cut_off_part_way_is_recovered_and_every_record_arrives_once(pinned, kit, stick, hubcount, monkeypatch):
    env = pinned
    for start in (0, 2000, 4000):
        env.planner.add(kit.records("w", 2000, start=start))
        env.sync.queue_new()
    sizes = [e.payload_path.stat().st_size for e in env.sync.waiting()]
    budget = {"left": sizes[0] + sizes[1] // 2}  # the stick is pulled half way through batch 2
    real = usb._write_chunk

    def failing(handle, chunk):
        if budget["left"] < len(chunk):
            real(handle, chunk[: budget["left"]])
            raise OSError(5, "Input/output error")
        budget["left"] -= len(chunk)
        real(handle, chunk)

    monkeypatch.setattr(usb, "_write_chunk", failing)
    with pytest.raises(UsbWriteFailed):
        env.sync.export_to_usb(stick)
    assert len(list(stick.glob("*.manifest.json"))) == 1  # only the complete batch has a manifest
    import_folder(env.hub, stick)  # the partner imports what is there
    assert hubcount(env.hub) == 2000
    monkeypatch.setattr(usb, "_write_chunk", real)
    result = env.sync.export_to_usb(stick)
    assert len(result.written) == 2 and len(result.already_there) == 1
    import_folder(env.hub, stick)  # the first batch again: answered with its stored receipt
    env.sync.import_receipts(stick)
    assert hubcount(env.hub) == 6000 and hubcount(env.hub, "batches") == 3
    assert env.sync.status().acknowledged == 3 and env.sync.waiting() == []


def test_a_damaged_file_on_the_stick_is_rewritten_by_the_next_export(pinned, kit, stick):
    pinned.planner.add(kit.records("r", 10))
    (batch_id,) = pinned.sync.export_to_usb(stick).written
    payload = stick / f"{batch_id}.age"
    payload.write_bytes(payload.read_bytes()[:-10])
    again = pinned.sync.export_to_usb(stick)
    assert again.written == [batch_id]
    entry = pinned.sync.outbox.get(batch_id)
    assert payload.read_bytes() == entry.payload_path.read_bytes()


def test_receipts_need_a_known_hub_key(env, kit, stick):
    env.planner.add(kit.records("n", 3))
    env.sync.export_to_usb(stick)
    import_folder(env.hub, stick)
    with pytest.raises(NoHubKey):
        env.sync.import_receipts(stick)
    assert env.sync.status().acknowledged == 0


def test_missing_stick_is_one_plain_sentence(pinned, tmp_path):
    with pytest.raises(UsbWriteFailed) as caught:
        pinned.sync.export_to_usb(tmp_path / "not-plugged-in")
    assert "USB" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.skipif(shutil.which("age") is None, reason="the stock age tool is not installed")
def test_the_stock_age_tool_decrypts_a_batch_with_the_partner_identity(pinned, kit, stick, tmp_path):
    records = kit.records("s", 25)
    pinned.planner.add(records)
    (batch_id,) = pinned.sync.export_to_usb(stick).written
    identity = tmp_path / "partner.key"
    identity.write_text(str(pinned.hub.keys.identity) + "\n")
    out = subprocess.run(["age", "--decrypt", "-i", str(identity), str(stick / f"{batch_id}.age")],
                         check=True, capture_output=True, timeout=60).stdout
    lines = gzip.decompress(out).decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [r.model_dump(mode="json") for r in records]


def test_a_batch_delivered_by_stick_and_by_network_is_stored_once(pinned, kit, stick, hubcount):
    env = pinned
    env.planner.add(kit.records("both", 30))
    (batch_id,) = env.sync.export_to_usb(stick).written
    import_folder(env.hub, stick)  # the stick got there first
    result = env.sync.send_now()  # the network push then gets the stored receipt
    assert result.acknowledged == [batch_id] and hubcount(env.hub) == 30
    assert env.sync.import_receipts(stick).already == [batch_id]
    assert hubcount(env.hub, "batches") == 1 and env.sync.status().acknowledged == 1
