"""Risk check of a batch: k-anonymity with generalisation and suppression, l-diversity.

Records are grouped by their values of the agreement's quasi-identifiers (a missing
value is a value of its own). While records sit in groups smaller than k:

1. each such record is generalised one step (year-month → year, first administrative
   level → country) — the precision the agreement allowed, given up where it singles out;
2. the further-generalisation ladder (``deid.ladder``, the agreement's
   ``generalisation.further``) recodes values batch-wide: while more than
   ``suppression_limit`` of the batch still fails, every age band to its majority band;
   rare countries to their UN M49 sub-region, then region;
3. a record still failing has its age band blanked (the majority flags stay), and if its
   group is still smaller than k it is suppressed from this batch (it may go in a later,
   larger one).

Steps 1 and 3 change only failing records; step 2 replaces a value by the same coarser
value everywhere. Either way groups only merge or lose failing members, so every group of
k or more stays so and the kept records are k-anonymous. With ``l`` set, a group whose
sensitive attribute takes fewer than l distinct values is suppressed too. Pure functions
over plain dicts; ~1 µs per record.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from tipintake.deid.ladder import COSTLY_STEPS, DEFAULT_SUPPRESSION_LIMIT, STEPS, Step, recoding

# Blanked at the second step, most identifying first.
LAST_RESORT = ("ageBroad", "majorityStatusAtExploit", "majorityEntry")


def group_keys(rows: Sequence[dict[str, Any]], quasi: Sequence[str]) -> list[tuple[Any, ...]]:
    """Each row's quasi-identifier values as a tuple (a missing element is None)."""
    quasi = tuple(quasi)
    if not quasi:
        return [() for _ in rows]
    if len(quasi) > 1:
        pick = itemgetter(*quasi)  # C speed when every row has every element
        try:
            return list(map(pick, rows))
        except KeyError:
            pass
    return [tuple(map(r.get, quasi)) for r in rows]


def k_of_keys(keys: Sequence[tuple[Any, ...]]) -> int | None:
    """The k of rows already projected on their quasi-identifiers (the smallest group)."""
    counts = Counter(keys)
    return min(counts.values()) if counts else None


def k_anonymity(rows: Sequence[dict[str, Any]], quasi: Sequence[str]) -> int | None:
    """The k a set of rows achieves over ``quasi`` (the smallest group), None when empty."""
    return k_of_keys(group_keys(rows, quasi))


def l_diversity(rows: Sequence[dict[str, Any]], quasi: Sequence[str], sensitive: str) -> int | None:
    """The l a set of rows achieves for ``sensitive`` (fewest distinct values in a group)."""
    groups: dict[tuple[Any, ...], set[Any]] = defaultdict(set)
    for r in rows:
        v = r.get(sensitive)
        groups[tuple(r.get(q) for q in quasi)].add(tuple(v) if isinstance(v, list) else v)
    return min(len(s) for s in groups.values()) if groups else None


@dataclass
class RiskOutcome:
    """What the risk step kept, changed and dropped (indexes into the input)."""

    kept: list[int]
    values: list[dict[str, Any]]  # final values of every input record (kept or not)
    suppressed_k: list[int] = field(default_factory=list)
    suppressed_l: list[int] = field(default_factory=list)
    generalised: dict[str, int] = field(default_factory=dict)  # element → kept records changed
    further: dict[str, int] = field(default_factory=dict)  # ladder step → records it recoded
    unique_before: int = 0  # records alone in their group before treatment
    below_k_before: int = 0  # records in groups smaller than k before treatment
    classes: int = 0
    k_achieved: int | None = None
    l_achieved: dict[str, int | None] = field(default_factory=dict)


