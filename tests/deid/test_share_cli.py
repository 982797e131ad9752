"""``tipintake share partners|preview|withdraw`` on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.deid.helpers import ADMIN, PASSPHRASE, save_many
from tipintake.cli import main
from tipintake.cli.share_cmds import register
from tipintake.store.session import Store

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "partner-agreement.yaml"


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    session, _recovery = Store(folder).init("Shelter", ADMIN, PASSPHRASE)
    session.lock()
    monkeypatch.setenv("TIPINTAKE_USER", ADMIN)
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", PASSPHRASE)
    return folder


def test_partners_add_and_list(data, capsys):
    assert main(["share", "partners", "add", str(EXAMPLE), "--data-dir", str(data)]) == 0
    assert main(["share", "partners", "list", "--data-dir", str(data)]) == 0
    assert "regional-hub" in capsys.readouterr().out


def test_a_bad_agreement_exits_2_naming_file_line_and_field(data, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text().replace("  k: 5 ", "  k: 0 "), encoding="utf-8")
    assert main(["share", "partners", "add", str(bad), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml line" in err and "generalisation.k" in err and "Traceback" not in err


def test_preview_prints_the_agreement_and_report_and_records_it_was_shown(data, capsys, monkeypatch):
    main(["share", "partners", "add", str(EXAMPLE), "--data-dir", str(data)])
    from tests.deid import helpers

    monkeypatch.setattr("tipintake.forms.loader.load_form", helpers.loader)
    session = Store(data).unlock(ADMIN, PASSPHRASE)
    save_many(session, 5)
    session.lock()
    assert main(["share", "preview", "--partner", "regional-hub", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "Purpose" in out and "Risk report for partner regional-hub" in out
    assert "Records to send: 5" in out
    session = Store(data).unlock(ADMIN, PASSPHRASE)
    with session.engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit")).scalars().all()
    session.lock()
    assert "agreement_shown" in actions and "share_prepared" in actions


def test_withdraw_by_reference(data, capsys):
    session = Store(data).unlock(ADMIN, PASSPHRASE)
    cid = save_many(session, 1)[0]
    reference = session.cases.list()[0].reference
    session.lock()
    assert main(["share", "withdraw", reference, "--data-dir", str(data)]) == 0
    assert "No partner had received this case" in capsys.readouterr().out
    session = Store(data).unlock(ADMIN, PASSPHRASE)
    assert session.cases.list()[0].status == "withdrawn" and session.cases.find(reference) == cid
    session.lock()


def test_register_works_without_the_sync_commands(monkeypatch):
    import argparse
    import importlib

    real = importlib.import_module

    def fake(name, *args):
        if name == "tipintake.cli.share_sync":
            raise ModuleNotFoundError(name=name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["share", "preview", "--partner", "x"])
    assert args.partner == "x"
