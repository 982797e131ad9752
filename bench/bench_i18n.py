"""Benchmark of the language core: search folding, Zawgyi detection, BE date parsing.

Run: ``.venv/bin/python bench/bench_i18n.py``. Prints per-operation times; folding must
stay far below a keystroke (it runs on every search keystroke and on every save of
~150 answers).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tipintake.i18n.calendars import format_date, parse_date  # noqa: E402
from tipintake.i18n.normalize import fold_for_search  # noqa: E402
from tipintake.i18n.zawgyi import classify, zawgyi_to_unicode  # noqa: E402

ANSWERS = (
    ["Saya bekerja di kapal ikan selama dua tahun tanpa gaji"] * 60
    + ["ผู้ให้ข้อมูลถูกยึดหนังสือเดินทางโดยนายจ้าง"] * 30
    + ["ខ្ញុំត្រូវបានគេបោកប្រាស់ឱ្យទៅធ្វើការនៅថៃ"] * 30
    + ["အလုပ်ရှင်က ပတ်စပို့ကို သိမ်းထားသည်"] * 15
    + ["အလုပ္ရွင္က ပတ္စပို႔ကို သိမ္းထားသည္"] * 15
)


def _time(label: str, fn, repeat: int) -> None:  # noqa: ANN001 - any callable
    fn()  # warm caches and models
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    per = (time.perf_counter() - start) / repeat
    print(f"{label:<48} {per * 1000:9.3f} ms")


def main() -> None:
    """Run each measurement and print the results."""
    _time("fold_for_search: one save of 150 answers", lambda: [fold_for_search(a) for a in ANSWERS], 50)
    _time("fold_for_search: one Thai query keystroke", lambda: fold_for_search("สมชาย"), 2000)
    _time("fold_for_search: one Burmese query keystroke", lambda: fold_for_search("မောင်မောင်"), 2000)
    _time("classify: a Burmese answer (Zawgyi detector)", lambda: classify(ANSWERS[-1]), 2000)
    _time("zawgyi_to_unicode: one answer (ICU)", lambda: zawgyi_to_unicode(ANSWERS[-1]), 2000)
    _time("parse_date: Thai BE date in Thai digits", lambda: parse_date("๒๙/๒/๒๕๖๗", "th"), 2000)
    _time("format_date: Thai long BE date", lambda: format_date("2024-02-29", "th", "long"), 2000)


if __name__ == "__main__":
    main()
