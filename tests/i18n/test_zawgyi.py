"""Burmese typed in Zawgyi is detected and converted; Unicode Burmese, Shan and Mon are left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tipintake.i18n.normalize import fold_for_search
from tipintake.i18n.zawgyi import (
    CONVERT_THRESHOLD,
    classify,
    normalize_burmese,
    zawgyi_probability,
    zawgyi_to_unicode,
)

pytest.importorskip("icu")

# (Zawgyi as typed, the same words in Unicode Burmese)
PAIRS = [
    ("ေက်းဇူးတင္ပါတယ္", "ကျေးဇူးတင်ပါတယ်"),  # thank you
    ("ျမန္မာ", "မြန်မာ"),  # Myanmar
    ("ၿမိဳ႕", "မြို့"),  # town
    ("ကၽြန္ေတာ္", "ကျွန်တော်"),  # I (male speaker)
    ("ေရႊ", "ရွှေ"),  # gold
    ("ႀကိဳဆိုပါတယ္", "ကြိုဆိုပါတယ်"),  # welcome
    ("အလုပ္ရွင္က ပတ္စပို႔ကို သိမ္းထားသည္", "အလုပ်ရှင်က ပတ်စပို့ကို သိမ်းထားသည်"),  # the employer kept the passport
    ("သူ၏ နာမည္မွာ ေမာင္ေမာင္ ျဖစ္သည္", "သူ၏ နာမည်မှာ မောင်မောင် ဖြစ်သည်"),
]

UNICODE_BURMESE = [
    "မင်္ဂလာပါ",
    "ကျေးဇူးတင်ပါတယ်",
    "ရန်ကုန်မြို့",
    "ကျွန်ုပ်",
    "ပြည်ထောင်စုသမ္မတမြန်မာနိုင်ငံတော်",
    "လူကုန်ကူးမှု",
    "သဘောတူညီချက်",
    "ဆေးရုံသို့ လွှဲပြောင်းပေးခြင်း",
    "အလုပ်ရှင်က ပတ်စပို့ကို သိမ်းထားသည်",
    "သူမသည် ထိုင်းနိုင်ငံရှိ ငါးဖမ်းလှေပေါ်တွင် အလုပ်လုပ်ခဲ့သည်",
    "၁၂၃၄",
]

SHAN = [
    "မႂ်ႇသုင်ၶႃႈ",
    "ၵႂၢမ်းတႆး",
    "ဝီႇၶီႇၽီးတီးယႃး ပဵၼ်ပပ်ႉသၢၼ်ႈၶေႃႈမုၼ်း",
    "ၸိူဝ်းၵူၼ်းတႆး",
]
MON = [
    "ဘာသာမန်",
    "မ္ၚဵုရအဴ",
    "ပ္ဍဲဍုၚ်ဂၠးမန်",
    "ဂကောံမန်",
]


@pytest.mark.parametrize(("zawgyi", "unicode"), PAIRS)
def test_known_zawgyi_converts_exactly(zawgyi, unicode):
    assert zawgyi_to_unicode(zawgyi) == unicode


@pytest.mark.parametrize(("zawgyi", "unicode"), [p for p in PAIRS if zawgyi_probability(p[0]) >= CONVERT_THRESHOLD])
def test_zawgyi_input_is_stored_as_unicode_and_the_original_kept(zawgyi, unicode):
    result = normalize_burmese(zawgyi)
    assert result.decision == "zawgyi"
    assert result.text == unicode
    assert result.original == zawgyi
    assert result.converted


def test_most_known_pairs_are_detected_with_certainty():
    sure = [z for z, _u in PAIRS if classify(z)[0] == "zawgyi"]
    assert len(sure) >= len(PAIRS) - 1


def test_uncertain_text_asks_and_converts_only_when_confirmed():
    text = "မဂၤလာပါ"  # short Zawgyi "hello": the detector is not sure
    decision, p = classify(text)
    assert decision == "ask" and 0.05 <= p < 0.95
    assert normalize_burmese(text).text == text
    assert normalize_burmese(text, confirmed_zawgyi=True).text == "မင်္ဂလာပါ"


@pytest.mark.parametrize("text", UNICODE_BURMESE)
def test_unicode_burmese_is_never_converted(text):
    decision, p = classify(text)
    assert decision == "unicode", p
    result = normalize_burmese(text)
    assert result.text == text and not result.converted
    assert fold_for_search(text) == fold_for_search(fold_for_search(text))


@pytest.mark.parametrize("text", SHAN + MON)
def test_shan_and_mon_are_not_mistaken_for_zawgyi(text):
    assert zawgyi_probability(text) < CONVERT_THRESHOLD
    assert normalize_burmese(text).text == text
    assert classify(text)[0] != "zawgyi"


@pytest.mark.parametrize("text", ["", "hello", "สวัสดี", "សួស្ដី"])
def test_text_without_burmese_scores_zero(text):
    assert zawgyi_probability(text) == 0.0
    assert classify(text) == ("unicode", 0.0)


# Real Unicode Burmese words (names, places and intake vocabulary) for random sentences.
BURMESE_WORDS = [
    "မောင်မောင်", "အောင်ကျော်", "သီတာ", "နန်းဝါ", "ခင်မြင့်", "ရန်ကုန်", "မန္တလေး", "မြဝတီ",
    "ထိုင်း", "မလေးရှား", "အလုပ်ရှင်", "ပတ်စပို့", "လုပ်ခ", "ငါးဖမ်းလှေ", "စက်ရုံ", "အိမ်အကူ",
    "ကြွေးမြီ", "ခြိမ်းခြောက်", "ထွက်ပြေး", "ရဲစခန်း", "ဆေးရုံ", "သဘောတူညီချက်", "လွှဲပြောင်း",
    "ကျွန်မ", "ကျွန်တော်", "သူ", "ကို", "မှာ", "သည်", "ခဲ့", "ပါ", "၂၀၂၄", "နှစ်", "လ", "ရက်",
]


@given(st.lists(st.sampled_from(BURMESE_WORDS), min_size=1, max_size=12), st.sampled_from(["", " ", "\u200b"]))
def test_random_unicode_burmese_text_is_stored_unchanged(words, sep):
    text = sep.join(words)
    assert normalize_burmese(text).text == text
    assert fold_for_search(text) == fold_for_search(text.replace("\u200b", ""))


@given(
    st.lists(st.sampled_from(BURMESE_WORDS), min_size=1, max_size=12, unique=True),
    st.sampled_from(["", " ", "\u200b"]),
)
def test_random_unicode_burmese_sentences_are_never_taken_for_zawgyi(words, sep):
    # Unique words: a word repeated many times ("သူသူသူသူ") can score above 0.95, but
    # its code points mean the same in both encodings and conversion leaves it as is.
    text = sep.join(words)
    assert classify(text)[0] != "zawgyi", text
