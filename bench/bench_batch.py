"""Benchmark: build, sign and encrypt a batch of 100k records (target < 5 s, memory flat).

Prints wall time and peak traced memory for the full batch pipeline, against a baseline
measured in the same run (the same records serialised and gzipped to a file, with no
age, hashing or signing), and the peak for a batch ten times smaller, so that memory
that grew with the batch would show as a ratio well above 1. Also times reading the
batch back (verify + decrypt + parse). Run: ``.venv/bin/python bench/bench_batch.py [N]``.
"""

from __future__ import annotations

import gzip
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pyrage

from tipintake.sync import batch, signing
from tipintake.sync.records import CaseRecord, dump_line

TARGET_SECONDS = 5.0


def records(n: int) -> Iterator[CaseRecord]:
    """Realistic de-identified records, generated lazily (as the outbox would stream them)."""
    bands = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"]
    for i in range(n):
        yield CaseRecord(
            case=f"p-{i:012x}", revision=1 + i % 3, form="tip_intake", form_version="1",
            values={
                "yearOfRegistration": 2020 + i % 6, "Datasource": "Case Management",
                "gender": "Female" if i % 3 else "Male", "ageBroad": bands[i % 9],
                "majorityStatus": "Adult" if i % 9 > 1 else "Minor", "citizenship": ["KH", "MM", "LA", "VN"][i % 4],
                "CountryOfExploitation": ["TH", "MY", "ID"][i % 3],
                "isForcedLabour": i % 2, "isSexualExploit": 1 - i % 2, "meansOfControlDebtBondage": i % 5 == 0,
                "typeOfExploitConcatenated": "ForcedLabour" if i % 2 else "SexualExploit",
                "vic_TraffickingStatus": "PossibleVictimOfTrafficking",
            },
        )


def timed(fn: Callable[[], object], trace: bool) -> tuple[float, float]:
    """(seconds, peak traced MiB) of one call; tracing only when asked (it slows Python down)."""
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    peak = 0.0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return seconds, peak


def main(n: int = 100_000) -> int:
    identity = pyrage.x25519.Identity.generate()
    device = signing.generate_key()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def baseline(count: int = n) -> None:
            with gzip.open(out / "baseline.jsonl.gz", "wb", compresslevel=6) as handle:
                for record in records(count):
                    handle.write(dump_line(record))

        built: list[batch.BatchInfo] = []

        def build(count: int = n, sequence: int = 1) -> None:
            built.append(batch.write_batch(
                records(count), device_key=device,
                manifest_fields=batch.ManifestFields(organisation="Bench Org", sequence=sequence),
                recipients=[identity.to_public()], out_dir=out / f"b{sequence}",
            ))

        base_s, _ = timed(baseline, trace=False)
        build_s, _ = timed(build, trace=False)
        _, base_peak = timed(baseline, trace=True)
        _, build_peak = timed(lambda: build(n, 2), trace=True)
        _, small_peak = timed(lambda: build(n // 10, 3), trace=True)
        info = built[0]

        def read_back() -> None:
            manifest = batch.verify_manifest(batch.read_manifest(info.manifest_path), [signing.public_key_text(device)])
            batch.verify_payload(manifest, info.payload_path)
            assert sum(1 for _ in batch.decrypt_payload(info.payload_path, identity)) == n

        read_s, read_peak = timed(read_back, trace=False)[0], timed(read_back, trace=True)[1]
        size_mb = info.payload_path.stat().st_size / 2**20

    print(f"batch of {n:,} records ({size_mb:.1f} MiB encrypted payload)")
    print(f"  baseline JSONL+gzip, no crypto : {base_s:6.2f} s   peak traced {base_peak:6.2f} MiB")
    print(f"  build+sign+encrypt (batch v1)  : {build_s:6.2f} s   peak traced {build_peak:6.2f} MiB"
          f"   target < {TARGET_SECONDS:.0f} s: {'OK' if build_s < TARGET_SECONDS else 'MISSED'}")
    print(f"  ratio to baseline              : {build_s / base_s:6.2f} x time, {build_peak / max(base_peak, 1e-9):.2f} x memory")
    print(f"  {f'peak for {n // 10:,} records':31s}: {small_peak:6.2f} MiB"
          f"  -> {n:,}/{n // 10:,} peak ratio {build_peak / max(small_peak, 1e-9):.2f} (1.0 = flat)")
    print(f"  read back (verify+decrypt+parse): {read_s:6.2f} s   {n / read_s:,.0f} records/s   "
          f"peak traced {read_peak:.2f} MiB")
    print(f"  process peak RSS               : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0 if build_s < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
