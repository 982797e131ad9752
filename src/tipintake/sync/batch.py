"""Batch format v1: the signed manifest and age-encrypted payload a device sends a hub.

A batch is two files named by its id (see docs/batch-format.md for the full text a
partner can implement from):

- ``<batch_id>.age``: JSON Lines of de-identified records and withdrawal notices
  (``sync.records``), gzip-compressed, then encrypted with age to the partner's
  recipient keys. The stock ``age -d -i partner.key`` opens it.
- ``<batch_id>.manifest.json``: a canonical JSON envelope ``{"manifest": {...},
  "signature": {...}}`` signed with the device's Ed25519 key; it carries the payload's
  SHA-256 and size, so the payload is authenticated before anyone decrypts it.

Writing streams: records are pulled, compressed, encrypted and hashed on demand
(``sync.payload``), both files are written to temporary names, fsynced and renamed;
the manifest is renamed last, so a folder holding a manifest holds a whole batch.
This module imports no Qt and nothing from the desktop store: the hub shares it.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal

import pyrage
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from tipintake.errors import BatchRejected
from tipintake.sync import signing
from tipintake.sync.payload import LineSource, encrypt_lines, hash_file, iter_plain_lines
from tipintake.sync.records import CaseRecord, Withdrawal, dump_line, parse_line, validate_item

FORMAT = "tipintake-batch"
FORMAT_VERSION = 1
SCHEMA_VERSION = 1  # version of the payload line schema in sync.records
MANIFEST_DOMAIN = "tipintake-batch-manifest-v1"
MANIFEST_SUFFIX = ".manifest.json"
PAYLOAD_SUFFIX = ".age"
MAX_MANIFEST_BYTES = 64 * 1024

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"


class PayloadInfo(BaseModel):
    """What the manifest says about the payload file."""

    model_config = ConfigDict(extra="forbid")

    file: str
    size: StrictInt = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    compression: Literal["gzip"] = "gzip"
    encryption: Literal["age"] = "age"


class Manifest(BaseModel):
    """The signed description of a batch."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["tipintake-batch"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    batch_id: str = Field(pattern=_UUID.pattern)
    device_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    organisation: str = Field(min_length=1, max_length=200)
    sequence: StrictInt = Field(ge=1)
    schema_version: StrictInt = Field(ge=1)
    forms: dict[str, list[str]] = Field(default_factory=dict)
    record_count: StrictInt = Field(ge=0)
    withdrawal_count: StrictInt = Field(ge=0)
    created_at: str = Field(pattern=_TIME)
    payload: PayloadInfo


@dataclass(frozen=True)
class ManifestFields:
    """What the caller decides about a batch; the rest is computed while writing."""

    organisation: str
    sequence: int
    batch_id: str | None = None  # a new uuid4 when not given
    created_at: datetime | None = None  # now when not given


@dataclass(frozen=True)
class SignedManifest:
    """A manifest read from disk or the wire, with its (not yet trusted) signature."""

    manifest: Manifest
    signer: str  # public key text, ``ed25519:<hex>``
    signature: bytes
    raw: bytes = field(repr=False)


@dataclass(frozen=True)
class BatchInfo:
    """What :func:`write_batch` produced."""

    manifest: Manifest
    manifest_path: Path
    payload_path: Path

    @property
    def batch_id(self) -> str:
        return self.manifest.batch_id

    @property
    def record_count(self) -> int:
        return self.manifest.record_count


def manifest_name(batch_id: str) -> str:
    """File name of a batch's manifest."""
    return batch_id + MANIFEST_SUFFIX


def payload_name(batch_id: str) -> str:
    """File name of a batch's payload."""
    return batch_id + PAYLOAD_SUFFIX


def parse_recipients(recipients: Iterable[Any]) -> list[Any]:
    """age recipients from text (``age1...``) or pyrage objects; raise BatchRejected if malformed."""
    parsed = []
    for recipient in recipients:
        if isinstance(recipient, str):
            try:
                recipient = pyrage.x25519.Recipient.from_str(recipient.strip())
            except Exception as exc:
                raise BatchRejected("A partner recipient key is not a valid age key.") from exc
        parsed.append(recipient)
    if not parsed:
        raise BatchRejected("A batch needs at least one partner recipient key.")
    return parsed


