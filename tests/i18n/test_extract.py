"""The form extractor finds every form text, with unambiguous contexts the app looks up."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from tipintake.i18n.extract import extract_forms
from tipintake.i18n.formtext import choice_context, field_context, form_context

ROOT = Path(__file__).resolve().parents[2]
FORMS = sorted((ROOT / "forms").glob("*.yaml"))
TEXT_KEYS = ("label", "hint", "constraint_message", "required_message")

SMALL_FORM = """\
id: mini
version: "1"
title: A small form
languages: [en, th]
choices:
  colour:
    - {value: red, label: Red}
    - {value: blue, label: {en: Blue, th: สีน้ำเงิน}}
fields:
  - name: about
    type: group
    label: About the person
    fields:
      - name: age
        type: integer
        label: Age in years
        hint: Ask gently.
        sensitivity: quasi_identifier
        constraint: ". < 130"
        constraint_message: Too old.
        required: true
        required_message: Age is needed.
      - name: colour
        type: select_one colour
        label: Favourite colour
        sensitivity: none
      - name: pet
        type: select_one
        label: Pet
        sensitivity: none
        choices:
          - {value: cat, label: Cat}
          - {value: dog, label: Dog}
      - name: ok
        type: yes_no_unknown
        label: All right?
        sensitivity: none
"""


def _extract(text: str, name: str = "forms/mini.yaml") -> list[tuple]:
    fh = io.BytesIO(text.encode("utf-8"))
    fh.name = name
    return list(extract_forms(fh, {}, [], {}))


def _raw_english_texts(path: Path) -> list[str]:
    """Every English text in a form file, read independently of the extractor."""
    from tipintake.forms.yamlsrc import load_yaml

    data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    out: list[str] = []

    def english(value) -> str | None:  # noqa: ANN001
        if isinstance(value, str):
            return value
        if isinstance(value, dict):
            return value.get("en")
        return None

    for key in ("title", "description"):
        if english(data.get(key)):
            out.append(" ".join(english(data[key]).split()))

    def walk(fields) -> None:  # noqa: ANN001
        for f in fields or []:
            for key in TEXT_KEYS:
                if english(f.get(key)):
                    out.append(english(f[key]))
            if isinstance(f.get("choices"), list):
                out.extend(english(c.get("label")) or c["value"] for c in f["choices"] if isinstance(c, dict))
            walk(f.get("fields"))

    walk(data.get("fields"))
    for items in (data.get("choices") or {}).values():
        for c in items:
            if isinstance(c, dict) and english(c.get("label")):
                out.append(english(c["label"]))
    return out


def test_small_form_yields_every_text_with_its_context():
    got = {(m[2][0], m[2][1]) for m in _extract(SMALL_FORM)}
    assert all(m[1] == "pgettext" for m in _extract(SMALL_FORM))
    expected = {
        (form_context("mini", "title"), "A small form"),
        (field_context("mini", "about", "label"), "About the person"),
        (field_context("mini", "age", "label"), "Age in years"),
        (field_context("mini", "age", "hint"), "Ask gently."),
        (field_context("mini", "age", "constraint_message"), "Too old."),
        (field_context("mini", "age", "required_message"), "Age is needed."),
        (field_context("mini", "colour", "label"), "Favourite colour"),
        (choice_context("mini", "@colour", "red"), "Red"),
        (choice_context("mini", "@colour", "blue"), "Blue"),
        (choice_context("mini", "pet", "cat"), "Cat"),
        (choice_context("mini", "pet", "dog"), "Dog"),
        (choice_context("mini", "@yes_no_unknown", "yes"), "Yes"),
        (choice_context("mini", "@yes_no_unknown", "refused"), "Refused to answer"),
    }
    assert expected <= got
    assert ("mini:age:label", "Age in years") in got  # the documented format, literally


def test_contexts_are_unique_and_comments_give_the_field_path():
    messages = _extract(SMALL_FORM)
    contexts = [m[2][0] for m in messages]
    assert len(contexts) == len(set(contexts))
    age = next(m for m in messages if m[2][0] == "mini:age:label")
    assert "about/age" in age[3][0]


@pytest.mark.skipif(not FORMS, reason="no form files yet")
@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_extraction_finds_every_string_of_the_shipped_forms(path):
    extracted = {m[2][1] for m in _extract(path.read_text(encoding="utf-8"), str(path))}
    normalised = {" ".join(t.split()) for t in extracted}
    missing = [t for t in _raw_english_texts(path) if t not in extracted and " ".join(t.split()) not in normalised]
    assert not missing, missing[:5]


def test_pybabel_uses_the_entry_point_named_in_babel_cfg(tmp_path):
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "mini.yaml").write_text(SMALL_FORM, encoding="utf-8")
    (tmp_path / "babel.cfg").write_text((ROOT / "babel.cfg").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg", "-o", str(out), "."],
        cwd=tmp_path,
        check=True,
    )
    pot = out.read_text(encoding="utf-8")
    assert 'msgctxt "mini:age:hint"' in pot
    assert 'msgid "Ask gently."' in pot
