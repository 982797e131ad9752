"""Risk check of a batch: k-anonymity with local generalisation and suppression, l-diversity.

Records are grouped by their values of the agreement's quasi-identifiers (a missing
value is a value of its own). A record in a group smaller than k is first generalised
one step (year-month → year, first administrative level → country), then its age band
is blanked (the majority flags stay), and if its group is still smaller than k it is
suppressed from this batch (it may go in a later, larger one). Records in groups of k
or more are never changed, so every group that was large enough stays so. With ``l``
set, a group whose sensitive attribute takes fewer than l distinct values is
suppressed too. Pure functions over plain dicts; ~1 µs per record.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

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
    generalised: dict[str, int] = field(default_factory=dict)  # element → records changed
    unique_before: int = 0  # records alone in their group before treatment
    below_k_before: int = 0  # records in groups smaller than k before treatment
    classes: int = 0
    k_achieved: int | None = None
    l_achieved: dict[str, int | None] = field(default_factory=dict)


def anonymise(values: Sequence[dict[str, Any]], coarser: Sequence[dict[str, Any]],
              quasi: Sequence[str], sensitive: Sequence[str], k: int, l: int | None = None) -> RiskOutcome:  # noqa: E741
    """Make a batch k-anonymous over ``quasi`` (and l-diverse when ``l`` is set)."""
    quasi = tuple(quasi)
    n = len(values)
    final = list(values)
    keys = group_keys(values, quasi)
    counts = Counter(keys)
    outcome = RiskOutcome([], final)
    outcome.unique_before = sum(1 for c in counts.values() if c == 1)
    outcome.below_k_before = sum(c for c in counts.values() if c < k)
    blank = tuple(q for q in LAST_RESORT if q in quasi)
    for step in (1, 2):
        small = [i for i in range(n) if counts[keys[i]] < k]
        if not small:
            break
        for i in small:
            v = dict(final[i])
            if step == 1:
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


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
