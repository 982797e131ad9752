"""A passphrase strength estimate for the meter in the set-up wizard and user dialogs.

A rough entropy count (length × log2 of the alphabet in use, less for repeated
characters), enough to steer people to four unrelated words instead of a short
password. It is advice, not the rule: the store enforces only a minimum length.
"""

from __future__ import annotations

import math
import unicodedata

from tipintake.i18n import _
from tipintake.store.session import MIN_PASSPHRASE


def entropy_bits(passphrase: str) -> float:
    """Estimated bits of entropy of ``passphrase``."""
    if not passphrase:
        return 0.0
    alphabet = 0
    if any(c.islower() and c.isascii() for c in passphrase):
        alphabet += 26
    if any(c.isupper() and c.isascii() for c in passphrase):
        alphabet += 26
    if any(unicodedata.category(c) == "Nd" for c in passphrase):
        alphabet += 10
    if any(c.isascii() and not c.isalnum() for c in passphrase):
        alphabet += 33
    if any(not c.isascii() for c in passphrase):
        alphabet += 100  # Thai, Khmer and Burmese letters: a large alphabet
    distinct = len(set(passphrase))
    # Repeats add little: count distinct characters fully, the rest at a quarter.
    effective = distinct + (len(passphrase) - distinct) / 4
    return effective * math.log2(max(alphabet, 2))


def strength(passphrase: str) -> tuple[int, str]:
    """A score 0–4 and a one-word verdict in the interface language."""
    if len(passphrase) < MIN_PASSPHRASE:
        return 0, _("Too short")
    bits = entropy_bits(passphrase)
    if bits < 45:
        return 1, _("Weak")
    if bits < 60:
        return 2, _("Fair")
    if bits < 80:
        return 3, _("Good")
    return 4, _("Strong")
