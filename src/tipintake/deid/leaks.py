"""The leak scan: outgoing values checked against the person's identity and ID patterns.

Defence in depth behind the sensitivity rules. Each outgoing value (and each "other,
specify"-style text answer kept with the case context) is folded with
``fold_for_search`` (Zawgyi converted, Khmer and Thai variants unified, native digits
made ASCII, case folded) and searched for:

- the case's own identity answers, folded the same way: names (each name word too),
  e-mail, address, and, for phone and ID numbers, their digits (the last nine too, so a
  number written with or without its country code still matches); Burmese needles are
  also converted as if they were Zawgyi, so either encoding on either side matches;
- identifier patterns of the region: e-mail addresses, phone numbers, the Thai 13-digit
  ID, the Indonesian 16-digit NIK, the Malaysian MyKad (YYMMDD-PB-###G), the Myanmar
  NRC (12/ABCDE(N)123456, Burmese script too), the Cambodian 9-10 digit national ID and
  passport numbers.

A hit returns a reason naming the field and what it looks like, never the value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tipintake.i18n import _
from tipintake.i18n.digits import to_ascii_digits
from tipintake.i18n.normalize import fold_for_search, strip_invisible
from tipintake.i18n.zawgyi import has_myanmar

SEP = "\x1f"
MIN_TEXT = 3
MIN_DIGITS = 6
_NON_DIGIT = re.compile(r"[^0-9\x1f]")
_ASCII_WORDS = re.compile(r"[0-9a-z]+")
# Bytes outside [0-9a-z] become spaces: splitting then yields the maximal ASCII runs of
# letters and digits (non-ASCII characters separate words), at C speed.
_WORD_BYTES = bytes.maketrans(bytes(range(256)),
                              bytes(i if 48 <= i <= 57 or 97 <= i <= 122 else 32 for i in range(256)))


def ascii_words(folded: str) -> list[bytes]:
    """The maximal runs of ASCII letters and digits in (case-folded) text."""
    return folded.encode("utf-8", "surrogatepass").translate(_WORD_BYTES).split()


_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060\ufeff\u17b4\u17b5]")
_WORDS = re.compile(r"[\s,;:/()\[\]{}\"'.\-_]+")

# Checked on folded text (lower case, ASCII digits); the first match names the kind.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[^\s@\x1f]+@[^\s@\x1f]+\.[a-z]{2,}")),
    ("mm_nrc", re.compile(r"\d{1,2}\s?/\s?[^\s/()\x1f]{2,16}\s?\([^()\x1f]{1,12}\)\s?\d{5,6}")),
    ("my_mykad", re.compile(r"(?<!\d)\d{6}-\d{2}-\d{4}(?!\d)")),
    ("th_id", re.compile(r"(?<!\d)\d[\s-]\d{4}[\s-]\d{5}[\s-]\d{2}[\s-]\d(?!\d)|(?<!\d)\d{13}(?!\d)")),
    ("id_nik", re.compile(r"(?<!\d)\d{16}(?!\d)")),
    ("my_mykad", re.compile(r"(?<!\d)\d{12}(?!\d)")),
    ("kh_id", re.compile(r"(?<!\d)\d{9,10}(?!\d)")),
    ("passport", re.compile(r"(?<![a-z0-9])[a-z]{1,2}\d{6,8}(?![a-z0-9])")),
    ("phone", re.compile(r"(?<![\d])\+?\d[\d\s().-]{5,18}\d(?!\d)")),
)
_ANY_PATTERN = re.compile("|".join(f"(?:{p.pattern})" for _k, p in PATTERNS))


def pattern_label(kind: str) -> str:
    """What an identifier pattern is, for a reason."""
    return {
        "email": _("an e-mail address"),
        "mm_nrc": _("a Myanmar NRC number"),
        "my_mykad": _("a Malaysian MyKad number"),
        "th_id": _("a Thai national ID number"),
        "id_nik": _("an Indonesian NIK"),
        "kh_id": _("a Cambodian national ID number"),
        "passport": _("a passport number"),
        "phone": _("a phone number"),
    }.get(kind, _("an identifier"))


def needle_label(kind: str) -> str:
    """What an identity needle is, for a reason."""
    return {
        "name": _("the person's name"),
        "phone": _("the person's phone number"),
        "email": _("the person's e-mail address"),
        "id": _("the person's ID number"),
        "address": _("the person's address"),
    }.get(kind, _("one of the person's identity answers"))


@dataclass(frozen=True)
class Needles:
    """One case's identity, folded for matching."""

    text: tuple[tuple[str, str], ...]  # (folded needle, kind)
    digits: tuple[tuple[str, str], ...]  # (digits, kind)


