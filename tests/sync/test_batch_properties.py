"""Property tests for batch format v1: round trip, and any one changed byte is caught."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyrage
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipintake.errors import BatchRejected
from tipintake.sync import batch, signing
from tipintake.sync.records import CaseRecord, Withdrawal

IDENTITY = pyrage.x25519.Identity.generate()
DEVICE = signing.generate_key()
TRUSTED = [signing.public_key_text(DEVICE)]

case_ids = st.from_regex(r"[A-Za-z0-9_-]{8,20}", fullmatch=True)
values = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
)
records = st.builds(
    CaseRecord,
    case=case_ids,
    revision=st.integers(1, 1000),
    form=st.text(min_size=1, max_size=10),
    form_version=st.text(min_size=1, max_size=5),
    values=st.dictionaries(st.text(min_size=1, max_size=12), values, max_size=5),
)
items = st.lists(st.one_of(records, st.builds(Withdrawal, case=case_ids)), max_size=30)


def _write(out: Path, content) -> batch.BatchInfo:
    return batch.write_batch(
        content,
        device_key=DEVICE,
        manifest_fields=batch.ManifestFields(organisation="Org ทดสอบ", sequence=7),
        recipients=[IDENTITY.to_public()],
        out_dir=out,
    )


def _open(info: batch.BatchInfo) -> list:
    manifest = batch.verify_manifest(batch.read_manifest(info.manifest_path), TRUSTED)
    batch.verify_payload(manifest, info.payload_path)
    return list(batch.decrypt_payload(info.payload_path, IDENTITY))


@settings(max_examples=25)
@given(content=items)
def test_any_content_round_trips(content):
    with tempfile.TemporaryDirectory() as tmp:
        assert _open(_write(Path(tmp), content)) == content


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    info = _write(tmp_path_factory.mktemp("batch"), [
        CaseRecord(case="case-0001", revision=1, form="f", form_version="1", values={"gender": "Male"}),
        Withdrawal(case="case-0002"),
    ])
    return info, info.manifest_path.read_bytes(), info.payload_path.read_bytes()


def _tampered(data: bytes, position: int, delta: int) -> bytes:
    position %= len(data)
    changed = bytearray(data)
    changed[position] = (changed[position] + delta) % 256
    return bytes(changed)


@settings(max_examples=150)
@given(position=st.integers(min_value=0), delta=st.integers(1, 255))
def test_any_changed_manifest_byte_is_rejected(written, position, delta):
    info, manifest, _payload = written
    with pytest.raises(BatchRejected):
        signed = batch.read_manifest(_tampered(manifest, position, delta))
        batch.verify_manifest(signed, TRUSTED)
        batch.verify_payload(signed.manifest, info.payload_path)


@settings(max_examples=100)
@given(position=st.integers(min_value=0), delta=st.integers(1, 255))
def test_any_changed_payload_byte_is_rejected(written, tmp_path_factory, position, delta):
    info, manifest, payload = written
    copy = tmp_path_factory.mktemp("tampered") / info.payload_path.name
    copy.write_bytes(_tampered(payload, position, delta))
    signed = batch.verify_manifest(batch.read_manifest(manifest), TRUSTED)
    with pytest.raises(BatchRejected, match="hash"):
        batch.verify_payload(signed, copy)


@settings(max_examples=60)
@given(position=st.integers(min_value=0), delta=st.integers(1, 255))
def test_age_itself_rejects_a_changed_payload_byte(written, tmp_path_factory, position, delta):
    """Even a reader that skipped the hash check never sees altered plaintext."""
    info, _manifest, payload = written
    copy = tmp_path_factory.mktemp("tampered") / info.payload_path.name
    copy.write_bytes(_tampered(payload, position, delta))
    with pytest.raises(BatchRejected):
        list(batch.decrypt_payload(copy, IDENTITY))
