"""Progress reports from long sync work (building, sending, writing to USB) to the caller.

The share screen passes a callable; the work calls it from its own (worker) thread
with a :class:`Progress`, which the screen turns into a progress bar and one line of
text. A callback must be quick and must not raise: it is advice, not control.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Stage = Literal["building", "sending", "writing", "verifying", "done"]


@dataclass(frozen=True)
class Progress:
    """Where a transfer stands: which batch of how many, and bytes (or records) within it."""

    stage: Stage
    partner: str
    batch_index: int = 0  # 0-based index of the batch being worked on
    batch_count: int = 0
    done: int = 0  # bytes (sending, writing) or records (building) done in this batch
    total: int = 0  # the same unit; 0 when unknown

    @property
    def fraction(self) -> float:
        """Overall completion between 0 and 1, for a progress bar."""
        if self.stage == "done":
            return 1.0
        if self.batch_count <= 0:
            return 0.0
        within = min(1.0, self.done / self.total) if self.total > 0 else 0.0
        return min(1.0, (self.batch_index + within) / self.batch_count)


ProgressCallback = Callable[[Progress], None]


def report(callback: ProgressCallback | None, progress: Progress) -> None:
    """Call the callback if there is one; a failing callback never stops the transfer."""
    if callback is None:
        return
    try:
        callback(progress)
    except Exception:  # noqa: BLE001 - a UI glitch must not abort a sync half way
        pass
