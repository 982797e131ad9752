"""Text folding for search: one form for indexing and for queries, in every script.

The store indexes ``fold_for_search(answer)`` with FTS5 trigram and folds each query
the same way, so two spellings a reader sees as the same word must fold alike:

- NFC, then case folding;
- Burmese typed in Zawgyi is converted to Unicode when the detector is sure (≥ 0.95);
- Khmer spelling variants NFC leaves apart are unified (subscript TA/DA, the order of
  coeng RO in a cluster, split vowels, deprecated letters, vowel/shifter order);
- Thai: SARA AM typed as NIKHAHIT + SARA AA, tone mark typed before an upper vowel;
- native digits become ASCII; zero-width characters and soft hyphens disappear.

It runs on every save (~150 answers) and on every keystroke of a search, so text
without Thai, Khmer or Burmese takes a short path and each script's rules run only
when that script is present.
"""

from __future__ import annotations

import re
import unicodedata

from tipintake.i18n.digits import to_ascii_digits

__all__ = ["MIN_TRIGRAM", "fold_for_search", "needs_fallback", "strip_invisible"]

#: FTS5's trigram tokenizer matches nothing for shorter queries.
MIN_TRIGRAM = 3

# Invisible characters that change nothing a reader sees but break substring matches:
# ZWSP (Khmer and Burmese word breaks), ZWNJ, ZWJ, LRM/RLM, word joiner, BOM,
# soft hyphen, Mongolian vowel separator, Khmer invisible inherent vowels.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x17B4, 0x17B5],
    None,
)

_KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")
_THAI = re.compile("[\u0e00-\u0e7f]")
_MYANMAR = re.compile("[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]")

_COENG = "\u17d2"
_KHMER_REPLACEMENTS = (
    # Subscript TA and subscript DA are drawn alike; dictionaries disagree on which
    # a word takes (ក្តៅ / ក្ដៅ). Fold both to DA.
    (_COENG + "\u178f", _COENG + "\u178a"),
    # Deprecated independent vowels (Unicode says: use the sequences instead).
    ("\u17a3", "\u17a2"),
    ("\u17a4", "\u17a2\u17b6"),
    # Split vowels typed as two parts: E + II = OE, E + AA = OO.
    ("\u17c1\u17b8", "\u17be"),
    ("\u17c1\u17b6", "\u17c4"),
    # NIKAHIT typed before vowel U: keep the order keyboards produce most (U then NIKAHIT).
    ("\u17c6\u17bb", "\u17bb\u17c6"),
    # BEYYAL is deprecated in favour of the three-character sequence.
    ("\u17d8", "\u17d4\u179b\u17d4"),
)
# Coeng RO is written first in the glyph but belongs last in the cluster
# (ស្ត្រី, not ស្រ្តី); both orders are common in typed text.
_KHMER_RO_FIRST = re.compile(_COENG + "\u179a(" + _COENG + "[\u1780-\u17a2])")
# A shifter (MUUSIKATOAN, TRIISAP) belongs before an above vowel; some keyboards put it after.
_KHMER_SHIFTER_AFTER = re.compile("([\u17b7-\u17ba\u17be])([\u17c9\u17ca])")

_THAI_REPLACEMENTS = (
    ("\u0e4d\u0e32", "\u0e33"),  # NIKHAHIT + SARA AA looks exactly like SARA AM
)
# A tone mark typed before an upper vowel (่ั instead of ั่): same glyphs, other order.
_THAI_TONE_FIRST = re.compile("([\u0e48-\u0e4b])([\u0e31\u0e34-\u0e37\u0e47])")
# NIKHAHIT, tone, SARA AA (the way some keyboards build น้ำ) -> tone + SARA AM.
_THAI_AM_SPLIT = re.compile("\u0e4d([\u0e48-\u0e4b])\u0e32")

_MYANMAR_REPLACEMENTS = (
    # Letter NYA-with-asat spelled with the vowel U (ဥ်) instead of NYA (ဉ်): the
    # same shape, frequent in text converted from Zawgyi.
    ("\u1025\u103a", "\u1009\u103a"),
)


def strip_invisible(text: str) -> str:
    """Remove zero-width and other invisible characters."""
    return text.translate(_INVISIBLE)


def _fold_khmer(text: str) -> str:
    for old, new in _KHMER_REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
    text = _KHMER_RO_FIRST.sub(r"\1" + _COENG + "\u179a", text)
    return _KHMER_SHIFTER_AFTER.sub(r"\2\1", text)


def _fold_thai(text: str) -> str:
    text = _THAI_AM_SPLIT.sub("\\1\u0e33", text)
    for old, new in _THAI_REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
    return _THAI_TONE_FIRST.sub(r"\2\1", text)


def _fold_myanmar(text: str) -> str:
    # Imported here: the detector loads its model on first use, and most text
    # (Latin, Thai, Khmer) never needs it.
    from tipintake.i18n.zawgyi import to_unicode_if_zawgyi

    text = to_unicode_if_zawgyi(text)
    for old, new in _MYANMAR_REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
    return text


def fold_for_search(text: str) -> str:
    """Fold text so that equivalent spellings index and match alike (see the module doc)."""
    if text.isascii():
        # Most answers are Latin (Indonesian, Malay, English, numbers): no script rules.
        return text.lower()
    text = strip_invisible(text)
    if _MYANMAR.search(text):
        # Zawgyi detection must see the marks in their typed order, before NFC moves them.
        text = _fold_myanmar(text)
    text = unicodedata.normalize("NFC", text).casefold()
    if not unicodedata.is_normalized("NFC", text):
        # Case folding can decompose (U+01F0 ǰ -> j + caron); the index wants one form.
        text = unicodedata.normalize("NFC", text)
    if _KHMER.search(text):
        text = _fold_khmer(text)
    if _THAI.search(text):
        text = _fold_thai(text)
    return to_ascii_digits(text)


def needs_fallback(query: str) -> bool:
    """True when the folded query is too short for FTS5 trigram (the store then uses LIKE)."""
    return len(fold_for_search(query).strip()) < MIN_TRIGRAM
