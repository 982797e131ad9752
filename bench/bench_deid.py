"""De-identification benchmark: consent gate, de-identify, leak scan and k-anonymity over 100k cases.

Figures (medians of several runs, after a warm-up):

1. ``assess``: the pure core over pre-loaded answer dicts (consent gate, de-identification,
   leak scan, k-anonymity with generalisation/suppression, l-diversity). Target: < 2 s.
2. ``build_plan``: the same plus the batch-format models (pydantic ``CaseRecord``).
3. End to end: ``prepare_share`` on an encrypted store holding the cases (reading and
   decrypting them included).
4. The k-anonymity check alone, ours against pycanon on the same rows in the same run.
   pycanon pins numpy/pandas, so it lives in ``bench/.venv-pycanon`` (created here when
   missing; never a dependency of the app); the rows go to it as a CSV file.

Run: ``.venv/bin/python bench/bench_deid.py [--cases 100000] [--store-cases 100000]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from _common import report  # noqa: E402


def cpu_and_wall(fn, repeat: int, warmup: int = 1) -> tuple[float, float]:
    """Best CPU seconds and best wall seconds of ``fn`` over ``repeat`` runs.

    CPU time is the fairer figure on a shared machine: other people's processes stretch
    wall time, not the work done.
    """
    for _ in range(warmup):
        fn()
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return min(cpu), min(wall)

from tests.deid.sample import agreement, sample_form, synthetic_case  # noqa: E402
from tipintake.deid.risk import group_keys, k_anonymity, k_of_keys  # noqa: E402
from tipintake.deid.share import CaseInput, assess, build_plan  # noqa: E402

PYCANON_VENV = ROOT / "bench" / ".venv-pycanon"
OUT = ROOT / "bench" / "out"
SECRET = b"b" * 32

PYCANON_SCRIPT = r"""
import json, sys, time, statistics
import pandas as pd
from pycanon import anonymity
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
qi = sys.argv[2].split(",")
anonymity.k_anonymity(df, qi)  # warm-up
wall, cpu = [], []
for _ in range(int(sys.argv[3])):
    t, c = time.perf_counter(), time.process_time()
    k = anonymity.k_anonymity(df, qi)
    wall.append(time.perf_counter() - t); cpu.append(time.process_time() - c)
with open(sys.argv[4], encoding="utf-8") as fh:
    records = json.load(fh)
rwall, rcpu = [], []
for _ in range(int(sys.argv[3])):  # from records: the DataFrame is built inside the timing
    t, c = time.perf_counter(), time.process_time()
    frame = pd.DataFrame.from_records(records, columns=qi).fillna("NA")
    k2 = anonymity.k_anonymity(frame, qi)
    rwall.append(time.perf_counter() - t); rcpu.append(time.process_time() - c)
print(json.dumps({"k": int(k), "k_records": int(k2), "wall": min(wall), "cpu": min(cpu),
                  "records_wall": min(rwall), "records_cpu": min(rcpu), "rows": len(df)}))
"""


def make_inputs(n: int, seed: int = 1) -> list[CaseInput]:
    """``n`` synthetic cases of the sample form, as prepare_share would read them."""
    rng = random.Random(seed)
    spec = sample_form()
    out = []
    for i in range(n):
        ctx, ident = synthetic_case(rng)
        out.append(CaseInput(f"{i:032x}", f"R{i:07d}", "open", spec.id, spec.version, 1, ctx, ident))
    return out


def ensure_pycanon() -> Path | None:
    """The pycanon virtualenv's python (created on first run), or None when it cannot be had."""
    python = PYCANON_VENV / "bin" / "python"
    if not python.exists():
        print("creating bench/.venv-pycanon with pycanon (numpy/pandas pinned by pycanon) ...")
        try:
            subprocess.run([sys.executable, "-m", "venv", str(PYCANON_VENV)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", "pycanon"], check=True)
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"pycanon unavailable ({exc}); comparison skipped")
            return None
    return python


def compare_k(rows: list[dict], quasi: tuple[str, ...], repeat: int) -> None:
    """Our k check against pycanon's on the same rows (best of ``repeat``, CPU and wall)."""
    python = ensure_pycanon()
    ours_k = k_anonymity(rows, quasi)
    full_cpu, _wall = cpu_and_wall(lambda: k_anonymity(rows, quasi), repeat=max(repeat, 5))
    report(f"k check, ours from record dicts ({len(rows)} x {len(quasi)} QI), CPU", full_cpu * 1000, "ms")
    # Like for like: pycanon gets a table of the quasi-identifier columns (its DataFrame is
    # built before timing), ours gets the same table as tuples (built before timing).
    keys = group_keys(rows, quasi)
    ours_cpu, ours_wall = cpu_and_wall(lambda: k_of_keys(keys), repeat=max(repeat, 5))
    report("k check, ours on the QI table, CPU", ours_cpu * 1000, "ms")
    report("k check, ours on the QI table, wall", ours_wall * 1000, "ms")
    if python is None:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", dir=OUT, delete=False, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(quasi)
        for r in rows:  # missing as its own value, as our check counts it
            writer.writerow(["NA" if r.get(q) is None else r.get(q) for q in quasi])
        path = Path(fh.name)
    # The same rows as records (only their quasi-identifiers): pycanon builds its DataFrame.
    slim = [{q: r.get(q) for q in quasi} for r in rows]
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir=OUT, delete=False) as fh:
        json.dump(slim, fh)
        records_path = Path(fh.name)
    try:
        done = subprocess.run([str(python), "-c", PYCANON_SCRIPT, str(path), ",".join(quasi),
                               str(max(repeat, 5)), str(records_path)],
                              check=True, capture_output=True, text=True)
    finally:
        path.unlink(missing_ok=True)
        records_path.unlink(missing_ok=True)
    slim_cpu, _wall = cpu_and_wall(lambda: k_anonymity(slim, quasi), repeat=max(repeat, 5))
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    report("k-anonymity check, pycanon (same rows), CPU", theirs["cpu"] * 1000, "ms")
    report("k-anonymity check, pycanon, wall", theirs["wall"] * 1000, "ms")
    report("pycanon / ours on the QI table, CPU (> 1: ours faster)", theirs["cpu"] / ours_cpu, "x",
           "target >= 1", theirs["cpu"] >= ours_cpu)
    report("pycanon / ours on the QI table, wall", theirs["wall"] / ours_wall, "x")
    report("pycanon / ours from record dicts, CPU (pycanon's table prebuilt)", theirs["cpu"] / full_cpu, "x")
    report("k check from the same records, ours, CPU", slim_cpu * 1000, "ms")
    report("k check from the same records, pycanon (DataFrame built), CPU", theirs["records_cpu"] * 1000, "ms")
    report("pycanon / ours from records, CPU (> 1: ours faster)", theirs["records_cpu"] / slim_cpu, "x",
           "target >= 1", theirs["records_cpu"] >= slim_cpu)
    same = ours_k == theirs["k"] == theirs["k_records"]
    print(f"{'same k from both':<58} {ours_k} == {theirs['k']} == {theirs['k_records']}: {same}")


