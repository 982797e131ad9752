"""Benchmark sync: outbox build and push throughput to a hub on 127.0.0.1, in records per second.

Figures, all measured in the same run on the same records (bench_hub's realistic mix):

- baseline: ``batch.write_batch`` alone (what bench_batch.py measures: stream, gzip,
  age, hash, sign), no store;
- outbox build: the same records through ``Outbox.build`` (device key from the
  encrypted store, batch files, outbox row, audit), in batches;
- hub ingest in process: the same batches handed straight to the hub's ingest (no HTTP),
  on a fresh database;
- push over HTTP to 127.0.0.1 and over HTTPS with a pinned self-signed certificate:
  every batch uploaded, ingested by the real hub app under uvicorn, receipt verified,
  outbox row acknowledged — end to end, on a fresh hub database each.

Ratios compare push with the build baseline and with in-process ingest (the cost of
the transport, receipt checks and outbox bookkeeping). The hub runs in this process
(uvicorn thread), so client and server share the machine's two cores.
Run: ``.venv/bin/python bench/bench_sync.py [--records N] [--batch-size M]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

sys.path.insert(0, str(Path(__file__).parent))

from bench_hub import make_records  # noqa: E402

from tipintake.hub.app import Limits, create_app  # noqa: E402
from tipintake.hub.context import open_hub  # noqa: E402
from tipintake.hub.db import enrol_device  # noqa: E402
from tipintake.hub.ingest import check_manifest, ingest_payload  # noqa: E402
from tipintake.hub.keys import init_keys  # noqa: E402
from tipintake.store.session import Store  # noqa: E402
from tipintake.sync import batch, signing  # noqa: E402
from tipintake.sync.device import device_identity, device_key  # noqa: E402
from tipintake.sync.http import RetryPolicy, push  # noqa: E402
from tipintake.sync.outbox import Outbox  # noqa: E402
from tipintake.sync.partner import PartnerLink  # noqa: E402
from tipintake.sync.tls import certificate_sha256  # noqa: E402

ORG = "Bench Org"


def self_signed(folder: Path) -> tuple[Path, Path, str]:
    """A certificate for 127.0.0.1: (certfile, keyfile, SHA-256 pin)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench hub")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return certfile, keyfile, certificate_sha256(cert.public_bytes(serialization.Encoding.DER))


class Server:
    """uvicorn in a thread on a free port of 127.0.0.1."""

    def __init__(self, app, tls: tuple[Path, Path] | None = None) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        extra = {"ssl_certfile": str(tls[0]), "ssl_keyfile": str(tls[1])} if tls else {}
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off", **extra))
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def build_outbox(outbox: Outbox, partner: str, n: int, size: int, recipient: str) -> float:
    """Seconds to queue n records for ``partner`` in batches of ``size``."""
    start = time.perf_counter()
    for first in range(0, n, size):
        outbox.build(partner, make_records(min(size, n - first), prefix=f"{partner}-{first}"), [recipient])
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=10_000)
    args = parser.parse_args()
    n, size = args.records, args.batch_size
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        work = Path(tmp)
        session, _ = Store(work / "data").init(ORG, "admin", "a long bench passphrase")
        keys = init_keys(work / "hubkeys", "a long hub passphrase")
        key = device_key(session)
        print(f"sync benchmark: {n:,} records in batches of {size:,}")

        start = time.perf_counter()
        batch.write_batch(make_records(n), device_key=key, manifest_fields=batch.ManifestFields(ORG, 1),
                          recipients=[keys.recipient], out_dir=work / "baseline")
        base_s = time.perf_counter() - start
        print(f"  baseline write_batch (bench_batch)  {n / base_s:10,.0f} records/s  ({base_s:6.2f} s)")

        outbox = Outbox(session)
        build_s = build_outbox(outbox, "bench-http", n, size, keys.recipient)
        print(f"  outbox build                        {n / build_s:10,.0f} records/s  ({build_s:6.2f} s)"
              f"   {build_s / base_s:4.2f} x baseline")

        direct = open_hub(work / "hubkeys", f"sqlite:///{work / 'direct.sqlite3'}", keys=keys)
        enrol_device(direct.engine, direct.tables, device_identity(session).public_key, ORG)
        start = time.perf_counter()
        for entry in outbox.unacknowledged("bench-http"):  # the same batches the push will send
            incoming = check_manifest(direct, entry.manifest_bytes)
            with open(entry.payload_path, "rb") as payload:
                ingest_payload(direct, incoming, payload)
        ingest_s = (time.perf_counter() - start) / n
        print(f"  hub ingest in process (same batches) {1 / ingest_s:9,.0f} records/s")
        direct.engine.dispose()

        certfile, keyfile, pin = self_signed(work)
        build_outbox(outbox, "bench-https", n, size, keys.recipient)
        results = {}
        for partner, tls in (("bench-http", None), ("bench-https", (certfile, keyfile))):
            hub = open_hub(work / "hubkeys", f"sqlite:///{work / (partner + '.sqlite3')}", keys=keys)
            enrol_device(hub.engine, hub.tables, device_identity(session).public_key, ORG)
            with Server(create_app(hub, Limits(batches_per_minute=1e6, burst=10_000)), tls) as server:
                link = PartnerLink(partner, server.url, (keys.recipient,), pin if tls else None,
                                   signing.public_key_text(keys.receipt_key))
                start = time.perf_counter()
                result = push(session, link, outbox=outbox, policy=RetryPolicy(attempts=2))
                seconds = time.perf_counter() - start
            assert result.ok and result.records == n, result
            results[partner] = seconds
            label = "push over HTTPS (pinned certificate)" if tls else "push over HTTP to 127.0.0.1"
            print(f"  {label:<36}{n / seconds:10,.0f} records/s  ({seconds:6.2f} s)"
                  f"   {seconds / base_s:4.2f} x baseline build, {seconds / (ingest_s * n):4.2f} x in-process ingest")
            hub.engine.dispose()
        print(f"  end to end (build + HTTPS push)     {n / (build_s + results['bench-https']):10,.0f} records/s")
        session.lock()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
