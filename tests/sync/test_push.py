"""Pushing over HTTPS to the real hub on 127.0.0.1: receipts, retries, cuts, duplicates, order."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from tipintake.sync import http
from tipintake.sync.errors import HubUnreachable, InsecureConnection
from tipintake.sync.partner import pinned_hub_key


def _hub_revisions(hub) -> dict[str, int]:
    r = hub.tables.records
    with hub.engine.connect() as conn:
        return dict(conn.execute(select(r.c.case_id, r.c.revision)).all())


def test_push_stores_every_record_once_and_acknowledges_with_a_signed_receipt(env, kit, hubcount):
    env.planner.add(kit.records("a", 30))
    result = env.sync.send_now()
    assert result.ok and len(result.acknowledged) == 1 and result.records == 30
    assert hubcount(env.hub) == 30
    status = env.sync.status()
    assert (status.pending, status.delivered, status.acknowledged) == (0, 0, 1)
    assert status.last_success is not None and status.last_error is None
    # the receipt key was pinned at first contact, from the hub itself
    assert pinned_hub_key(env.session, env.sync.partner) == env.hub.keys.receipt_public


def test_nothing_new_means_no_batch_and_no_error(env):
    result = env.sync.send_now()
    assert result.ok and result.acknowledged == []
    assert env.sync.outbox.counts(env.sync.partner)["pending"] == 0


def test_progress_reaches_done_and_never_goes_backwards(env, kit):
    env.planner.add(kit.records("p", 50))
    seen = []
    env.sync.send_now(progress=lambda p: seen.append(p))
    sending = [p.fraction for p in seen if p.stage in ("sending", "done")]
    assert sending == sorted(sending) and sending[-1] == 1.0
    assert any(p.stage == "building" for p in seen)


def test_the_same_batch_pushed_twice_is_stored_once(env, kit, hubcount):
    env.planner.add(kit.records("d", 10))
    entry = env.sync.queue_new()
    first = http.push(env.session, env.sync.link, outbox=env.sync.outbox, policy=env.sync.policy)
    # Pretend the receipt was lost: offer the very same batch again.
    with env.session.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE outbox SET state='delivered', receipt=NULL WHERE batch_id=?",
                             (entry.batch_id,))
    second = http.push(env.session, env.sync.link, outbox=env.sync.outbox, policy=env.sync.policy)
    assert first.acknowledged == second.acknowledged == [entry.batch_id]
    assert hubcount(env.hub) == 10 and hubcount(env.hub, "batches") == 1


def test_unreachable_hub_keeps_the_batch_pending_with_a_plain_error(env, kit):
    env.server.stop()
    env.planner.add(kit.records("u", 5))
    with pytest.raises(HubUnreachable) as caught:
        env.sync.send_now()
    assert "\n" not in str(caught.value) and "Traceback" not in str(caught.value)
    status = env.sync.status()
    assert status.pending == 1 and status.last_error and "reach" in status.last_error
    assert not env.sync.reachable()


def test_plain_http_is_refused_except_on_loopback():
    assert http.check_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert http.check_url("https://hub.example.org/") == "https://hub.example.org"
    for bad in ("http://hub.example.org", "ftp://127.0.0.1", "", None):
        with pytest.raises(InsecureConnection):
            http.check_url(bad)


def test_reachable_is_true_for_a_live_hub(env):
    assert env.sync.reachable()


def test_the_automatic_attempt_sends_when_the_hub_answers_and_waits_quietly_when_not(env, kit, hubcount):
    env.planner.add(kit.records("auto", 4))
    assert env.sync.send_if_reachable().acknowledged and hubcount(env.hub) == 4
    env.server.stop()
    env.planner.add(kit.records("later", 2, start=10))
    assert env.sync.send_if_reachable() is None
    assert env.sync.status().pending == 0  # nothing was even built while the hub was away
    assert http.reachable(env.agreement) is False


def test_a_usb_only_partner_is_told_so_before_anything_is_built(env, kit):
    env.planner.agreement = env.agreement.model_copy(update={"hub": None})
    env.sync._agreement = None
    env.planner.add(kit.records("usb", 2))
    with pytest.raises(InsecureConnection) as caught:
        env.sync.send_now()
    assert "USB" in str(caught.value) and env.sync.status().pending == 0


def test_a_hub_asking_to_wait_longer_than_the_cap_ends_the_attempt_without_spinning(env, kit):
    slept = []
    policy = http.RetryPolicy(attempts=50, base=0.01, cap=1.0, sleep=slept.append)
    assert policy.delay(3, retry_after=3600) == 1.0

    class Busy(httpx.BaseTransport):
        calls = 0

        def handle_request(self, request):
            Busy.calls += 1
            return httpx.Response(429, headers={"Retry-After": "3600"}, json={"error": "busy"})

    with httpx.Client(transport=Busy()) as client, pytest.raises(HubUnreachable):
        http.hub_info(client, "http://127.0.0.1:1", "p", policy)
    assert Busy.calls == 1 and slept == []
