"""Forms benchmarks: loading the intake form, evaluating it, live updates, synthetic data.

Figures (medians), each with a baseline measured in the same run and the ratio:
- cold load of forms/tip_intake.yaml (YAML + pydantic + expression parsing + checks)
  against a plain ``yaml.safe_load`` of the same file (libyaml when available);
  target < 100 ms;
- every relevance, calculation and constraint for one complete answer set
  (``validate``) against a ``json.dumps`` of the same answers; target < 2 ms;
- one keystroke in the UI (``FormState.set`` on a field others depend on); target < 16 ms;
- 100,000 synthetic cases (``synthetic_answers``); target: a few seconds;
- ``to_ctdc_row`` for one case.

Run: .venv/bin/python bench/bench_forms.py
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import yaml  # noqa: E402
from _common import median_ms, report, timings  # noqa: E402

from tipintake.forms import loader, validate  # noqa: E402
from tipintake.forms.ctdc import to_ctdc_row  # noqa: E402
from tipintake.forms.engine import FormState  # noqa: E402
from tipintake.forms.synthetic import TODAY, synthetic_answers  # noqa: E402

FORM = Path(__file__).resolve().parents[1] / "forms" / "tip_intake.yaml"


def cold_load() -> object:
    """Load the intake form as if for the first time."""
    loader._cache.clear()  # measure the real work, not the per-file cache
    return loader.load_form_file(FORM)


def main() -> int:
    """Print every figure; exit 1 when a target is missed."""
    text = FORM.read_text(encoding="utf-8")
    yaml_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    print(f"forms/tip_intake.yaml: {len(text.splitlines())} lines; YAML loader {yaml_loader.__name__}")
    all_ok = True

    base = median_ms(timings(lambda: yaml.load(text, Loader=yaml_loader), repeat=30))
    load = median_ms(timings(cold_load, repeat=30))
    report("baseline: yaml.load of the same file", base, "ms")
    report("load_form_file (cold: YAML, models, expressions, checks)", load, "ms", "< 100 ms", load < 100)
    report("  ratio to the baseline", load / base, "x")
    all_ok &= load < 100

    spec = cold_load()
    answers = synthetic_answers(spec, random.Random(1))
    questions = sum(1 for _ in spec.fields())
    base = median_ms(timings(lambda: json.dumps(answers), repeat=300))
    full = median_ms(timings(lambda: validate(spec, answers, today=TODAY), repeat=300))
    report(f"baseline: json.dumps of one answer set ({len(answers)} answers)", base, "ms")
    report(f"validate: every relevance/constraint, {questions} fields", full, "ms", "< 2 ms", full < 2)
    report("  ratio to the baseline", full / base, "x")
    all_ok &= full < 2

    state = FormState(spec, answers, today=TODAY)
    dates = [f"1990-01-{d:02d}" for d in range(1, 29)]
    i = iter(range(10**9))
    key = median_ms(timings(lambda: state.set("birth_date", dates[next(i) % 28]), repeat=300))
    fresh = median_ms(timings(lambda: FormState(spec, answers, today=TODAY), repeat=100))
    report("FormState.set('birth_date') (incremental)", key, "ms", "< 16 ms", key < 16)
    report("baseline: FormState built from scratch", fresh, "ms")
    report("  ratio incremental / from scratch", key / fresh, "x")
    all_ok &= key < 16

    rng = random.Random(2)
    synthetic_answers(spec, rng)  # the per-form pool is built once
    start = time.perf_counter()
    for _ in range(100_000):
        synthetic_answers(spec, rng)
    synth = time.perf_counter() - start
    base_start = time.perf_counter()
    for _ in range(100_000):
        dict(answers)
    base = time.perf_counter() - base_start
    report("synthetic_answers x 100,000", synth, "s", "a few seconds", synth < 5)
    report("baseline: dict copy of one answer set x 100,000", base, "s")
    report("  ratio to the baseline", synth / base, "x")

    row = median_ms(timings(lambda: to_ctdc_row(spec, answers), repeat=300))
    report("to_ctdc_row for one case", row, "ms")
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
