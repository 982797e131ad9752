"""Properties of the outbox and its helpers (hypothesis), on a real encrypted store."""

from __future__ import annotations

import re
import uuid

import pyrage
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipintake.errors import BatchRejected
from tipintake.sync import signing
from tipintake.sync.device import device_identity
from tipintake.sync.http import RetryPolicy
from tipintake.sync.outbox import ACKNOWLEDGED, DELIVERED, PENDING, Outbox, partner_folder_name
from tipintake.sync.progress import Progress
from tipintake.sync.receipt import sign_receipt, utc_now_text
from tipintake.sync.records import CaseRecord, Receipt, Withdrawal

HUB_KEY = signing.generate_key()
OTHER_KEY = signing.generate_key()
RECIPIENT = str(pyrage.x25519.Identity.generate().to_public())

ops = st.lists(
    st.one_of(
        st.tuples(st.just("build"), st.integers(0, 6)),
        st.tuples(st.sampled_from(["deliver", "ack", "forged"]), st.integers(0, 20)),
    ),
    min_size=1, max_size=12,
)


def _items(n: int) -> list:
    return [CaseRecord(case=f"case-{uuid.uuid4().hex[:12]}", revision=1, form="intake", form_version="1",
                       values={"gender": "Female"}) if i % 3 else Withdrawal(case=f"gone-{i:06d}")
            for i in range(n)]


def _receipt(session, batch_id: str, key) -> bytes:
    return sign_receipt(Receipt(batch_id=batch_id, device_id=device_identity(session).device_id, accepted=1,
                                duplicates=0, withdrawals=0, hub_key_id=signing.key_id(key),
                                received_at=utc_now_text()), key)


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops)
def test_outbox_states_only_move_forward_and_sequences_have_no_gaps(session, steps):
    outbox = Outbox(session)
    partner = "p" + uuid.uuid4().hex[:10]  # a fresh partner per example: examples do not interact
    model: dict[str, str] = {}
    order: list[str] = []
    hub_public = signing.public_key_text(HUB_KEY)
    for op, arg in steps:
        if op == "build":
            entry = outbox.build(partner, _items(arg), [RECIPIENT])
            if arg == 0:
                assert entry is None
                continue
            assert entry.state == PENDING and entry.record_count == arg
            model[entry.batch_id] = PENDING
            order.append(entry.batch_id)
            continue
        if not order:
            continue
        batch_id = order[arg % len(order)]
        if op == "deliver":
            outbox.mark_delivered(batch_id)
            model[batch_id] = DELIVERED if model[batch_id] == PENDING else model[batch_id]
        elif op == "ack":
            outbox.acknowledge(partner, _receipt(session, batch_id, HUB_KEY), hub_public)
            model[batch_id] = ACKNOWLEDGED
        else:  # a receipt signed by another key changes nothing
            with pytest.raises(BatchRejected):
                outbox.acknowledge(partner, _receipt(session, batch_id, OTHER_KEY), hub_public)
        entries = outbox.entries(partner)
        assert {e.batch_id: e.state for e in entries} == model
        assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
        assert all(e.manifest_path.exists() and e.payload_path.exists() for e in entries)
        counts = outbox.counts(partner)
        assert sum(counts.values()) == len(model)
        assert [e.batch_id for e in outbox.unacknowledged(partner)] == [
            b for b in order if model[b] != ACKNOWLEDGED]


@given(st.integers(1, 40), st.floats(0.001, 5), st.floats(0.01, 60))
def test_backoff_is_bounded_by_the_cap_and_the_exponential(attempt, base, cap):
    policy = RetryPolicy(base=base, cap=cap)
    delay = policy.delay(attempt)
    assert 0 <= delay <= min(cap, base * 2 ** (attempt - 1))
    assert policy.delay(attempt, retry_after=cap * 10) == cap


@given(st.integers(0, 50), st.integers(1, 50), st.integers(0, 10**9), st.integers(0, 10**9))
def test_progress_is_between_zero_and_one_and_grows_with_work(index, count, a, b):
    lo, hi = sorted((a, b))
    total = max(hi, 1)
    first = Progress("sending", "p", min(index, count - 1), count, lo, total).fraction
    later = Progress("sending", "p", min(index, count - 1), count, hi, total).fraction
    assert 0.0 <= first <= later <= 1.0


@given(st.text(min_size=1, max_size=80))
def test_partner_folder_names_are_safe_and_stable(name):
    folder = partner_folder_name(name)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", folder) and folder not in (".", "..")
    assert folder == partner_folder_name(name)
    if folder != name:
        assert folder.startswith("p-")