def anonymise(values: Sequence[dict[str, Any]], coarser: Sequence[dict[str, Any]],
              quasi: Sequence[str], sensitive: Sequence[str], k: int, l: int | None = None,  # noqa: E741
              further: Sequence[Step] = STEPS,
              suppression_limit: float = DEFAULT_SUPPRESSION_LIMIT) -> RiskOutcome:
    """Make a batch k-anonymous over ``quasi`` (and l-diverse when ``l`` is set).

    ``further`` is the ladder of batch-wide recodings tried before suppression (see
    ``deid.ladder``); a rung that recodes every record (``age_to_majority``) runs only
    while more than ``suppression_limit`` (a share of the batch) would be suppressed.
    """
    quasi = tuple(quasi)
    n = len(values)
    final = list(values)
    keys = group_keys(values, quasi)
    counts = Counter(keys)
    outcome = RiskOutcome([], final)
    outcome.unique_before = sum(1 for c in counts.values() if c == 1)
    outcome.below_k_before = sum(c for c in counts.values() if c < k)
    blank = tuple(q for q in LAST_RESORT if q in quasi)
    for stage in ("precision", "further", "blank"):
        small = [i for i in range(n) if counts[keys[i]] < k]
        if not small:
            break
        if stage == "further":
            _climb(further, final, keys, counts, quasi, k, suppression_limit, outcome.further)
            continue
        for i in small:
            v = dict(final[i])
            if stage == "precision":
                for q in quasi:
                    if q in coarser[i]:
                        v[q] = coarser[i][q]
            else:
                for q in blank:
                    if q in v:
                        v[q] = None
            key = tuple(v.get(q) for q in quasi)
            if key != keys[i]:
                counts[keys[i]] -= 1
                counts[key] += 1
                keys[i] = key
                final[i] = v
    kept: list[int] = []
    for i in range(n):
        (kept if counts[keys[i]] >= k else outcome.suppressed_k).append(i)
    if l and sensitive:
        groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for i in kept:
            groups[keys[i]].append(i)
        poor = set()
        for members in groups.values():
            for s in sensitive:
                distinct = {_hashable(final[i].get(s)) for i in members}
                if len(distinct) < l:
                    poor.update(members)
                    break
        outcome.suppressed_l = sorted(poor)
        kept = [i for i in kept if i not in poor]
    outcome.kept = kept
    for i in kept:
        if final[i] is not values[i]:
            for q in quasi:
                if final[i].get(q) != values[i].get(q):
                    outcome.generalised[q] = outcome.generalised.get(q, 0) + 1
    kept_rows = [final[i] for i in kept]
    final_counts = Counter(keys[i] for i in kept)
    outcome.classes = len(final_counts)
    outcome.k_achieved = min(final_counts.values()) if final_counts else None
    outcome.l_achieved = {s: l_diversity(kept_rows, quasi, s) for s in sensitive}
    return outcome


def _climb(further: Sequence[Step], final: list[dict[str, Any]], keys: list[tuple[Any, ...]],
           counts: Counter, quasi: tuple[str, ...], k: int, limit: float, done: dict[str, int]) -> None:
    """Climb the ladder: its steps in order, again from the top while one of them helped.

    A country goes one level per pass (country → sub-region → region), so a sub-region is
    formed first and only the still-failing ones go further; each pass coarsens at least
    one value, so the climb ends after a few passes. ``done`` gets, per step, the number
    of distinct records it recoded.
    """
    n = len(final)
    touched: dict[str, set[int]] = {}
    progress = True
    while progress:
        progress = False
        for step in further:
            failing = sum(1 for key in keys if counts[key] < k)
            if not failing:
                return
            if step in COSTLY_STEPS and failing <= limit * n:
                continue  # recodes every record: suppressing this few costs the hub less
            changed: list[int] = []
            for reach in ((1, 2) if step == "country_to_region" else (1,)):
                changed = _recode(step, final, keys, counts, quasi, k, failing, reach)
                if changed:
                    break
            if changed:
                touched.setdefault(step, set()).update(changed)
                done[step] = len(touched[step])
                progress = True


def _recode(step: Step, final: list[dict[str, Any]], keys: list[tuple[Any, ...]], counts: Counter,
            quasi: tuple[str, ...], k: int, failing: int, reach: int = 1) -> list[int]:
    """Apply one ladder step batch-wide when it lowers the number of failing records.

    Updates ``final``, ``keys`` and ``counts`` in place and returns the records recoded
    (none when the step changes nothing or saves no one, in which case nothing is touched).
    """
    mapping = recoding(step, final, counts, quasi, k, reach)
    if not mapping:
        return []
    where = [(quasi.index(e), e, m) for e, m in mapping.items()]
    new: dict[int, tuple[dict[str, Any], tuple[Any, ...]]] = {}
    for i, row in enumerate(final):
        key = keys[i]
        hit = [(pos, e, m[key[pos]]) for pos, e, m in where if key[pos] in m]
        if hit:
            v = dict(row)
            kl = list(key)
            for pos, e, coarse in hit:
                v[e] = kl[pos] = coarse
            new[i] = (v, tuple(kl))
    trial = Counter(counts)
    for i, (_v, key) in new.items():
        trial[keys[i]] -= 1
        trial[key] += 1
    trial_keys = [new[i][1] if i in new else keys[i] for i in range(len(final))]
    if sum(1 for key in trial_keys if trial[key] < k) >= failing:
        return []  # coarser data, no one saved: not worth it
    for i, (v, key) in new.items():
        final[i], keys[i] = v, key
    counts.clear()
    counts.update(+trial)
    return list(new)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
