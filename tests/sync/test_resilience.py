"""Lose nothing, duplicate nothing: cut connections, a hub killed mid-upload, replays, disorder."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from tipintake.hub.ingest import check_manifest, ingest_payload
from tipintake.sync import http


def _point_at(env, url: str, policy: http.RetryPolicy | None = None) -> None:
    env.planner.agreement = env.make_agreement(url, env.hub.keys.recipient, env.agreement.hub.certificate_sha256)
    env.sync._agreement = None
    if policy is not None:
        env.sync.policy = policy


def _hub_cases(hub) -> dict[str, int]:
    r = hub.tables.records
    with hub.engine.connect() as conn:
        return dict(conn.execute(select(r.c.case_id, r.c.revision)).all())


def _all_acknowledged(env) -> bool:
    """Every batch acknowledged, and the receipts kept in the outbox add up to what the hub holds."""
    counts = env.sync.outbox.counts(env.sync.partner)
    entries = env.sync.outbox.entries(env.sync.partner)
    accepted = sum(json.loads(env.sync.outbox.receipt(e.batch_id))["receipt"]["accepted"] for e in entries)
    return counts["pending"] == 0 and counts["delivered"] == 0 and accepted == len(_hub_cases(env.hub))


def _queue_batches(env, kit, sizes: list[int], prefix: str = "c") -> list[str]:
    ids, start = [], 0
    for size in sizes:
        env.planner.add(kit.records(prefix, size, start=start))
        ids.append(env.sync.queue_new().batch_id)
        start += size
    return ids


@pytest.mark.parametrize("seed", [7, 2026])
def test_connections_cut_at_random_points_still_deliver_everything_exactly_once(env, kit, cutting_proxy, hubcount, seed):
    sizes = [400, 1500, 50, 900]
    ids = _queue_batches(env, kit, sizes)
    largest = max(e.payload_path.stat().st_size for e in env.sync.waiting())
    rng = random.Random(seed)
    # Cut the upload (positive) or the answer (negative) at random byte counts, for the
    # first dozen connections; TLS set-up bytes count too, so some cuts hit the handshake.
    cuts = [rng.choice([1, -1]) * rng.randint(1, largest + 4000) for _ in range(12)]
    proxy = cutting_proxy(env.server.port, cuts)
    _point_at(env, f"https://127.0.0.1:{proxy.port}",
              http.RetryPolicy(attempts=30, base=0.01, cap=0.05, connect_timeout=2, read_timeout=10))
    result = env.sync.send_now()
    assert result.ok and sorted(result.acknowledged) == sorted(ids)
    assert proxy.cut_count >= 1
    assert hubcount(env.hub) == sum(sizes) and hubcount(env.hub, "batches") == len(sizes)
    assert _all_acknowledged(env)


def test_a_lost_answer_is_recovered_without_uploading_twice(env, kit, cutting_proxy, hubcount):
    (batch_id,) = _queue_batches(env, kit, [300])
    size = env.sync.waiting()[0].payload_path.stat().st_size
    # The first answer is cut after the TLS handshake back (a few kB): the hub has stored it.
    proxy = cutting_proxy(env.server.port, [-5000])
    _point_at(env, f"https://127.0.0.1:{proxy.port}")
    result = env.sync.send_now()
    assert result.acknowledged == [batch_id] and hubcount(env.hub, "batches") == 1
    assert hubcount(env.hub) == 300 and size > 0


_HUB_SCRIPT = """
import sys, uvicorn
from tipintake.hub.app import Limits, create_app
from tipintake.hub.context import open_hub
hub_dir, db, port, cert, key, passphrase = sys.argv[1:7]
hub = open_hub(hub_dir, db, passphrase)
uvicorn.run(create_app(hub, Limits(batches_per_minute=6000, burst=1000)), host="127.0.0.1",
            port=int(port), log_level="warning", ssl_certfile=cert, ssl_keyfile=key)