def _variants(value: str) -> list[str]:
    out = [value]
    if has_myanmar(value):
        try:
            from tipintake.i18n.zawgyi import zawgyi_to_unicode

            out.append(zawgyi_to_unicode(value))  # as if typed in Zawgyi: both encodings match
        except Exception:  # noqa: BLE001 - the converter is optional; Unicode still matches
            pass
    return out


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        yield str(value)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _cheap_fold(value: str) -> str:
    """Case and invisible-character folding only: enough to find the ASCII part of a value."""
    return value.lower() if value.isascii() else unicodedata.normalize(
        "NFKC", strip_invisible(value)).casefold()


def build_needles(identity: dict[str, Any], fields: dict[str, str],
                  originals: dict[str, Any] | None = None, *, ascii_only: bool = False) -> Needles:
    """Needles from the identity answers of ``fields`` (field → kind) and their Zawgyi originals.

    With ``ascii_only`` (the text searched is all ASCII, as codes are) only needles that
    can match ASCII are built, which skips the costly script folding of Thai, Khmer and
    Burmese names: they cannot occur in ASCII text.
    """
    text: dict[str, str] = {}
    digits: dict[str, str] = {}
    for name, kind in fields.items():
        raw = list(_strings(identity.get(name)))
        if originals and name in originals:
            raw += list(_strings(originals[name]))
        for value in raw:
            only_digits = _NON_DIGIT.sub("", to_ascii_digits(value))
            if len(only_digits) >= MIN_DIGITS and kind in ("phone", "id", "identifier"):
                digits[only_digits] = kind
                if len(only_digits) > 9:
                    digits[only_digits[-9:]] = kind
                if kind in ("phone", "id"):
                    continue
            if ascii_only:
                folded = [_cheap_fold(value)]
            else:
                folded = [fold_for_search(v).strip() for v in _variants(value)]
            for f in folded:
                words = [f, *(_WORDS.split(f) if kind == "name" else ())]
                for word in words:
                    word = word.strip()
                    if len(word) >= MIN_TEXT and not word.isdigit() and (word.isascii() or not ascii_only):
                        text[word] = kind
    return Needles(tuple(text.items()), tuple(digits.items()))


def _word_hit(hay: str, needle: str) -> bool:
    """Substring match; ASCII needles must also sit on word boundaries (no 'Ann' in 'Annual')."""
    start = hay.find(needle)
    if start < 0:
        return False
    if not needle.isascii():
        return True  # Thai, Khmer, Burmese have no spaces between words
    n = len(needle)
    while start >= 0:
        before = hay[start - 1] if start else " "
        after = hay[start + n] if start + n < len(hay) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        start = hay.find(needle, start + 1)
    return False


@dataclass(frozen=True)
class Summary:
    """What the scan needs to know about some outgoing values, computed once per distinct part."""

    words: frozenset[bytes]  # their ASCII words (digit-only words excluded)
    risky: bool  # non-ASCII text, a long digit run or an identifier pattern: scan in full


def summarise(values: dict[str, Any]) -> Summary:
    """The summary of ``values`` (see :class:`Summary`)."""
    _keys, parts = Scanner()._hay(values)
    words = frozenset().union(*(p[1] for p in parts)) if parts else frozenset()
    risky = any(not p[0].isascii() or len(p[2]) >= MIN_DIGITS or not p[3] for p in parts)
    return Summary(words, risky)


