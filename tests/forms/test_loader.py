"""Loading YAML forms: errors name file, line and field; the format's rules hold."""

from __future__ import annotations

import textwrap

import pytest

from tipintake.errors import FormError
from tipintake.forms import (
    ROLES,
    Sensitivity,
    list_forms,
    load_form,
    load_form_file,
    load_form_text,
)

MINIMAL = """\
id: demo
version: "2"
fields:
  - name: age
    type: integer
    label: Age
    sensitivity: quasi_identifier
  - name: country
    type: select_one countries
    sensitivity: quasi_identifier
choices:
  countries:
    - {value: NO, label: Norway}
    - {value: TH, label: Thailand}
"""


def form_error(text: str, path: str = "forms/demo.yaml") -> FormError:
    with pytest.raises(FormError) as info:
        load_form_text(textwrap.dedent(text), path)
    return info.value


def test_the_standard_forms_are_listed_and_load():
    assert {"tip_intake", "follow_up"} <= set(list_forms())
    for form_id in list_forms():
        assert load_form(form_id).id == form_id


def test_unknown_field_in_constraint_names_file_line_and_field():
    text = MINIMAL.replace("    label: Age\n", "    label: Age\n    constraint: ${agee} < 120\n")
    err = form_error(text, "forms/tip_intake.yaml")
    assert str(err) == "forms/tip_intake.yaml line 7, field 'age': the constraint refers to unknown field ${agee}"
    assert (err.line, err.field) == (7, "age")  # the line of the constraint itself


def test_unknown_key_points_at_the_key_line():
    err = form_error(MINIMAL.replace("    label: Age\n", "    label: Age\n    lable: Age\n"))
    assert err.line == 7 and err.field == "age" and "unknown key 'lable'" in str(err)


def test_a_question_without_sensitivity_is_refused():
    err = form_error(MINIMAL.replace("    sensitivity: quasi_identifier\n", "", 1))
    assert err.field == "age" and "sensitivity" in err.message


def test_bad_expression_is_one_sentence_with_position():
    err = form_error(MINIMAL.replace("    label: Age\n", "    label: Age\n    relevant: 1 + \n"))
    assert "relevance is not a valid expression" in err.message and "\n" not in str(err)


def test_unknown_function_is_refused_at_load():
    err = form_error(MINIMAL.replace("    label: Age\n", "    label: Age\n    relevant: system('ls')\n"))
    assert "unknown function system()" in err.message


def test_calculation_cycle_is_refused():
    text = MINIMAL + textwrap.dedent("""\
      extra: x
    """).replace("extra: x", "")
    text = text.replace(
        "fields:\n",
        "fields:\n  - {name: a, type: calculate, calculation: '${b} + 1', sensitivity: none}\n"
        "  - {name: b, type: calculate, calculation: '${a} + 1', sensitivity: none}\n",
    )
    err = form_error(text)
    assert "depends on itself" in err.message


def test_country_code_no_and_choice_yes_stay_text():
    spec = load_form_text(MINIMAL)
    assert [c.value for c in spec.field("country").choices] == ["NO", "TH"]
    assert spec.version == "2"


def test_inline_translations_and_plain_labels():
    spec = load_form_text(MINIMAL.replace("label: Age", "label: {en: Age, th: อายุ}"))
    assert spec.field("age").label == {"en": "Age", "th": "อายุ"}
    assert spec.field("age").label_in("km") == "Age"


def test_invalid_yaml_is_a_form_error_with_a_line():
    err = form_error("id: x\nfields: [\n  - a: b\n")
    assert err.line is not None and "not valid YAML" in err.message


def test_duplicate_names_are_refused():
    err = form_error(MINIMAL.replace("name: country", "name: age"))
    assert "already has this name" in err.message


def test_unknown_standard_element_is_refused():
    err = form_error(MINIMAL.replace("    label: Age\n", "    label: Age\n    standard: {htcds: prs_Shoesize}\n"))
    assert "not an HTCDS 2.0 field" in err.message


def test_unknown_role_is_refused():
    err = form_error(MINIMAL.replace("    label: Age\n", "    label: Age\n    role: shoe_size\n"))
    assert "not a known role" in err.message


def test_file_loads_from_disk_and_is_cached_until_changed(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    first = load_form_file(path)
    assert load_form_file(path) is first
    path.write_text(MINIMAL.replace('version: "2"', 'version: "3"'), encoding="utf-8")
    assert load_form_file(path).version == "3"


def test_missing_form_is_not_found():
    from tipintake.errors import NotFound

    with pytest.raises(NotFound):
        load_form("no_such_form")
    with pytest.raises(NotFound):
        load_form("../etc/passwd")


def test_contract_roles_exist_in_the_intake_form(intake):
    needed = {
        "consent_interview", "consent_services", "consent_referral", "consent_share", "child_assent",
        "guardian_consent", "interview_language", "registration_date", "birth_date", "age", "gender",
        "citizenship", "country_of_exploitation", "given_name", "family_name", "phone", "id_number", "address",
    }
    assert needed <= set(ROLES)
    assert needed <= set(intake.roles())


def test_identity_fields_are_identifiers_and_free_text(intake):
    ids = intake.identity_fields()
    assert {"given_name", "family_name", "phone", "id_number", "address", "narrative"} <= ids
    assert all(intake.field(n).sensitivity in (Sensitivity.DIRECT_IDENTIFIER, Sensitivity.FREE_TEXT) for n in ids)
    assert "gender" not in ids


def test_fields_reach_inside_groups_and_every_question_declares_sensitivity(intake):
    names = [f.name for f in intake.fields()]
    assert "consent_share" in names and "consent" not in names  # groups themselves are not fields
    assert intake.field("consent_share").role == "consent_share"
    assert intake.field("gender").standard.htcds == "prs_Gender"
    assert intake.field("given_name").standard.ctdc is None


def test_alias_bomb_is_refused_quickly():
    import time

    lines = ['l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = f"*l{i - 1}"
        lines.append(f"l{i}: &l{i} [{', '.join([prev] * 10)}]")
    start = time.perf_counter()
    err = form_error("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 2 and "too large" in err.message


def test_python_tags_construct_nothing():
    err = form_error("id: !!python/object/apply:os.system ['echo hi']\nversion: '1'\nfields: []\n")
    assert isinstance(err, FormError)


def test_a_singular_role_names_one_field():
    text = MINIMAL.replace("    label: Age\n", "    label: Age\n    role: age\n").replace(
        "    type: select_one countries\n", "    type: select_one countries\n    role: age\n")
    err = form_error(text)
    assert err.field == "country" and "already given to the field 'age'" in err.message


def test_duplicate_choice_codes_are_refused_unless_filtered():
    err = form_error(MINIMAL.replace("{value: TH, label: Thailand}", "{value: NO, label: Norway again}"))
    assert "'NO' appears twice" in err.message and err.field == "country"