class _Counter:
    """Serialises payload items to lines while counting them for the manifest."""

    def __init__(self) -> None:
        self.records = 0
        self.withdrawals = 0
        self.forms: dict[str, set[str]] = {}

    def line(self, item: CaseRecord | Withdrawal | Mapping[str, Any]) -> bytes:
        if not isinstance(item, CaseRecord | Withdrawal):
            try:
                item = validate_item(item)
            except ValidationError as exc:
                raise BatchRejected(
                    f"Record {self.records + self.withdrawals + 1} does not fit the batch schema."
                ) from exc
        if isinstance(item, CaseRecord):
            self.records += 1
            self.forms.setdefault(item.form, set()).add(item.form_version)
        else:
            self.withdrawals += 1
        return dump_line(item)


def write_batch(
    records: Iterable[CaseRecord | Withdrawal | Mapping[str, Any]],
    *,
    device_key: Ed25519PrivateKey,
    manifest_fields: ManifestFields,
    recipients: Iterable[Any],
    out_dir: Path,
) -> BatchInfo:
    """Write one batch (payload then manifest) into ``out_dir``; streams ``records`` once."""
    recipient_list = parse_recipients(recipients)
    batch_id = manifest_fields.batch_id or str(uuid.uuid4())
    if not _UUID.match(batch_id):
        raise BatchRejected("A batch id must be a lowercase version-4 UUID.")
    created = (manifest_fields.created_at or datetime.now(UTC)).astimezone(UTC)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    payload_path = out_dir / payload_name(batch_id)
    manifest_path = out_dir / manifest_name(batch_id)
    counter = _Counter()
    source = LineSource(records, counter.line)
    tmp_payload = payload_path.with_name(payload_path.name + ".tmp")
    try:
        with open(tmp_payload, "wb") as handle:
            writer = encrypt_lines(source, handle, recipient_list)
            handle.flush()
            os.fsync(handle.fileno())
        manifest = Manifest(
            batch_id=batch_id,
            device_id=signing.key_id(device_key),
            organisation=manifest_fields.organisation,
            sequence=manifest_fields.sequence,
            schema_version=SCHEMA_VERSION,
            forms={form: sorted(versions) for form, versions in sorted(counter.forms.items())},
            record_count=counter.records,
            withdrawal_count=counter.withdrawals,
            created_at=created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            payload=PayloadInfo(
                file=payload_path.name, size=writer.size, sha256=writer.sha256.hexdigest()
            ),
        )
        os.replace(tmp_payload, payload_path)
        _write_atomic(manifest_path, sign_manifest(manifest, device_key))
    finally:
        tmp_payload.unlink(missing_ok=True)
    return BatchInfo(manifest=manifest, manifest_path=manifest_path, payload_path=payload_path)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    if hasattr(os, "O_DIRECTORY"):  # make the renames durable (POSIX only)
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def sign_manifest(manifest: Manifest, device_key: Ed25519PrivateKey) -> bytes:
    """The manifest file bytes: the canonical envelope signed with the device key."""
    if manifest.device_id != signing.key_id(device_key):
        raise BatchRejected("The manifest's device id does not belong to the signing key.")
    return signing.sign_envelope("manifest", manifest.model_dump(mode="json"), device_key, MANIFEST_DOMAIN)


def read_manifest(source: Path | bytes) -> SignedManifest:
    """Parse a manifest file strictly (canonical form, known fields); does not trust it yet."""
    data = source if isinstance(source, bytes) else _read_small(Path(source))
    if len(data) > MAX_MANIFEST_BYTES:
        raise BatchRejected("The manifest is larger than 64 KiB.")
    body, signer, signature = signing.open_envelope(data, "manifest", "manifest")
    try:
        manifest = Manifest.model_validate(body)
    except ValidationError as exc:
        fields = ", ".join(sorted({str(err["loc"][0]) for err in exc.errors() if err["loc"]}))
        raise BatchRejected(f"The manifest has missing or invalid fields: {fields or 'unknown'}.") from exc
    if manifest.payload.file != payload_name(manifest.batch_id):
        raise BatchRejected("The manifest names a payload file that does not match its batch id.")
    return SignedManifest(manifest=manifest, signer=signer, signature=signature, raw=data)


