"""Batch format v1: writing, reading, verifying, and opening with the stock age tool."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pyrage
import pytest

from tipintake.errors import BatchRejected
from tipintake.sync import batch, signing
from tipintake.sync.receipt import sign_receipt, utc_now_text, verify_receipt
from tipintake.sync.records import CaseRecord, Receipt, RejectedRecord, Withdrawal


def _records(n: int) -> list[CaseRecord | Withdrawal]:
    items: list[CaseRecord | Withdrawal] = [
        CaseRecord(
            case=f"case-{i:06d}",
            revision=1 + i % 3,
            form="intake" if i % 2 else "screening",
            form_version=str(1 + i % 2),
            values={"gender": "Female", "ageBroad": "18--20", "citizenship": "KH", "note_th": "ไทย"},
        )
        for i in range(n)
    ]
    items.append(Withdrawal(case="case-000001"))
    return items


@pytest.fixture()
def keys():
    identity = pyrage.x25519.Identity.generate()
    return identity, signing.generate_key()


def _write(tmp_path: Path, keys, items, sequence: int = 1) -> batch.BatchInfo:
    identity, device = keys
    return batch.write_batch(
        items,
        device_key=device,
        manifest_fields=batch.ManifestFields(organisation="Shelter Org", sequence=sequence),
        recipients=[str(identity.to_public())],
        out_dir=tmp_path / "out",
    )


def test_round_trip_keeps_every_line_in_order(tmp_path, keys):
    items = _records(50)
    info = _write(tmp_path, keys, items)
    signed = batch.read_manifest(info.manifest_path)
    manifest = batch.verify_manifest(signed, [signing.public_key_text(keys[1])])
    batch.verify_payload(manifest, info.payload_path)
    assert list(batch.decrypt_payload(info.payload_path, keys[0])) == items
    assert manifest.record_count == 50 and manifest.withdrawal_count == 1
    assert manifest.forms == {"intake": ["2"], "screening": ["1"]}
    assert manifest.device_id == signing.key_id(keys[1])
    assert batch.find_batches(tmp_path / "out") == [(info.manifest_path, info.payload_path)]


def test_plain_dicts_are_validated_before_they_are_written(tmp_path, keys):
    bad = {"type": "record", "case": "x", "revision": 1, "form": "f", "form_version": "1", "values": {}}
    with pytest.raises(BatchRejected, match="Record 1"):
        _write(tmp_path, keys, [bad])
    assert not list((tmp_path / "out").iterdir())  # nothing half-written is left behind


@pytest.mark.skipif(shutil.which("age") is None, reason="the stock age tool is not installed")
def test_stock_age_tool_opens_the_payload(tmp_path, keys):
    items = _records(20)
    info = _write(tmp_path, keys, items)
    key_file = tmp_path / "partner.key"
    key_file.write_text(str(keys[0]) + "\n")
    plain = subprocess.run(
        ["age", "--decrypt", "-i", str(key_file), str(info.payload_path)],
        capture_output=True,
        check=True,
    ).stdout
    lines = gzip.decompress(plain).decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [i.model_dump(mode="json") for i in items]


def test_pyrage_as_an_independent_reader(tmp_path, keys):
    info = _write(tmp_path, keys, _records(5))
    plain = pyrage.decrypt(info.payload_path.read_bytes(), [keys[0]])
    assert len(gzip.decompress(plain).splitlines()) == 6


def test_an_unenrolled_device_is_rejected(tmp_path, keys):
    info = _write(tmp_path, keys, _records(3))
    stranger = signing.public_key_text(signing.generate_key())
    with pytest.raises(BatchRejected, match="not enrolled"):
        batch.verify_manifest(batch.read_manifest(info.manifest_path), [stranger])


def test_a_manifest_re_signed_by_another_key_is_rejected(tmp_path, keys):
    info = _write(tmp_path, keys, _records(3))
    manifest = batch.read_manifest(info.manifest_path).manifest
    other = signing.generate_key()
    forged = signing.sign_envelope("manifest", manifest.model_dump(mode="json"), other, batch.MANIFEST_DOMAIN)
    with pytest.raises(BatchRejected, match="different device"):
        batch.verify_manifest(batch.read_manifest(forged), [signing.public_key_text(other)])


def test_a_different_payload_fails_the_hash(tmp_path, keys):
    first = _write(tmp_path, keys, _records(3))
    second = _write(tmp_path / "b", keys, _records(4))
    manifest = batch.read_manifest(first.manifest_path).manifest
    with pytest.raises(BatchRejected, match="size|hash"):
        batch.verify_payload(manifest, second.payload_path)


def test_the_wrong_identity_cannot_decrypt(tmp_path, keys):
    info = _write(tmp_path, keys, _records(3))
    with pytest.raises(BatchRejected, match="decrypted"):
        list(batch.decrypt_payload(info.payload_path, pyrage.x25519.Identity.generate()))


def test_a_truncated_payload_is_rejected(tmp_path, keys):
    info = _write(tmp_path, keys, _records(2000))
    data = info.payload_path.read_bytes()
    info.payload_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BatchRejected):
        list(batch.decrypt_payload(info.payload_path, keys[0]))


def test_stopping_early_releases_the_decrypting_thread(tmp_path, keys):
    info = _write(tmp_path, keys, _records(5000))
    lines = batch.iter_payload_lines(info.payload_path, keys[0])
    assert next(lines).startswith(b'{"type":"record"')
    lines.close()  # must not hang


def test_receipt_round_trip_and_forgery(tmp_path):
    hub = signing.generate_key()
    receipt = Receipt(
        batch_id="b", device_id="d", accepted=2, duplicates=1, withdrawals=0,
        rejected=[RejectedRecord(line=3, case="case-000003", reason="unknown element 'x'")],
        hub_key_id=signing.key_id(hub), received_at=utc_now_text(),
    )
    data = sign_receipt(receipt, hub)
    assert verify_receipt(data, signing.public_key_text(hub)) == receipt
    with pytest.raises(BatchRejected, match="other than"):
        verify_receipt(data, signing.public_key_text(signing.generate_key()))
    with pytest.raises(BatchRejected):
        verify_receipt(data.replace(b'"accepted":2', b'"accepted":9'), signing.public_key_text(hub))
