"""Pushing outbox batches to a partner hub over HTTPS (the API in docs/batch-format.md).

``POST /v1/batches`` with the signed manifest in the ``Tipintake-Manifest`` header
(base64) and the age payload streamed as the body; the hub answers ``200`` with its
signed receipt, also for a batch it already has. Only a receipt that verifies with
the partner's hub key moves a batch to *acknowledged*; everything else leaves it in
the outbox to be offered again.

Transport rules:

- HTTPS with certificate verification. An agreement may pin the hub certificate
  (SHA-256 of its DER form, as for a self-signed hub): the pin is then checked right
  after the TLS handshake, before one byte of the request is sent.
- Plain ``http://`` only to the loopback address (127.0.0.1, ::1, localhost): that
  is the test and benchmark hub, never a partner.
- Retries after connection errors, ``5xx`` and ``429`` with exponential back-off and
  full jitter, bounded in number and length; ``429`` waits its ``Retry-After``.
  A retry first asks with an empty body: the hub answers a batch it already stored
  with the stored receipt before reading any body, so a batch whose answer was lost
  is not uploaded twice. ``4xx`` refusals are final for that batch until something
  changes (the reason is kept as the batch's last error), except ``409`` for a
  sequence number the hub already holds (a store restored from an older backup): the
  manifest is then re-signed with a higher number and sent again.
"""

from __future__ import annotations

import base64
import random
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from tipintake.errors import BatchRejected
from tipintake.i18n import _
from tipintake.store.session import Session
from tipintake.sync.errors import (
    DamagedBatch,
    HubRefused,
    HubUnreachable,
    InsecureConnection,
    NoHubKey,
)
from tipintake.sync.outbox import Outbox, OutboxEntry
from tipintake.sync.partner import PartnerLink, link_from_agreement, pin_hub_key, trusted_hub_key
from tipintake.sync.progress import Progress, ProgressCallback, report
from tipintake.sync.tls import client_for

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
CHUNK = 256 * 1024
USER_AGENT = "tipintake-sync/1"
RENUMBER_LIMIT = 12  # jumps of 1, 2, 4 … 2048: past any history a restored store can have forgotten


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request: attempts, back-off base and cap (seconds), timeouts."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0
    connect_timeout: float = 10.0
    read_timeout: float = 120.0  # the hub decrypts and stores a whole batch before answering
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds before retry number ``attempt`` (1-based): full jitter, or the hub's wish."""
        if retry_after is not None:
            return min(self.cap, max(0.0, retry_after))
        return random.uniform(0, min(self.cap, self.base * (2 ** (attempt - 1))))


@dataclass
class PushResult:
    """What a push did: batches acknowledged now, and batches that failed with their reason."""

    partner: str
    acknowledged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    records: int = 0  # payload lines in the acknowledged batches
    rejected: int = 0  # lines the hub's receipts say it did not store (reasons in the receipts)

    @property
    def ok(self) -> bool:
        return not self.failed