def _read_small(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(MAX_MANIFEST_BYTES + 1)


def verify_manifest(
    signed: SignedManifest,
    trusted_device_public_keys: Iterable[str | Ed25519PublicKey] | Mapping[str, Any],
) -> Manifest:
    """Check the manifest was signed by a trusted device key and names that device.

    ``trusted_device_public_keys`` is a collection of public keys (``ed25519:<hex>``
    text or key objects), or a mapping whose keys are device ids (key ids) and whose
    values are those public keys. Raises BatchRejected with the reason.
    """
    if isinstance(trusted_device_public_keys, Mapping):
        keys = list(trusted_device_public_keys.values())
    else:
        keys = list(trusted_device_public_keys)
    trusted = {signing.key_id(k): k for k in keys}
    signer_id = signing.key_id(signed.signer)
    if signer_id not in trusted:
        raise BatchRejected("The batch was signed by a device that is not enrolled.")
    if signed.manifest.device_id != signer_id:
        raise BatchRejected("The manifest names a different device from the key that signed it.")
    key = trusted[signer_id]
    public = signing.parse_public_key(key) if isinstance(key, str) else key
    body = signed.manifest.model_dump(mode="json")
    signing.verify_envelope(body, public, signed.signature, MANIFEST_DOMAIN, "manifest")
    return signed.manifest


def verify_payload(manifest: Manifest, payload: Path | BinaryIO) -> None:
    """Check the payload's size and SHA-256 against the (verified) manifest."""
    if isinstance(payload, Path | str):
        with open(payload, "rb") as handle:
            digest, size = hash_file(handle)
    else:
        digest, size = hash_file(payload)
    if size != manifest.payload.size:
        raise BatchRejected("The payload size does not match the manifest, so it is incomplete or altered.")
    if digest != manifest.payload.sha256:
        raise BatchRejected("The payload hash does not match the manifest, so it was altered.")


def _identities(identity: Any) -> list[Any]:
    items = identity if isinstance(identity, list | tuple) else [identity]
    out = []
    for item in items:
        if isinstance(item, str):
            try:
                item = pyrage.x25519.Identity.from_str(item.strip())
            except Exception as exc:
                raise BatchRejected("The age identity is not a valid AGE-SECRET-KEY.") from exc
        out.append(item)
    return out


def iter_payload_lines(payload: Path | BinaryIO, identity: Any) -> Iterator[bytes]:
    """The raw JSON lines of a payload, decrypted with an age identity (or a list of them)."""
    identities = _identities(identity)
    if isinstance(payload, Path | str):
        with open(payload, "rb") as handle:
            yield from iter_plain_lines(handle, identities)
    else:
        yield from iter_plain_lines(payload, identities)


def decrypt_payload(payload: Path | BinaryIO, identity: Any) -> Iterator[CaseRecord | Withdrawal]:
    """Records and withdrawals of a payload, validated; raise BatchRejected at the first bad line."""
    for number, line in enumerate(iter_payload_lines(payload, identity), start=1):
        try:
            yield parse_line(line)
        except (ValidationError, ValueError) as exc:
            raise BatchRejected(f"Line {number} of the payload does not fit the batch schema.") from exc


def find_batches(folder: Path) -> list[tuple[Path, Path]]:
    """(manifest, payload) paths of every complete batch in a folder, e.g. a USB stick."""
    found = []
    for manifest in sorted(Path(folder).glob("*" + MANIFEST_SUFFIX)):
        batch_id = manifest.name[: -len(MANIFEST_SUFFIX)]
        payload = manifest.with_name(payload_name(batch_id))
        if _UUID.match(batch_id) and payload.is_file():
            found.append((manifest, payload))
    return found