def store_end_to_end(inputs: list[CaseInput]) -> None:
    """prepare_share on an encrypted store holding ``inputs`` (reading and decrypting included)."""
    from tipintake.deid.agreements import mark_shown
    from tipintake.deid.share import prepare_share, read_cases
    from tipintake.store.session import Store

    spec = sample_form()
    ag = agreement("bench-hub")
    with tempfile.TemporaryDirectory() as tmp:
        session, _recovery = Store(Path(tmp) / "data").init("Bench", "admin", "bench passphrase 1")
        start = time.perf_counter()
        session.cases.import_many({"form_id": spec.id, "form_version": spec.version, "context": c.context,
                                   "identity": c.identity} for c in inputs)
        report(f"store: import {len(inputs)} cases (set-up, not a target), wall",
               time.perf_counter() - start, "s")
        mark_shown(session, ag)
        cpu, wall = cpu_and_wall(lambda: sum(1 for _ in read_cases(session)), repeat=1, warmup=0)
        report(f"store: read and decrypt {len(inputs)} cases (part of the next figure), CPU", cpu, "s")
        cpu, wall = cpu_and_wall(lambda: prepare_share(session, ag, form_loader=lambda f: spec), repeat=2)
        report(f"end to end: prepare_share, {len(inputs)} cases from the store, CPU", cpu, "s")
        report("  the same, wall", wall, "s")
        session.lock()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--store-cases", type=int, default=100_000, help="0 skips the store figure")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(f"generating {args.cases} synthetic cases ...")
    inputs = make_inputs(args.cases)
    spec = sample_form()
    ag = agreement("bench-hub")
    forms = {spec.id: spec}.get
    quasi = ag.generalisation.quasi_identifiers

    cpu, wall = cpu_and_wall(lambda: assess(inputs, ag, SECRET, forms=forms), repeat=args.repeat)
    a = assess(inputs, ag, SECRET, forms=forms)
    r = a.report
    report(f"assess: gate + de-identify + leak scan + k/l, {args.cases} cases, CPU", cpu, "s",
           "target < 2 s", cpu < 2.0)
    report("  the same, wall (stretched by other processes)", wall, "s")
    report("  per case, CPU", cpu / max(args.cases, 1) * 1e6, "us")
    print(f"  eligible {r.eligible}, blocked {len(r.blocked)}, suppressed {r.suppressed}, "
          f"shared {r.shared}, k achieved {r.k_achieved}, groups {r.classes}")
    cpu, wall = cpu_and_wall(lambda: build_plan(inputs, ag, SECRET, forms=forms), repeat=2, warmup=0)
    report(f"build_plan: assess + {r.shared} CaseRecord models, CPU", cpu, "s")

    # The k check alone, before treatment: every eligible record's quasi-identifiers.
    rows = [values for _case, _ps, values in a.kept]
    compare_k(rows, quasi, args.repeat)
    if args.store_cases:
        store_end_to_end(inputs[: args.store_cases])


if __name__ == "__main__":
    main()
