"""Store benchmarks: saving a 150-answer revision, and unlocking.

Figures: median time to save one revision (revision + identity + audit entry +
search index, one fsynced transaction) on the encrypted store, the same workload on
plain SQLite through the same code (the baseline, measured in the same run), their
ratio, and unlock time (Argon2id + open + migrations check).

Run: .venv/bin/python bench/bench_store.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import median_ms, report, timings  # noqa: E402

from tipintake.store.engine import open_engine  # noqa: E402
from tipintake.store.migrate import migrate  # noqa: E402
from tipintake.store.session import Session, SignedIn, Store, now  # noqa: E402

PASS = "benchmark passphrase"
SCRIPTS = ["สมชาย ใจดี", "សុខ ចាន់ធីតា", "မောင်ကျော်", "Siti Nurhaliza", "Nguyen Van A"]


def answers(rng: random.Random) -> tuple[dict, dict]:
    identity = {f"id_{i}": rng.choice(SCRIPTS) + str(rng.randint(0, 9999)) for i in range(10)}
    context = {}
    for i in range(140):
        kind = i % 4
        context[f"q_{i}"] = (rng.randint(0, 99) if kind == 0 else rng.choice(["yes", "no", "unknown"])
                             if kind == 1 else [rng.choice("abcdef") for _ in range(3)] if kind == 2
                             else rng.choice(SCRIPTS))
    return identity, context


def plain_session(folder: Path) -> Session:
    """The same services over an unencrypted SQLite file (the baseline)."""
    store = Store(folder)
    folder.mkdir(parents=True)
    engine = open_engine(store.db_path, None)
    migrate(store.db_path, engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO users(username, display_name, role, language, disabled, removed, must_reset, "
            "created_at) VALUES ('admin', 'admin', 'admin', 'en', 0, 0, 0, ?)", (now(),))
    return Session(store, engine, None, SignedIn(1, "admin", "admin", "en", "admin"))  # type: ignore[arg-type]


def main() -> int:
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="tipintake-bench-"))
    enc, _ = Store(work / "enc").init("Bench", "admin", PASS)
    plain = plain_session(work / "plain")
    samples = [answers(rng) for _ in range(50)]

    def saver(session: Session):
        it = iter(samples * 100)

        def save() -> None:
            identity, context = next(it)
            session.cases.save(form_id="tip_intake", form_version="1", kind="intake",
                               identity=identity, context=context)
        return save

    repeat = 200
    t_plain = median_ms(timings(saver(plain), repeat))
    t_enc = median_ms(timings(saver(enc), repeat))
    print(f"Store benchmark ({repeat} saves of a 150-answer revision, fsync per commit)")
    report("save one revision, plain SQLite (baseline), median", t_plain, "ms")
    report("save one revision, encrypted, median", t_enc, "ms", "< 10 ms", t_enc < 10)
    ratio = t_enc / t_plain
    report("encrypted / plain ratio", ratio, "x", "<= 1.5", ratio <= 1.5)
    enc.lock()

    unlocks = []
    store = Store(work / "enc")
    for _ in range(5):
        start = time.perf_counter()
        s = store.unlock("admin", PASS)
        unlocks.append(time.perf_counter() - start)
        s.lock()
    t_unlock = median_ms(unlocks)
    report("unlock (Argon2id 64 MiB + open + migrations check), median", t_unlock, "ms", "< 1000 ms",
           t_unlock < 1000)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
