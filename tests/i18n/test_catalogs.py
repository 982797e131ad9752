"""Every catalog is complete, consistent with the sources, the glossary and its placeholders."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from tipintake.i18n import LANGUAGES
from tipintake.i18n import catalogs as cat
from tipintake.i18n.normalize import fold_for_search

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


def _key(msg) -> tuple[str | None, str]:  # noqa: ANN001 - babel Message
    mid = msg.id[0] if isinstance(msg.id, (tuple, list)) else msg.id
    return (msg.context, mid)


@pytest.fixture(scope="module")
def template():
    return cat.load(cat.pot_path())


@pytest.fixture(scope="module")
def source_messages() -> set[tuple[str | None, str]]:
    """What extraction finds in the checkout right now (sources and forms)."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        mid = message[0] if isinstance(message, (tuple, list)) else message
        if mid:
            found.add((context, mid))
    return found


def test_template_holds_every_message_of_the_sources_and_forms(template, source_messages):
    in_template = {_key(m) for m in template if m.id}
    missing = sorted(source_messages - in_template, key=str)
    assert not missing, f"run `make catalogs` ({len(missing)} new messages, e.g. {missing[:3]})"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_exactly_the_template_messages(lang, template):
    catalog = cat.load(cat.po_path(lang), lang)
    assert {_key(m) for m in catalog if m.id} == {_key(m) for m in template if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_complete_without_fuzzy_entries_and_placeholders_match(lang):
    report = cat.check(lang)
    assert report.total > 0
    assert not report.missing, f"{lang}: {len(report.missing)} untranslated, e.g. {report.missing[:3]}"
    assert not report.fuzzy, f"{lang}: fuzzy {report.fuzzy[:3]}"
    assert not report.placeholder_errors, f"{lang}: placeholders differ {report.placeholder_errors[:3]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_translation_awaits_native_speaker_review(lang):
    text = cat.po_path(lang).read_text(encoding="utf-8")
    assert cat.check(lang).review_header
    assert "awaits review by a native speaker" in text.replace("\n# ", " ")


def test_placeholder_check_catches_a_mistranslated_placeholder():
    assert cat.placeholders("Sent {count} records to {partner}") == {"count", "partner"}
    assert cat.placeholders("ส่ง {count} รายการถึง {partnr}") != cat.placeholders("Sent {count} records to {partner}")
    assert cat.placeholders("field ${{{ref}}}") == {"ref"}


def _glossary() -> list[dict[str, str]]:
    with (ROOT / "locales" / "glossary.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_glossary_has_every_language():
    rows = _glossary()
    assert {"trafficking", "exploitation", "consent", "survivor", "referral", "withdrawal"} <= {r["en"] for r in rows}
    for row in rows:
        for lang in TRANSLATED:
            assert row[lang].strip(), f"glossary: no {lang} term for {row['en']}"


def _uses(term: str, text: str) -> bool:
    return any(fold_for_search(alt) in fold_for_search(text) for alt in term.split("|"))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalog_uses_the_glossary_term_wherever_the_source_has_it(lang):
    """Where the English has a glossary term as a whole word (outside placeholders and the
    listed other senses, e.g. "intimate partner"), the translation contains the term."""
    rows = _glossary()
    catalog = cat.load(cat.po_path(lang), lang)
    problems = []
    for msg in catalog:
        if not msg.id or not msg.string:
            continue
        source = msg.id[-1] if isinstance(msg.id, (tuple, list)) else msg.id
        target = " ".join(msg.string) if isinstance(msg.string, (tuple, list)) else msg.string
        source = re.sub(r"\{[^{}]*\}", " ", source)
        for row in rows:
            text = source
            if row["except"]:
                text = re.sub(row["except"], " ", text, flags=re.IGNORECASE)
            if re.search(rf"\b{re.escape(row['en'])}\b", text, re.IGNORECASE) and not _uses(row[lang], target):
                problems.append(f"{row['en']!r} -> {row[lang]!r} missing in: {source!r} = {target!r}")
    assert not problems, "\n".join(problems[:10])


_SCRIPTS = {"th": r"[\u0e00-\u0e7f]", "km": r"[\u1780-\u17ff]", "my": r"[\u1000-\u109f]"}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_do_not_mix_in_another_scripts_letters(lang):
    """A Thai entry with a Khmer letter (they look alike to a tired eye) is a typo."""
    catalog = cat.load(cat.po_path(lang), lang)
    problems = []
    for msg in catalog:
        if not msg.id or not msg.string:
            continue
        source = " ".join(msg.id) if isinstance(msg.id, (tuple, list)) else msg.id
        target = " ".join(msg.string) if isinstance(msg.string, (tuple, list)) else msg.string
        for other, pattern in _SCRIPTS.items():
            if other != lang and re.search(pattern, target) and not re.search(pattern, source):
                problems.append(f"{other} letters in {lang}: {source!r} = {target!r}")
    assert not problems, "\n".join(problems[:10])
