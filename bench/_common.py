"""Helpers shared by the benchmark scripts: timing and printing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timings(fn: Callable[[], object], repeat: int, warmup: int = 2) -> list[float]:
    """Seconds per call of ``fn`` over ``repeat`` runs, after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def report(name: str, value: float, unit: str, target: str = "", ok: bool | None = None) -> None:
    """Print one figure, with its target and whether it is met."""
    verdict = "" if ok is None else ("  OK" if ok else "  MISSED")
    print(f"{name:<58} {value:>10.2f} {unit:<6} {target}{verdict}")
