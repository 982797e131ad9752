"""The forms commands: check prints one line per file, import writes a YAML form that loads."""

from __future__ import annotations

from pathlib import Path

from tipintake.cli import main
from tipintake.forms import load_form_file

XLS = Path(__file__).parent / "xlsforms"
FORMS = Path(__file__).resolve().parents[2] / "forms"


def test_check_reports_each_file_and_exits_2_on_a_bad_one(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: '1'\nfields:\n  - name: age\n    type: integer\n    sensitivity: none\n"
                   "    constraint: ${agee} > 1\n", encoding="utf-8")
    code = main(["forms", "check", str(FORMS / "tip_intake.yaml"), str(bad)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "tip_intake" in out and "no problems" in out
    assert err.strip() == f"tipintake: {bad} line 7, field 'age': the constraint refers to unknown field ${{agee}}"


def test_check_passes_on_the_shipped_forms(capsys):
    assert main(["forms", "check", *map(str, sorted(FORMS.glob("*.yaml")))]) == 0


def test_import_xlsform_writes_a_loadable_yaml(tmp_path, capsys):
    out = tmp_path / "forms" / "htcds.yaml"
    assert main(["forms", "import-xlsform", str(XLS / "htcds_xlsform.xlsx"), "-o", str(out)]) == 0
    spec = load_form_file(out)
    assert spec.id == "htcds_xlsform" and spec.field("prs_Birthdate").role == "birth_date"
    assert out.read_text(encoding="utf-8").startswith("# Imported from htcds_xlsform.xlsx")
    # refuses to overwrite without --force
    assert main(["forms", "import-xlsform", str(XLS / "htcds_xlsform.xlsx"), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err


def test_import_of_an_unsupported_workbook_is_one_sentence_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "spec.yaml"
    code = main(["forms", "import-xlsform", str(XLS / "pyxform_xlsform_spec_test.xlsx"), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "geopoint" in err
    assert not out.exists() and not list(tmp_path.iterdir())
