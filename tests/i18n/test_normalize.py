"""Search folding: the same word, however typed, folds to the same text."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tipintake.i18n.normalize import fold_for_search, needs_fallback


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ក្តៅ", "ក្ដៅ"),  # Khmer subscript TA vs DA ("hot")
        ("ស្ត្រី", "ស្រ្តី"),  # coeng RO before or after coeng TA ("woman")
        ("ឣ", "អ"),  # deprecated independent vowel
        ("ខេី", "ខើ"),  # split vowel typed in two parts
        ("น้ำ", "นํ้า"),  # Thai SARA AM typed as NIKHAHIT + SARA AA
        ("ที่", "ท่ี"),  # tone mark typed before the upper vowel
        ("ေက်းဇူးတင္ပါတယ္", "ကျေးဇူးတင်ပါတယ်"),  # Zawgyi vs Unicode Burmese
        ("Siti Nurhaliza", "SITI NURHALIZA"),
        ("STRASSE", "straße"),
        ("café", "cafe\u0301"),  # NFC
        ("อายุ ๒๕", "อายุ 25"),
        ("ខ្ញុំ\u200bទៅ", "ខ្ញុំទៅ"),  # zero-width space between Khmer words
        ("soft\u00adhyphen", "softhyphen"),
        ("\u01f0", "J\u030c"),  # case folding decomposes; the result is recomposed
    ],
)
def test_equivalent_spellings_fold_alike(a, b):
    assert fold_for_search(a) == fold_for_search(b)


@given(st.text())
def test_folding_is_idempotent(text):
    once = fold_for_search(text)
    assert fold_for_search(once) == once


@given(st.text())
def test_folded_text_is_nfc_and_has_no_zero_width_characters(text):
    folded = fold_for_search(text)
    assert unicodedata.is_normalized("NFC", folded)
    assert not any(ch in folded for ch in "\u200b\u200c\u200d\ufeff\u00ad")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("สมชาย", "ผู้ให้ข้อมูลชื่อสมชายทำงานบนเรือประมง"),
        ("សុខា", "ឈ្មោះសុខាធ្វើការនៅរោងចក្រ"),
        ("မောင်မောင်", "သူ၏နာမည်မှာမောင်မောင်ဖြစ်သည်"),
    ],
)
def test_names_inside_text_without_spaces_are_substrings_after_folding(name, text):
    assert fold_for_search(name) in fold_for_search(text)


def test_zawgyi_query_finds_unicode_text():
    stored = fold_for_search("အလုပ်ရှင်က ပတ်စပို့ကို သိမ်းထားသည်")
    assert fold_for_search("အလုပ္ရွင္က ပတ္စပို႔ကို") in stored


@pytest.mark.parametrize(
    ("query", "fallback"),
    [("ab", True), ("ก", True), ("ក្ដ", False), ("abc", False), ("\u200bab\u200b", True), ("", True), ("๑๒", True)],
)
def test_short_queries_need_the_like_fallback(query, fallback):
    assert needs_fallback(query) is fallback


def test_folding_a_save_of_150_answers_is_fast():
    answers = (
        ["Saya bekerja di kapal ikan selama dua tahun tanpa gaji"] * 60
        + ["ผู้ให้ข้อมูลถูกยึดหนังสือเดินทางโดยนายจ้าง"] * 30
        + ["ខ្ញុំត្រូវបានគេបោកប្រាស់ឱ្យទៅធ្វើការនៅថៃ"] * 30
        + ["အလုပ်ရှင်က ပတ်စပို့ကို သိမ်းထားသည်"] * 30
    )
    fold_for_search(answers[-1])  # load the Zawgyi model once
    start = time.perf_counter()
    for _ in range(10):
        for a in answers:
            fold_for_search(a)
    per_save = (time.perf_counter() - start) / 10
    assert per_save < 0.05, per_save  # measured ~2 ms; generous for a loaded CI machine