def identity_words(identity: dict[str, Any], fields: dict[str, str],
                   originals: dict[str, Any] | None = None) -> set[bytes]:
    """The ASCII words a text needle of this identity can consist of."""
    strings = []
    for name in fields:
        v = identity.get(name)
        if v.__class__ is str:
            strings.append(v)
        elif v is not None:
            strings.extend(_strings(v))
        if originals and name in originals:
            strings.extend(_strings(originals[name]))
    blob = SEP.join(strings)
    blob = blob.lower() if blob.isascii() else _INVISIBLE.sub("", blob).casefold()
    # Every word, short ones too: a needle is a name word or a whole value ("Li Bo"), and a
    # needle found at word boundaries consists of words of the values searched.
    return set(ascii_words(blob))


class Scanner:
    """Scans many records; remembers what it learnt about each distinct outgoing string.

    Outgoing values are mostly codes that repeat across thousands of records, so each
    distinct string is folded, split into words, stripped to digits and pattern-checked
    once per scanner. For all-ASCII values (the usual case) a text needle can only match
    whole words, so a case none of whose identity words is a word of its values, and
    whose values hold no long digit run, is clean without building its needles.
    """

    def __init__(self) -> None:
        # raw → (folded, words, digits, clean of identifier patterns)
        self._parts: dict[str, tuple[str, frozenset[bytes], str, bool]] = {}
        self._texts: dict[str, Summary] = {}

    def _part(self, value: str) -> tuple[str, frozenset[bytes], str, bool]:
        info = self._parts.get(value)
        if info is None:
            if value.isascii():
                folded = value.lower()
            else:
                # Both readings of Burmese (as typed, and as if typed in Zawgyi): a short or
                # mixed answer may score below the detector's threshold.
                folded = SEP.join(dict.fromkeys(fold_for_search(v) for v in _variants(value)))
            words = frozenset(w for w in ascii_words(folded) if not w.isdigit()) \
                if folded.isascii() else frozenset()
            info = (folded, words, _NON_DIGIT.sub("", folded), pattern_kind(folded) is None)
            if len(self._parts) < 50_000:
                self._parts[value] = info
        return info

    def _hay(self, values: dict[str, Any]) -> tuple[list[str], list[tuple[str, frozenset[bytes], str, bool]]]:
        keys: list[str] = []
        parts: list[tuple[str, frozenset[bytes], str, bool]] = []
        part = self._part
        for key, value in values.items():
            cls = value.__class__
            if cls is str:
                keys.append(key)
                parts.append(part(value))
            elif cls is int:
                if abs(value) >= 100_000:  # long enough to be a phone or ID number
                    keys.append(key)
                    parts.append(part(str(value)))
            elif cls is list:
                for item in value:
                    if isinstance(item, str):
                        keys.append(key)
                        parts.append(part(item))
        return keys, parts

    def scan(self, values: dict[str, Any], identity: dict[str, Any], fields: dict[str, str],
             originals: dict[str, Any] | None = None,
             words: set[bytes] | None = None) -> tuple[str, str] | None:
        """The first leak in ``values`` as (field, reason), or None when they are clean.

        ``words`` are the case's :func:`identity_words` when the caller has them already.
        """
        keys, parts = self._hay(values)
        if not parts:
            return None
        folded = [p[0] for p in parts]
        hay = SEP.join(folded)
        ascii_hay = hay.isascii()
        if (not ascii_hay or any(len(p[2]) >= MIN_DIGITS for p in parts)
                or self._shares_words(parts, identity, fields, originals, words)):
            hit = self._precise(keys, folded, hay, identity, fields, originals, ascii_hay)
            if hit is not None:
                return hit
        for key, p in zip(keys, parts, strict=True):
            if not p[3]:
                return key, pattern_label(pattern_kind(p[0]) or "")
        return None

    def scan_summarised(self, summaries: list[Summary], values: dict[str, Any],
                        identity: dict[str, Any], fields: dict[str, str],
                        originals: dict[str, Any] | None = None,
                        vocabulary: set[bytes] | None = None,
                        words: set[bytes] | None = None) -> tuple[str, str] | None:
        """:meth:`scan`, skipped when the summaries show that no needle or pattern can match.

        ``vocabulary`` (a superset of the summaries' words) lets most cases be cleared with
        one set operation.
        """
        if words is None:
            words = identity_words(identity, fields, originals)
        if any(s.risky for s in summaries):
            return self.scan(values, identity, fields, originals, words)
        if vocabulary is not None and words.isdisjoint(vocabulary):
            return None  # no identity word occurs in any value of the batch so far
        if words and any(not words.isdisjoint(s.words) for s in summaries):
            return self.scan(values, identity, fields, originals, words)
        return None

    def scan_texts(self, texts: dict[str, Any], identity: dict[str, Any], fields: dict[str, str],
                   originals: dict[str, Any] | None = None,
                   words: set[bytes] | None = None) -> tuple[str, str] | None:
        """:meth:`scan` for text answers, each distinct text summarised once."""
        summaries = []
        for value in texts.values():
            if value.__class__ is not str:
                return self.scan(texts, identity, fields, originals, words)
            summary = self._texts.get(value)
            if summary is None:
                summary = summarise({"": value})
                if len(self._texts) < 50_000:
                    self._texts[value] = summary
            summaries.append(summary)
        if not summaries:
            return None
        return self.scan_summarised(summaries, texts, identity, fields, originals, None, words)

    @staticmethod
    def _shares_words(parts: list[tuple[str, frozenset[bytes], str, bool]], identity: dict[str, Any],
                      fields: dict[str, str], originals: dict[str, Any] | None,
                      words: set[bytes] | None = None) -> bool:
        """Whether an identity word is a word of these (ASCII) values: needed for a text hit."""
        if words is None:
            words = identity_words(identity, fields, originals)
        return any(not words.isdisjoint(p[1]) for p in parts)

    def _precise(self, keys: list[str], folded: list[str], hay: str, identity: dict[str, Any],
                 fields: dict[str, str], originals: dict[str, Any] | None,
                 ascii_hay: bool) -> tuple[str, str] | None:
        needles = build_needles(identity, fields, originals, ascii_only=ascii_hay)
        for needle, kind in needles.text:
            if needle in hay and _word_hit(hay, needle):
                field = next(k for k, p in zip(keys, folded, strict=True) if _word_hit(p, needle))
                return field, needle_label(kind)
        if needles.digits:
            dhay = _NON_DIGIT.sub("", hay)
            for needle, kind in needles.digits:
                if needle in dhay:
                    field = next((k for k, p in zip(keys, folded, strict=True)
                                  if needle in _NON_DIGIT.sub("", p)), keys[0])
                    return field, needle_label(kind)
        return None


def pattern_kind(text: str) -> str | None:
    """The kind of identifier pattern folded ``text`` contains, or None."""
    if not _ANY_PATTERN.search(text):
        return None
    for kind, pattern in PATTERNS:
        if pattern.search(text) and (kind != "phone" or _is_phone(pattern, text)):
            return kind
    return None


def scan(values: dict[str, Any], identity: dict[str, Any], fields: dict[str, str],
         originals: dict[str, Any] | None = None) -> tuple[str, str] | None:
    """Scan one record's values (a convenience for tools and tests; batches use a Scanner)."""
    return Scanner().scan(values, identity, fields, originals)


def _is_phone(pattern: re.Pattern[str], text: str) -> bool:
    # A phone number has at least 9 digits (with its area code); "2019-2020" must not count.
    return any(len(_NON_DIGIT.sub("", m.group())) >= 9 for m in pattern.finditer(text))
