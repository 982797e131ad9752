"""Burmese encodings: detect Zawgyi, convert it to Unicode, keep the original.

Much Burmese is still typed with Zawgyi, a font hack that reuses Unicode's Myanmar
code points for other shapes. Text is scored with Google's ``myanmartools``
detector and handled as Google recommends: probability ≥ 0.95 converts
automatically, 0.05-0.95 asks the user, below 0.05 is taken as Unicode. Stored,
indexed and searched text is Unicode; the original typed text is kept beside it
(:class:`BurmeseText`), so a wrong guess can be undone.

Conversion is ICU's ``Zawgyi-my`` transform (``pyicu-wheels`` ships ICU with it).
Shan, Mon and other languages written in the Myanmar script score far below the
threshold and are never converted; neither is Unicode Burmese.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "ASK_THRESHOLD",
    "CONVERT_THRESHOLD",
    "BurmeseText",
    "ConverterUnavailable",
    "Decision",
    "classify",
    "has_myanmar",
    "normalize_burmese",
    "to_unicode_if_zawgyi",
    "zawgyi_probability",
    "zawgyi_to_unicode",
]

#: At or above this probability Zawgyi text is converted without asking.
CONVERT_THRESHOLD = 0.95
#: At or above this (and below CONVERT_THRESHOLD) the user is asked.
ASK_THRESHOLD = 0.05

Decision = Literal["unicode", "zawgyi", "ask"]

_MYANMAR = re.compile("[\u1000-\u109f]")
_lock = threading.Lock()
_detector = None
_transliterator = None


class ConverterUnavailable(RuntimeError):
    """ICU's Zawgyi-my transform cannot be loaded on this installation."""


def has_myanmar(text: str) -> bool:
    """True when ``text`` contains a character of the Myanmar block."""
    return _MYANMAR.search(text) is not None


def _get_detector() -> Any:
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from myanmartools import ZawgyiDetector

                _detector = ZawgyiDetector()
    return _detector


def zawgyi_probability(text: str) -> float:
    """Probability (0.0-1.0) that ``text`` is Zawgyi; 0.0 for text without Burmese."""
    if not has_myanmar(text):
        return 0.0
    p = _get_detector().get_zawgyi_probability(text)
    # The detector answers -inf when it finds nothing to score.
    if math.isnan(p) or p < 0.0:
        return 0.0
    return min(float(p), 1.0)


def classify(text: str) -> tuple[Decision, float]:
    """Decide what to do with typed or pasted text: ("unicode"|"zawgyi"|"ask", probability)."""
    p = zawgyi_probability(text)
    if p >= CONVERT_THRESHOLD:
        return "zawgyi", p
    if p >= ASK_THRESHOLD:
        return "ask", p
    return "unicode", p


def _get_transliterator() -> Any:
    global _transliterator
    if _transliterator is None:
        with _lock:
            if _transliterator is None:
                try:
                    import icu
                except ImportError as exc:
                    raise ConverterUnavailable(
                        "ICU is not installed; install pyicu-wheels for Zawgyi conversion."
                    ) from exc
                _transliterator = icu.Transliterator.createInstance("Zawgyi-my")
    return _transliterator


def zawgyi_to_unicode(text: str) -> str:
    """Convert Zawgyi-encoded text to Unicode Burmese, whatever its probability.

    Call it only for text known to be Zawgyi (:func:`classify` said so, or the user
    confirmed); Unicode text passed through it would be damaged.
    """
    if not has_myanmar(text):
        return text
    t = _get_transliterator()
    # One ICU transliterator object is shared; ICU does not promise it is re-entrant.
    with _lock:
        return t.transliterate(text)


def to_unicode_if_zawgyi(text: str) -> str:
    """Unicode text for storage and search: converted only when the detector is sure."""
    if not has_myanmar(text):
        return text
    if zawgyi_probability(text) < CONVERT_THRESHOLD:
        return text
    try:
        return zawgyi_to_unicode(text)
    except ConverterUnavailable:
        return text


@dataclass(frozen=True)
class BurmeseText:
    """The outcome of checking one entry: the text to store and what was typed."""

    text: str
    original: str
    decision: Decision
    probability: float

    @property
    def converted(self) -> bool:
        """True when ``text`` differs from what was typed."""
        return self.text != self.original


def normalize_burmese(text: str, *, confirmed_zawgyi: bool | None = None) -> BurmeseText:
    """Check an entry and convert it when sure (or when the user confirmed it is Zawgyi).

    ``confirmed_zawgyi`` is the user's answer after an "ask" decision: True converts,
    False keeps the text as typed, None applies the thresholds.
    """
    decision, p = classify(text)
    convert = decision == "zawgyi" if confirmed_zawgyi is None else confirmed_zawgyi
    out = text
    if convert and has_myanmar(text):
        try:
            out = zawgyi_to_unicode(text)
        except ConverterUnavailable:
            out = text
    return BurmeseText(text=out, original=text, decision=decision, probability=p)