"""


class _HubProcess:
    def __init__(self, args: list[str]) -> None:
        self.args = args
        self.proc: subprocess.Popen | None = None
        self.kills = 0

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", _HUB_SCRIPT, *self.args],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill_and_restart(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.kills += 1
        self.start()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


def test_hub_killed_mid_upload_and_restarted_gets_every_record_once(env, kit, cutting_proxy, hubcount, tls_cert, hub_dir):
    env.server.stop()  # this test's hub is a separate process sharing the same database file
    port = env.free_port()
    hub = _HubProcess([str(hub_dir), str(env.hub.engine.url), str(port), str(tls_cert.certfile),
                       str(tls_cert.keyfile), kit.PASSPHRASE])
    hub.start()
    try:
        ids = _queue_batches(env, kit, [3000, 3000])
        proxy = cutting_proxy(port)
        first = env.sync.waiting()[0].payload_path.stat().st_size
        killed = []

        def on_bytes(total: int) -> None:  # called by the proxy as upload bytes pass
            if not killed and total > first // 2:
                hub.kill_and_restart()
                killed.append(hubcount(env.hub, "batches"))  # what the hub had stored when it died

        proxy.on_bytes = on_bytes
        _point_at(env, f"https://127.0.0.1:{proxy.port}",
                  http.RetryPolicy(attempts=40, base=0.1, cap=0.5, connect_timeout=2, read_timeout=20))
        deadline = time.monotonic() + 20
        while not env.sync.reachable():  # the process needs a moment to unlock its keys
            assert time.monotonic() < deadline
            time.sleep(0.1)
        result = env.sync.send_now()
        assert killed == [0] and hub.kills == 1  # it died before storing the first batch
        assert result.ok and sorted(result.acknowledged) == sorted(ids)
        assert hubcount(env.hub) == 6000 and hubcount(env.hub, "batches") == 2
        assert _all_acknowledged(env)
    finally:
        hub.stop()


def test_batches_arriving_out_of_order_keep_the_newest_revision(env, kit, hubcount):
    env.planner.add(kit.records("x", 5, revision=1))
    b1 = env.sync.queue_new()
    env.planner.add(kit.records("x", 5, revision=2))
    b2 = env.sync.queue_new()
    env.planner.add(kit.records("y", 7))
    b3 = env.sync.queue_new()
    assert (b1.sequence, b2.sequence, b3.sequence) == (1, 2, 3)
    # They reach the hub 3, 2, 1 (say by a stick carried ahead of the network push)...
    for entry in (b3, b2, b1):
        incoming = check_manifest(env.hub, entry.manifest_bytes)
        with open(entry.payload_path, "rb") as payload:
            ingest_payload(env.hub, incoming, payload)
    # ...then the laptop pushes all three: the hub answers each with its stored receipt.
    result = env.sync.send_now()
    assert sorted(result.acknowledged) == sorted([b1.batch_id, b2.batch_id, b3.batch_id])
    cases = _hub_cases(env.hub)
    assert len(cases) == 12 and all(cases[f"x-{i:06d}"] == 2 for i in range(5))
    assert hubcount(env.hub, "batches") == 3 and _all_acknowledged(env)


def test_a_large_batch_the_hub_already_has_is_answered_without_error(env, kit, hubcount):
    env.planner.add(kit.records("big", 6000))
    entry = env.sync.queue_new()
    assert entry.payload_path.stat().st_size > 20_000
    incoming = check_manifest(env.hub, entry.manifest_bytes)
    with open(entry.payload_path, "rb") as payload:
        ingest_payload(env.hub, incoming, payload)
    result = env.sync.send_now()
    assert result.acknowledged == [entry.batch_id] and hubcount(env.hub) == 6000


def test_nothing_local_is_deleted_after_acknowledgement(env, kit):
    env.planner.add(kit.records("k", 3))
    entry = env.sync.queue_new()
    env.sync.send_now()
    assert entry.manifest_path.exists() and entry.payload_path.exists()
    assert env.sync.outbox.receipt(entry.batch_id) is not None
    assert os.path.getsize(entry.payload_path) > 0


def test_a_store_restored_from_an_old_backup_renumbers_instead_of_getting_stuck(env, kit, hubcount):
    from tipintake.sync import batch
    from tipintake.sync.device import device_key

    # Before the backup was restored, this device had sent batches 1..3 the store forgot.
    key = device_key(env.session)
    for seq in (1, 2, 3):
        info = batch.write_batch(kit.records(f"old{seq}", 2), device_key=key,
                                 manifest_fields=batch.ManifestFields("Shelter Org", seq),
                                 recipients=[env.hub.keys.recipient], out_dir=env.tmp / "forgotten")
        with open(info.payload_path, "rb") as payload:
            ingest_payload(env.hub, check_manifest(env.hub, info.manifest_path.read_bytes()), payload)
    env.planner.add(kit.records("new", 9))
    result = env.sync.send_now()
    (entry,) = env.sync.outbox.entries(env.sync.partner)
    assert result.ok and result.acknowledged == [entry.batch_id] and entry.sequence > 3
    assert hubcount(env.hub) == 6 + 9
    assert env.sync.outbox.check_files(entry).sequence == entry.sequence
