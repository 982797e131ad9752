"""Every way the hub refuses a batch or a record, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from sqlalchemy import func, select

from tipintake.sync import signing
from tipintake.sync.receipt import verify_receipt
from tipintake.sync.records import CaseRecord


@pytest.fixture()
def live(sqlite_hub, serve, kit):
    return kit.serve_hub(serve, sqlite_hub)


def _count(hub) -> int:
    with hub.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(hub.tables.records)).scalar_one()


def _batches(hub) -> int:
    with hub.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(hub.tables.batches)).scalar_one()


def _write(kit, device, hub, tmp_path, items, **fields):
    return device.write(items, tmp_path / "out", hub.keys.recipient, **fields)


def test_a_good_batch_is_stored_and_answered_with_a_signed_receipt(sqlite_hub, live, kit, tmp_path):
    device = kit.Device("Org A").enrol(sqlite_hub)
    info = _write(kit, device, sqlite_hub, tmp_path, kit.records("a", 20))
    response = kit.post_batch(live, info)
    assert response.status_code == 200
    receipt = verify_receipt(response.content, sqlite_hub.keys.receipt_public)
    assert (receipt.accepted, receipt.duplicates, receipt.rejected_count) == (20, 0, 0)
    assert receipt.batch_id == info.batch_id and _count(sqlite_hub) == 20


def test_unknown_device_is_refused_before_anything_is_stored(sqlite_hub, live, kit, tmp_path):
    stranger = kit.Device("Org A")  # never enrolled
    response = kit.post_batch(live, _write(kit, stranger, sqlite_hub, tmp_path, kit.records("a", 3)))
    assert response.status_code == 403
    assert "not enrolled" in response.json()["error"]
    assert _count(sqlite_hub) == 0 and _batches(sqlite_hub) == 0


def test_revoked_device_is_refused(sqlite_hub, live, kit, tmp_path):
    from tipintake.hub.db import revoke_device

    device = kit.Device("Org A").enrol(sqlite_hub)
    revoke_device(sqlite_hub.engine, sqlite_hub.tables, signing.key_id(device.key))
    response = kit.post_batch(live, _write(kit, device, sqlite_hub, tmp_path, kit.records("a", 3)))
    assert response.status_code == 403


def test_bad_signature_is_refused(sqlite_hub, live, kit, tmp_path):
    device = kit.Device("Org A").enrol(sqlite_hub)
    info = _write(kit, device, sqlite_hub, tmp_path, kit.records("a", 3))
    envelope = json.loads(info.manifest_path.read_bytes())
    envelope["manifest"]["record_count"] = 2  # altered after signing, still canonical
    forged = signing.canonical_json(envelope) + b"\n"
    response = kit.post_batch(live, info, manifest=forged)
    assert response.status_code == 403
    assert "signature" in response.json()["error"]
    assert _batches(sqlite_hub) == 0


def test_a_device_cannot_send_for_another_organisation(sqlite_hub, live, kit, tmp_path):
    device = kit.Device("Org A").enrol(sqlite_hub)
    info = _write(kit, device, sqlite_hub, tmp_path, kit.records("a", 3), org="Org B")
    assert kit.post_batch(live, info).status_code == 403


def test_payload_hash_mismatch_is_refused(sqlite_hub, live, kit, tmp_path):
    device = kit.Device("Org A").enrol(sqlite_hub)
    info = _write(kit, device, sqlite_hub, tmp_path, kit.records("a", 3))
    body = bytearray(info.payload_path.read_bytes())
    body[-5] ^= 0x01
    response = kit.post_batch(live, info, body=bytes(body))
    assert response.status_code == 400 and "hash" in response.json()["error"]
    assert _count(sqlite_hub) == 0 and _batches(sqlite_hub) == 0


def test_schema_violations_are_rejected_record_by_record(sqlite_hub, live, kit, tmp_path):
    device = kit.Device("Org A").enrol(sqlite_hub)
    items = kit.records("a", 5) + [
        CaseRecord(case="a-unknown1", revision=1, form="intake", form_version="1",
                   values={"favouriteColour": "blue"}),
        CaseRecord(case="a-badvalue", revision=1, form="intake", form_version="1",
                   values={"ageBroad": "18-20 years"}),
        CaseRecord(case="a-badflag1", revision=1, form="intake", form_version="1",
                   values={"isForcedLabour": 7}),
    ]
    response = kit.post_batch(live, _write(kit, device, sqlite_hub, tmp_path, items))
    receipt = verify_receipt(response.content, sqlite_hub.keys.receipt_public)
    assert receipt.accepted == 5 and receipt.rejected_count == 3
    assert [r.case for r in receipt.rejected] == ["a-unknown1", "a-badvalue", "a-badflag1"]
    assert "blue" not in response.text and "18-20 years" not in response.text  # reasons never quote values


def test_a_record_with_a_direct_identifier_is_rejected_whole(sqlite_hub, live, kit, tmp_path):
    device = kit.Device("Org A").enrol(sqlite_hub)
    leaked = CaseRecord(case="a-leaked01", revision=1, form="intake", form_version="1",
                        values=kit.sample_values(1, prs_MobilePhone="+66812345678"))
    response = kit.post_batch(live, _write(kit, device, sqlite_hub, tmp_path, [*kit.records("a", 2), leaked]))
    receipt = verify_receipt(response.content, sqlite_hub.keys.receipt_public)
    assert receipt.rejected[0].case == "a-leaked01" and "direct identifier" in receipt.rejected[0].reason
    with sqlite_hub.engine.connect() as conn:
        stored = conn.execute(select(sqlite_hub.tables.records.c.case_id)).scalars().all()
        dump = " ".join(conn.execute(select(sqlite_hub.tables.records.c.values_json)).scalars())
    assert "a-leaked01" not in stored and "+66812345678" not in dump


def test_replay_of_the_same_batch_changes_nothing(sqlite_hub, live, kit, tmp_path):
    device = kit.Device("Org A").enrol(sqlite_hub)
    info = _write(kit, device, sqlite_hub, tmp_path, kit.records("a", 4))
    first = kit.post_batch(live, info)
    second = kit.post_batch(live, info)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content  # the very same signed receipt
    assert _count(sqlite_hub) == 4 and _batches(sqlite_hub) == 1


def test_replay_cannot_bring_back_a_withdrawn_case(sqlite_hub, live, kit, tmp_path):
    device = kit.Device("Org A").enrol(sqlite_hub)
    old = _write(kit, device, sqlite_hub, tmp_path / "1", kit.records("a", 3))
    assert kit.post_batch(live, old).status_code == 200
    gone = _write(kit, device, sqlite_hub, tmp_path / "2", [kit.withdrawal("a-000001")])
    assert verify_receipt(kit.post_batch(live, gone).content, sqlite_hub.keys.receipt_public).withdrawals == 1
    assert _count(sqlite_hub) == 2
    kit.post_batch(live, old)  # replayed by someone holding the old stick
    newer = _write(kit, device, sqlite_hub, tmp_path / "3", kit.records("a", 2, revision=5))
    receipt = verify_receipt(kit.post_batch(live, newer).content, sqlite_hub.keys.receipt_public)
    assert receipt.rejected_count == 1 and receipt.rejected[0].case == "a-000001"
    assert _count(sqlite_hub) == 2


def test_reused_batch_id_or_sequence_with_other_content_is_refused(sqlite_hub, live, kit, tmp_path):
    device = kit.Device("Org A").enrol(sqlite_hub)
    first = _write(kit, device, sqlite_hub, tmp_path / "1", kit.records("a", 2))
    assert kit.post_batch(live, first).status_code == 200
    same_id = _write(kit, device, sqlite_hub, tmp_path / "2", kit.records("b", 2), batch_id=first.batch_id)
    same_sequence = _write(kit, device, sqlite_hub, tmp_path / "3", kit.records("c", 2), sequence=1)
    assert kit.post_batch(live, same_id).status_code == 409
    assert kit.post_batch(live, same_sequence).status_code == 409
    assert _count(sqlite_hub) == 2


def test_oversize_batches_are_refused(sqlite_hub, serve, kit, tmp_path):
    url = kit.serve_hub(serve, sqlite_hub, max_batch_bytes=2048)
    device = kit.Device("Org A").enrol(sqlite_hub)
    big = _write(kit, device, sqlite_hub, tmp_path / "1", kit.records("a", 3000))
    assert kit.post_batch(url, big).status_code == 413
    small = _write(kit, device, sqlite_hub, tmp_path / "2", kit.records("b", 2))
    padded = small.payload_path.read_bytes() + b"\0" * 100_000
    assert kit.post_batch(url, small, body=padded).status_code == 400
    header = "A" * 20_000
    response = httpx.post(f"{url}/v1/batches", content=b"x", headers={"Tipintake-Manifest": header})
    assert response.status_code in (413, 431, 400)
    assert _count(sqlite_hub) == 0


def test_a_device_sending_too_often_is_slowed_down(sqlite_hub, serve, kit, tmp_path):
    url = kit.serve_hub(serve, sqlite_hub, batches_per_minute=2, burst=2)
    device = kit.Device("Org A").enrol(sqlite_hub)
    statuses = [
        kit.post_batch(url, _write(kit, device, sqlite_hub, tmp_path / str(i), kit.records(f"r{i}", 1))).status_code
        for i in range(3)
    ]
    assert statuses[:2] == [200, 200] and statuses[2] == 429


def test_malformed_requests_get_a_sentence_not_a_crash(sqlite_hub, live):
    assert httpx.post(f"{live}/v1/batches", content=b"x").status_code == 400
    bad = httpx.post(f"{live}/v1/batches", content=b"x", headers={"Tipintake-Manifest": "%%%"})
    assert bad.status_code == 400 and bad.json()["error"].endswith(".")
    junk = base64.b64encode(b'{"manifest":{},"signature":{}}\n').decode()
    assert httpx.post(f"{live}/v1/batches", content=b"x", headers={"Tipintake-Manifest": junk}).status_code == 400


def test_logs_hold_ids_and_counts_but_no_payload_content(sqlite_hub, live, kit, tmp_path, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    device = kit.Device("Org A").enrol(sqlite_hub)
    items = [
        *kit.records("secretcase", 3, citizenship="LA"),
        CaseRecord(case="a-leaked02", revision=1, form="intake", form_version="1",
                   values={"prs_FirstName": "Somchai-Unique-Name"}),
    ]
    info = _write(kit, device, sqlite_hub, tmp_path, items)
    assert kit.post_batch(live, info).status_code == 200
    bad = bytearray(info.payload_path.read_bytes())
    bad[-1] ^= 1
    kit.post_batch(live, _write(kit, device, sqlite_hub, tmp_path / "2", items), body=bytes(bad))
    logged = caplog.text
    assert info.batch_id in logged  # ids and counts are logged ...
    for secret in ("Somchai-Unique-Name", "secretcase", "prs_FirstName", "a-leaked02"):
        assert secret not in logged  # ... values, case ids and element names are not
