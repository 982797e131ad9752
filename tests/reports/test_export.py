"""Exports: Excel-safe encodings, encryption or acknowledged plaintext, permission, audit."""

from __future__ import annotations

import csv
import io
import json

import pyrage
import pytest
from openpyxl import load_workbook

from tipintake.errors import PermissionDenied
from tipintake.reports import ExportNotAllowed, Row, Table, dashboard, export_cases, export_table
from tipintake.reports.export import csv_bytes, safe_cell, xlsx_bytes
from tipintake.store import audit

THAI, KHMER, BURMESE = "การค้ามนุษย์", "ការជួញដូរមនុស្ស", "လူကုန်ကူးမှု"
PASS = "export passphrase for tests"


def risky_table() -> Table:
    rows = (Row("x", "=HYPERLINK(\"http://evil\")", (40,)), Row("th", THAI, (30,)),
            Row("km", KHMER, (20,)), Row("my", BURMESE, (12,)), Row("m", "-2+3", (11,)),
            Row("at", "@SUM(A1)", (50,)))
    return Table("risky", "Risky", ("Category", "Cases"), rows, 163)


def last_audit(session) -> dict:
    with session.engine.connect() as conn:
        return audit.recent(conn, 1)[0]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_formula_like_text_is_prefixed(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell(5) == 5 and safe_cell(-5) == -5 and safe_cell("Somchai") == "Somchai"


def test_csv_has_a_bom_and_keeps_thai_khmer_burmese():
    data = csv_bytes([["a", "b"], [THAI, KHMER], [BURMESE, "=1+1"]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["a", "b"], [THAI, KHMER], [BURMESE, "'=1+1"]]
    assert b"\r\n" in data


def test_xlsx_stores_formula_like_text_as_text():
    ws = load_workbook(io.BytesIO(xlsx_bytes([["h"], ["=1+1"], [THAI], [7]], "Sheet: [x]"))).active
    assert ws["A2"].value == "'=1+1" and ws["A2"].data_type == "s"
    assert ws["A3"].value == THAI and ws["A4"].value == 7


def test_plaintext_export_needs_an_explicit_acknowledgement(session, tmp_path):
    out = tmp_path / "table.csv"
    with pytest.raises(ExportNotAllowed):
        export_table(session, risky_table(), "csv", out)
    assert not out.exists()
    export_table(session, risky_table(), "csv", out, allow_plaintext=True)
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[1] == ["'=HYPERLINK(\"http://evil\")", "40"]
    assert rows[2] == [THAI, "30"] and rows[5] == ["'-2+3", "11"]


def test_encrypted_export_opens_with_the_passphrase_and_leaves_no_plaintext(session, tmp_path):
    result = export_table(session, risky_table(), "xlsx", tmp_path / "table.xlsx", passphrase=PASS)
    assert result.path.name == "table.xlsx.age" and result.encrypted
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["table.xlsx.age"]
    blob = result.path.read_bytes()
    assert blob.startswith(b"age-encryption.org/v1")
    ws = load_workbook(io.BytesIO(pyrage.passphrase.decrypt(blob, PASS))).active
    assert ws["A3"].value == THAI


def test_exported_tables_are_suppressed(session, tmp_path):
    out = tmp_path / "gender.csv"
    export_table(session, dashboard(session)["gender"], "csv", out, allow_plaintext=True, threshold=3)
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[1:] == [["Feminine", "4"], ["Masculine", "<3"], ["No answer", "<3"]]
    export_table(session, dashboard(session)["gender"], "csv", out, allow_plaintext=True)
    assert "4" not in out.read_text("utf-8-sig")  # 7 cases in all: under 11, nothing is shown


def test_export_is_audited_without_content(session, tmp_path):
    export_table(session, risky_table(), "csv", tmp_path / "t.csv", passphrase=PASS)
    entry = last_audit(session)
    detail = json.loads(entry["detail"]) if isinstance(entry["detail"], str) else entry["detail"]
    assert entry["action"] == "export" and entry["object_id"] == "risky"
    assert detail["rows"] == 6 and detail["format"] == "csv" and detail["encrypted"] is True
    assert detail["to"].endswith("t.csv.age")
    assert THAI not in json.dumps(entry, ensure_ascii=False)


def test_case_list_export_has_references_and_no_identity(session, tmp_path):
    result = export_cases(session, "csv", tmp_path / "cases.csv", passphrase=PASS)
    text = pyrage.passphrase.decrypt(result.path.read_bytes(), PASS).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 8 and rows[0][0] == "Reference"
    assert "Somchai" not in text and "+66812345678" not in text
    assert last_audit(session)["object_type"] == "cases"


def test_a_viewer_may_not_export(viewer, tmp_path):
    with pytest.raises(PermissionDenied):
        export_cases(viewer, "csv", tmp_path / "c.csv", allow_plaintext=True)
    with pytest.raises(PermissionDenied):
        export_table(viewer, risky_table(), "xlsx", tmp_path / "t.xlsx", passphrase=PASS)
    assert list(tmp_path.glob("*.csv")) == [] and list(tmp_path.glob("*.xlsx*")) == []
