"""Benchmark the partner hub: ingest throughput (SQLite, PostgreSQL) and a 1M-case CTDC export.

Ingest: one batch of N records through the whole hub pipeline (manifest and signature
checks, payload hash, age decryption, per-record validation, idempotent upsert, signed
receipt), against a baseline measured in the same run: the same rows bulk-inserted with
plain SQLAlchemy Core into a fresh database of the same kind.
Export: 1M stored cases written as the k-anonymised CTDC CSV, in a child process whose
peak RSS is reported, against the same export of 100k cases (ratio ~1 = bounded memory).
PostgreSQL runs on a throwaway cluster (initdb/pg_ctl) when the binaries exist.
Run: ``.venv/bin/python bench/bench_hub.py [--records N] [--export-rows M]``.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyrage
from sqlalchemy import create_engine, insert, text

from tipintake.hub.context import open_hub, open_storage
from tipintake.hub.db import enrol_device
from tipintake.hub.export import export_ctdc
from tipintake.hub.ingest import _row, check_manifest, ingest_payload
from tipintake.hub.keys import HubKeys
from tipintake.sync import batch, signing
from tipintake.sync.records import CaseRecord

BANDS = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"]


def make_records(n: int, prefix: str = "p") -> Iterator[CaseRecord]:
    """Records with a realistic spread: most combinations frequent, some rare."""
    for i in range(n):
        yield CaseRecord(
            case=f"{prefix}-{i:012x}", revision=1, form="tip_intake", form_version="1",
            values={
                "yearOfRegistration": 2020 + i % 6, "Datasource": "Case Management",
                "gender": "Female" if i % 3 else "Male", "ageBroad": BANDS[(i // 7) % 9],
                "citizenship": ["KH", "MM", "LA", "VN"][i % 4], "CountryOfExploitation": ["TH", "MY"][i % 2],
                "isForcedLabour": i % 2, "isSexualExploit": 1 - i % 2,
                "meansOfControlDebtBondage": 1 if i % 997 == 0 else None,
            },
        )


@contextmanager
def postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL cluster's base URL, or None when the binaries are missing."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        yield None
        return
    bindir = Path(found[-1]).parent
    base = Path(tempfile.mkdtemp(prefix="tipintake-bench-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = base / "data"
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "hub", "--auth=trust",
                        "-E", "UTF8"], check=True, capture_output=True)
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w",
                        "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1", "start"],
                       check=True, capture_output=True)
        yield f"postgresql+psycopg://hub@127.0.0.1:{port}"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def fresh_db(kind: str, work: Path, pg: str | None, name: str) -> str:
    """A new empty database URL of the given kind."""
    if kind == "sqlite":
        return f"sqlite:///{work / (name + '.sqlite3')}"
    admin = create_engine(f"{pg}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{pg}/{name}"


def bench_ingest(kind: str, work: Path, pg: str | None, keys: HubKeys, n: int) -> None:
    """Ingest one batch of n records; baseline: Core bulk insert of the same rows."""
    hub = open_hub(work, fresh_db(kind, work, pg, f"ingest_{kind}"), keys=keys)
    device = signing.generate_key()
    enrol_device(hub.engine, hub.tables, signing.public_key_text(device), "Bench Org")
    info = batch.write_batch(make_records(n), device_key=device,
                             manifest_fields=batch.ManifestFields("Bench Org", 1),
                             recipients=[keys.recipient], out_dir=work / f"batch_{kind}")
    start = time.perf_counter()
    incoming = check_manifest(hub, info.manifest_path.read_bytes())
    with open(info.payload_path, "rb") as payload:
        ingest_payload(hub, incoming, payload)
    pipeline = time.perf_counter() - start

    base = open_storage(work, fresh_db(kind, work, pg, f"baseline_{kind}"))
    rows = [_row(base.vocabulary, "Bench Org", info.batch_id, r) for r in make_records(n)]
    start = time.perf_counter()
    with base.engine.begin() as conn:
        for i in range(0, n, 5000):
            conn.execute(insert(base.tables.records), rows[i:i + 5000])
    plain = time.perf_counter() - start
    print(f"  {kind:10s}: hub ingest {n / pipeline:9,.0f} records/s ({pipeline:5.2f} s)   "
          f"baseline bulk insert {n / plain:9,.0f} records/s   ratio {pipeline / plain:4.2f} x")
    hub.engine.dispose()
    base.engine.dispose()


def populate(url: str, work: Path, rows: int) -> None:
    """Store ``rows`` cases directly (the ingest path is measured above, not here)."""
    storage = open_storage(work, url)
    chunk: list[dict] = []
    with storage.engine.begin() as conn:
        for record in make_records(rows):
            chunk.append(_row(storage.vocabulary, "Bench Org", "bench", record))
            if len(chunk) == 10_000:
                conn.execute(insert(storage.tables.records), chunk)
                chunk = []
        if chunk:
            conn.execute(insert(storage.tables.records), chunk)
    storage.engine.dispose()


def peak_rss_mib() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec,
    so a child forked from a big parent would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_in_child(url: str, work: Path, out: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS MiB, report line) of an export run in a fresh process."""
    child = subprocess.run([sys.executable, __file__, "--export-child", url, str(work), str(out)],
                           check=True, capture_output=True, text=True)
    seconds, rss, report = child.stdout.strip().split("|")
    return float(seconds), float(rss), report


def bench_export(kind: str, work: Path, pg: str | None, rows: int) -> None:
    """Export ``rows`` cases and a tenth as many; compare time and peak RSS."""
    figures = []
    for count in (rows // 10, rows):
        url = fresh_db(kind, work, pg, f"export_{kind}_{count}")
        populate(url, work, count)
        figures.append(export_in_child(url, work, work / f"ctdc_{kind}_{count}.csv"))
    (small_s, small_rss, _), (big_s, big_rss, report) = figures
    print(f"  {kind:10s}: {rows:,} cases in {big_s:5.1f} s ({rows / big_s:,.0f} rows/s), peak RSS {big_rss:.0f} MiB;"
          f" {rows // 10:,} cases: peak RSS {small_rss:.0f} MiB -> RSS ratio {big_rss / small_rss:.2f} (1.0 = bounded)")
    print(f"              {report}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000, help="records in the ingest batch")
    parser.add_argument("--export-rows", type=int, default=1_000_000, help="cases in the export benchmark")
    parser.add_argument("--export-child", nargs=3, metavar=("URL", "WORK", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        url, work, out = args.export_child
        storage = open_storage(Path(work), url)
        start = time.perf_counter()
        report = export_ctdc(storage, Path(out))
        seconds = time.perf_counter() - start
        rss = peak_rss_mib()
        print(f"{seconds}|{rss}|written {report.rows_written:,}, suppressed {report.rows_suppressed:,} (k = {report.k})")
        return 0
    keys = HubKeys(identity=pyrage.x25519.Identity.generate(), receipt_key=signing.generate_key())
    with tempfile.TemporaryDirectory() as tmp, postgres() as pg:
        work = Path(tmp)
        kinds = ["sqlite"] + (["postgresql"] if pg else [])
        if not pg:
            print("PostgreSQL binaries not found: PostgreSQL figures skipped.")
        print(f"ingest, one batch of {args.records:,} records:")
        for kind in kinds:
            bench_ingest(kind, work, pg, keys, args.records)
        print("CTDC export with k-anonymity (k = 11), streamed:")
        for kind in kinds:
            bench_export(kind, work, pg, args.export_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