class _Retryable(Exception):
    """A failure worth another attempt (connection, 5xx, 429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def check_url(url: str | None) -> str:
    """The hub base URL if it is HTTPS, or plain HTTP to loopback; InsecureConnection otherwise."""
    if not url:
        raise InsecureConnection(_("The partner agreement has no hub address, so batches can only go by USB."))
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return url.rstrip("/")
    raise InsecureConnection(_(
        "The hub address must start with https:// (plain http is allowed only for a test hub on this computer)."
    ))


def _raise_if_tls_failure(exc: BaseException) -> None:
    """A certificate that fails verification is not a network hiccup: never retry, say why."""
    seen = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            raise InsecureConnection(_(
                "The hub's certificate could not be verified, so nothing was sent: check the hub "
                "address, or pin the hub's certificate in the agreement."
            )) from None
        seen = seen.__cause__ or seen.__context__


def _unreachable(partner: str) -> str:
    return _("Could not reach {partner}'s hub: check the internet connection and try again later.").format(partner=partner)


def reachable(link: PartnerLink | Any, timeout: float = 5.0) -> bool:
    """Whether the hub answers ``GET /v1/hub`` now (for the app's automatic attempt); never raises.

    ``link`` is a PartnerLink or a partner agreement.
    """
    try:
        if not isinstance(link, PartnerLink):
            link = link_from_agreement(link)
        base = check_url(link.hub_url)
        with client_for(link, base, connect_timeout=timeout, read_timeout=timeout) as client:
            return client.get(base + "/v1/hub").status_code == 200
    except (httpx.HTTPError, InsecureConnection, OSError):
        return False


def hub_info(client: httpx.Client, base: str, partner: str, policy: RetryPolicy | None = None) -> dict[str, Any]:
    """``GET /v1/hub``: the hub's public keys and limits (retried like an upload)."""
    policy = policy or RetryPolicy()
    for attempt in range(1, policy.attempts + 1):
        retry_after = None
        try:
            response = client.get(base + "/v1/hub")
            if response.status_code == 200:
                info = response.json()
                return info if isinstance(info, dict) else {}
            retry_after = _retry_after(response)
        except httpx.HTTPError as exc:
            _raise_if_tls_failure(exc)
        except ValueError:
            pass
        if attempt == policy.attempts or (retry_after or 0) > policy.cap:
            break
        policy.sleep(policy.delay(attempt, retry_after))
    raise HubUnreachable(_unreachable(partner))


def ensure_hub_key(session: Session, link: PartnerLink, client: httpx.Client, base: str,
                   policy: RetryPolicy | None = None) -> str:
    """The trusted receipt key, pinning the one the hub announces at first contact."""
    key = trusted_hub_key(session, link)
    if key is not None:
        return key
    announced = hub_info(client, base, link.name, policy).get("receipt_key")
    if not isinstance(announced, str):
        raise NoHubKey(_("{partner}'s hub did not tell its receipt key, so receipts cannot be checked.").format(
            partner=link.name))
    try:
        pin_hub_key(session, link.name, announced, "first contact")
    except BatchRejected as exc:
        raise NoHubKey(_("{partner}'s hub announced a receipt key that is not valid.").format(
            partner=link.name)) from exc
    return announced


def push(
    session: Session,
    link: PartnerLink,
    *,
    outbox: Outbox | None = None,
    policy: RetryPolicy | None = None,
    progress: ProgressCallback | None = None,
) -> PushResult:
    """Offer every unacknowledged batch of a partner to its hub, oldest first.

    Stops early (raising HubUnreachable) when the hub cannot be reached after the
    retries; a batch the hub refuses is noted and the next one is tried.
    """
    outbox = outbox or Outbox(session)
    policy = policy or RetryPolicy()
    base = check_url(link.hub_url)
    entries = outbox.unacknowledged(link.name)
    result = PushResult(link.name)
    with client_for(link, base, policy.connect_timeout, policy.read_timeout) as client:
        try:
            hub_key = ensure_hub_key(session, link, client, base, policy) if entries else ""
        except (HubUnreachable, InsecureConnection, NoHubKey) as exc:
            outbox.note_attempt(entries[0].batch_id, str(exc))  # shown as the partner's last error
            raise
        for index, entry in enumerate(entries):
            try:
                outbox.check_files(entry)
                receipt_bytes = _deliver_renumbering(client, base, outbox, entry, policy, progress, index,
                                                     len(entries))
                receipt = outbox.acknowledge(link.name, receipt_bytes, hub_key)
            except (HubUnreachable, InsecureConnection) as exc:
                outbox.note_attempt(entry.batch_id, str(exc))
                result.failed[entry.batch_id] = str(exc)
                session.audit("batch_push_failed", "batch", entry.batch_id, {"partner": link.name})
                raise
            except (HubRefused, BatchRejected, DamagedBatch) as exc:
                outbox.note_attempt(entry.batch_id, str(exc))
                result.failed[entry.batch_id] = str(exc)
                continue
            outbox.note_attempt(entry.batch_id, None)
            result.acknowledged.append(receipt.batch_id)
            result.records += entry.record_count
            result.rejected += receipt.rejected_count
    report(progress, Progress("done", link.name, len(entries), len(entries)))
    return result


def _deliver_renumbering(
    client: httpx.Client, base: str, outbox: Outbox, entry: OutboxEntry, policy: RetryPolicy,
    progress: ProgressCallback | None, index: int, count: int,
) -> bytes:
    """Deliver a batch; on 409 (its sequence number already used at the hub) renumber and retry."""
    for attempt in range(RENUMBER_LIMIT + 1):
        try:
            return _deliver(client, base, outbox, entry, policy, progress, index, count)
        except HubRefused as exc:
            if exc.status != 409 or attempt == RENUMBER_LIMIT:
                raise
            entry = outbox.resequence(entry.batch_id, jump=2**attempt)
    raise AssertionError("unreachable")


def _deliver(
    client: httpx.Client, base: str, outbox: Outbox, entry: OutboxEntry, policy: RetryPolicy,
    progress: ProgressCallback | None, index: int, count: int,
) -> bytes:
    """One batch to the hub, with retries; returns the receipt bytes (not yet verified)."""
    manifest_header = base64.b64encode(entry.manifest_bytes).decode("ascii")
    size = entry.payload_path.stat().st_size
    last = _unreachable(entry.partner)
    for attempt in range(1, policy.attempts + 1):
        try:
            if attempt > 1:
                stored = _ask_if_stored(client, base, manifest_header)
                if stored is not None:
                    return stored
            return _upload(client, base, outbox, entry, manifest_header, size, progress, index, count)
        except _Retryable as exc:
            last = exc.message
            if attempt == policy.attempts or (exc.retry_after or 0) > policy.cap:
                break
            policy.sleep(policy.delay(attempt, exc.retry_after))
    raise HubUnreachable(last)


def _headers(manifest_header: str, size: int) -> dict[str, str]:
    return {
        "Tipintake-Manifest": manifest_header,
        "Content-Type": "application/octet-stream",
        "Content-Length": str(size),  # the hub refuses a body of another size before reading it
        "User-Agent": USER_AGENT,
    }


def _ask_if_stored(client: httpx.Client, base: str, manifest_header: str) -> bytes | None:
    """The stored receipt if the hub already has this batch (asked with an empty body), else None."""
    try:
        response = client.post(base + "/v1/batches", content=b"", headers=_headers(manifest_header, 0))
    except httpx.HTTPError as exc:
        _raise_if_tls_failure(exc)
        raise _Retryable(_("The connection to the hub was lost.")) from exc
    if response.status_code == 200:
        return response.content
    if response.status_code == 429 or response.status_code >= 500:
        raise _Retryable(_("The hub is busy; this laptop will try again."), _retry_after(response))
    return None  # 400: the hub does not have it and wanted the body; upload it


def _upload(
    client: httpx.Client, base: str, outbox: Outbox, entry: OutboxEntry, manifest_header: str,
    size: int, progress: ProgressCallback | None, index: int, count: int,
) -> bytes:
    sent_all = False

    def body() -> Iterator[bytes]:
        nonlocal sent_all
        done = 0
        with open(entry.payload_path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                done += len(chunk)
                yield chunk
                report(progress, Progress("sending", entry.partner, index, count, done, size))
        sent_all = True

    try:
        response = client.post(base + "/v1/batches", content=body(), headers=_headers(manifest_header, size))
    except httpx.HTTPError as exc:
        _raise_if_tls_failure(exc)
        if sent_all:  # the whole batch left; only the answer was lost
            outbox.mark_delivered(entry.batch_id)
        raise _Retryable(_("The connection to the hub was lost.")) from exc
    if sent_all:
        outbox.mark_delivered(entry.batch_id)
    status = response.status_code
    if status == 200:
        return response.content
    if status == 429 or status >= 500:
        raise _Retryable(_("The hub is busy; this laptop will try again."), _retry_after(response))
    raise HubRefused(_("The hub refused a batch: {reason}").format(reason=_hub_reason(response)), status)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _hub_reason(response: httpx.Response) -> str:
    """The hub's one-sentence reason (it never quotes record content), or the status."""
    try:
        reason = response.json().get("error")
    except (ValueError, AttributeError):
        reason = None
    if isinstance(reason, str) and 0 < len(reason) <= 300 and reason.isprintable():
        return reason
    return _("the hub answered with status {status}.").format(status=response.status_code)
