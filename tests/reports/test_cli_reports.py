"""`tipintake reports …`: figures printed suppressed, exports encrypted or acknowledged, errors in one sentence."""

from __future__ import annotations

import json

import pyrage
import pytest

from tipintake.cli import main

from .conftest import ADMIN, ADMIN_PASS, VIEWER, VIEWER_PASS

PASS = "export passphrase for tests"


@pytest.fixture
def as_admin(monkeypatch, session, store):
    monkeypatch.setenv("TIPINTAKE_USER", ADMIN)
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", ADMIN_PASS)
    return ["--data-dir", str(store.data_dir)]


def test_dashboard_json_is_suppressed(as_admin, capsys):
    assert main(["reports", "dashboard", "--json", "--threshold", "3", *as_admin]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["cases"] == 7
    gender = next(t for t in out["tables"] if t["key"] == "gender")
    assert {r["code"]: r["values"][0] for r in gender["rows"]} == {"Feminine": 4, "Masculine": None,
                                                                   "no_answer": None}


def test_quality_lists_findings_by_reference(as_admin, capsys):
    assert main(["reports", "quality", "--json", "--duplicates", *as_admin]) == 0
    out = json.loads(capsys.readouterr().out)
    kinds = sorted(f["kind"] for f in out["findings"])
    assert kinds.count("possible_duplicate") == 2 and len(kinds) == 6
    assert all(len(ref) == 9 and ref[4] == "-" for f in out["findings"] for ref in f["cases"])
    assert "Somchai" not in json.dumps(out)


def test_export_needs_a_choice_and_writes_what_was_asked(as_admin, tmp_path, monkeypatch, capsys):
    with pytest.raises(SystemExit):  # neither --encrypt-to-passphrase nor --plaintext-ok
        main(["reports", "export", "--what", "gender", "--format", "csv", "--out", str(tmp_path / "g.csv"),
              *as_admin])
    assert main(["reports", "export", "--what", "gender", "--format", "csv", "--out", str(tmp_path / "g.csv"),
                 "--plaintext-ok", *as_admin]) == 0
    assert (tmp_path / "g.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    monkeypatch.setenv("TIPINTAKE_EXPORT_PASSPHRASE", PASS)
    assert main(["reports", "export", "--what", "cases", "--format", "xlsx", "--out", str(tmp_path / "c.xlsx"),
                 "--encrypt-to-passphrase", *as_admin]) == 0
    assert pyrage.passphrase.decrypt((tmp_path / "c.xlsx.age").read_bytes(), PASS)[:2] == b"PK"
    assert main(["reports", "export", "--what", "nonsense", "--format", "csv", "--out", str(tmp_path / "n.csv"),
                 "--plaintext-ok", *as_admin]) == 2
    assert "There is no table" in capsys.readouterr().err


def test_a_viewer_cannot_export_from_the_command_line(as_admin, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TIPINTAKE_USER", VIEWER)
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", VIEWER_PASS)
    assert main(["reports", "export", "--what", "cases", "--format", "csv", "--out", str(tmp_path / "c.csv"),
                 "--plaintext-ok", *as_admin]) == 2
    assert not (tmp_path / "c.csv").exists()
    assert "does not allow" in capsys.readouterr().err
