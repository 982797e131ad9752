"""XLSForm import: real-world workbooks nobody here wrote import, or fail with one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipintake.errors import FormError
from tipintake.forms import Sensitivity, load_form_file, load_form_text
from tipintake.forms.xlsform import dump_form_yaml, xlsform_to_data

WORKBOOKS = sorted((Path(__file__).parent / "xlsforms").glob("*.xlsx"))


def test_share_of_real_world_xlsforms_that_import(capsys):
    imported, failed = [], []
    for path in WORKBOOKS:
        try:
            load_form_file(path)
            imported.append(path.name)
        except FormError as exc:
            message = str(exc)
            assert "\n" not in message and "Traceback" not in message
            failed.append(message)
    share = len(imported) / len(WORKBOOKS)
    with capsys.disabled():
        print(f"\nXLSForm import: {len(imported)}/{len(WORKBOOKS)} workbooks ({share:.0%}) import;"
              f" failures: {failed}")
    assert len(WORKBOOKS) == 8
    assert share >= 0.75


def test_htcds_workbook_maps_htcds_names_to_standards_roles_and_sensitivity():
    spec = load_form_file(WORKBOOKS[0])
    assert spec.id == "htcds_xlsform"
    first = spec.field("prs_First_Name")
    assert (first.standard.htcds, first.role, first.sensitivity) == ("prs_FirstName", "given_name", Sensitivity.DIRECT_IDENTIFIER)
    assert spec.field("vic_TypeOfExploitation").sensitivity is Sensitivity.SENSITIVE
    assert "meta" not in {f.name for f in spec.walk()}  # ODK's instance metadata is left out


def test_cascading_choice_filter_survives_import():
    from tipintake.forms.engine import FormState

    spec = load_form_file(next(p for p in WORKBOOKS if "choice_filter" in p.name))
    state = FormState(spec, {"state": "texas"})
    assert {c.value for c in state.choices("county")} == {"king", "cameron"}


def test_language_columns_map_to_our_codes_and_unknown_languages_are_left_out():
    from tipintake.forms.loader import build_form
    from tipintake.forms.xlsform import _Converter

    survey = {
        "id_string": "Lang Test", "title": {"English (en)": "Test", "Thai (th)": "ทดสอบ"},
        "children": [{"type": "text", "name": "q", "label": {"English (en)": "Name", "Thai (th)": "ชื่อ",
                                                             "chinese": "名字", "Khmer": "ឈ្មោះ"}}],
    }
    data = _Converter("lang.xlsx", survey).form()
    spec = build_form(data, "lang.xlsx")
    assert spec.id == "lang_test" and spec.languages == ("en", "th", "km")
    assert spec.field("q").label == {"en": "Name", "th": "ชื่อ", "km": "ឈ្មោះ"}
    english_only = load_form_file(next(p for p in WORKBOOKS if "specify_other" in p.name))
    assert english_only.field("sex").label == {"en": "What sex are you?"}


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_imported_yaml_round_trips(path):
    try:
        spec = load_form_file(path)
    except FormError:
        pytest.skip("this workbook does not import")
    again = load_form_text(dump_form_yaml(xlsform_to_data(path), path.name), "round-trip.yaml")
    assert [f.model_dump() for f in again.walk()] == [f.model_dump() for f in spec.walk()]


def test_unsupported_question_type_is_one_sentence_naming_the_field():
    with pytest.raises(FormError) as info:
        load_form_file(next(p for p in WORKBOOKS if "spec_test" in p.name))
    assert info.value.field == "geopoint_test" and "\n" not in str(info.value)


def test_junk_file_is_a_form_error(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(FormError):
        load_form_file(junk)
