"""The command line: init, users, cases, audit, rekey — exit codes and one-sentence errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tipintake.cli import main

PASS = "a long enough passphrase"


@pytest.fixture
def data(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "data"
    monkeypatch.setenv("TIPINTAKE_USER", "admin")
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", PASS)
    assert main(["init", "--org", "Shelter", "--data-dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "RECOVERY KEY" in out
    recovery = out.split("RECOVERY KEY")[1].splitlines()[1].strip()
    return folder, recovery


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "tipintake", *args], capture_output=True, text=True,
                          env=full_env, timeout=60)


def test_wrong_passphrase_exits_2_with_one_sentence_and_no_traceback(data):
    folder, _ = data
    before = (folder / "tipintake.db").read_bytes()
    result = run("cases", "list", "--data-dir", str(folder),
                 env={"TIPINTAKE_USER": "admin", "TIPINTAKE_PASSPHRASE": "not the right one"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "passphrase" in result.stderr
    assert (folder / "tipintake.db").read_bytes() == before


def test_no_store_yet_says_what_to_do(tmp_path):
    result = run("cases", "list", "--data-dir", str(tmp_path / "none"),
                 env={"TIPINTAKE_USER": "admin", "TIPINTAKE_PASSPHRASE": PASS})
    assert result.returncode == 2
    assert "tipintake init" in result.stderr and "Traceback" not in result.stderr


def test_init_twice_is_refused(data, capsys):
    folder, _ = data
    assert main(["init", "--org", "Again", "--data-dir", str(folder)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_users_add_list_passwd_remove(data, monkeypatch, capsys):
    folder, _ = data
    d = ["--data-dir", str(folder)]
    monkeypatch.setenv("TIPINTAKE_NEW_PASSPHRASE", "interviewer passphrase")
    assert main(["users", "add", "noi", "--role", "interviewer", *d]) == 0
    assert main(["users", "list", *d]) == 0
    assert "noi\tinterviewer" in capsys.readouterr().out
    monkeypatch.setenv("TIPINTAKE_USER", "noi")
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", "interviewer passphrase")
    monkeypatch.setenv("TIPINTAKE_NEW_PASSPHRASE", "changed by noi herself")
    assert main(["users", "passwd", *d]) == 0
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", "changed by noi herself")
    assert main(["cases", "list", *d]) == 0
    assert main(["users", "add", "x", "--role", "viewer", *d]) == 2  # not an admin
    assert "does not allow" in capsys.readouterr().err
    monkeypatch.setenv("TIPINTAKE_USER", "admin")
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", PASS)
    assert main(["users", "remove", "noi", *d]) == 0
    monkeypatch.setenv("TIPINTAKE_USER", "noi")
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", "changed by noi herself")
    assert main(["cases", "list", *d]) == 2


def test_recovery_key_resets_a_forgotten_passphrase(data, monkeypatch):
    folder, recovery = data
    d = ["--data-dir", str(folder)]
    monkeypatch.setenv("TIPINTAKE_RECOVERY_KEY", recovery)
    monkeypatch.setenv("TIPINTAKE_NEW_PASSPHRASE", "remembered this time")
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", "forgotten")
    assert main(["users", "passwd", "admin", "--recovery", *d]) == 0
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", "remembered this time")
    assert main(["audit", "verify", *d]) == 0


def test_audit_verify_fails_after_tampering(data, capsys):
    from tipintake.store.session import Store

    folder, _ = data
    d = ["--data-dir", str(folder)]
    assert main(["audit", "verify", *d]) == 0
    session = Store(folder).unlock("admin", PASS)
    with session.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit SET action = 'nothing' WHERE seq = 1")
    session.lock()
    capsys.readouterr()
    assert main(["audit", "verify", *d]) == 1
    assert "audit entry 1: was altered" in capsys.readouterr().err


def test_rekey_prints_a_new_recovery_key_and_keeps_working(data, capsys):
    folder, recovery = data
    d = ["--data-dir", str(folder)]
    assert main(["rekey", *d]) == 0
    out = capsys.readouterr().out
    new_recovery = out.split("NEW RECOVERY KEY")[1].splitlines()[1].strip()
    assert new_recovery != recovery
    assert main(["cases", "list", *d]) == 0


def test_bad_answers_file_names_the_file_and_line(data, tmp_path, capsys):
    folder, _ = data
    bad = tmp_path / "answers.json"
    bad.write_text('{"a": 1,\n "b": }')
    assert main(["cases", "add", "--form", "tip_intake", "--answers", str(bad), "--data-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "answers.json line 2" in err


def test_unexpected_failure_exits_1_without_traceback(monkeypatch, capsys, tmp_path):
    import tipintake.cli.store_cmds as cmds

    def boom(args):
        raise RuntimeError("secret answer text")

    monkeypatch.setattr(cmds, "cmd_users_list", boom)
    assert main(["users", "list", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "secret answer text" not in err and "Traceback" not in err


def test_cases_list_json_has_no_identity(data, capsys):
    from tipintake.store.session import Store

    folder, _ = data
    session = Store(folder).unlock("admin", PASS)
    session.cases.save(form_id="f", form_version="1", kind="intake", identity={"name": "Dara"}, context={})
    session.lock()
    capsys.readouterr()
    assert main(["cases", "list", "--json", "--data-dir", str(folder)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1 and "Dara" not in json.dumps(rows)


def test_cases_add_from_json_keeps_identity_apart_and_no_plaintext(data, tmp_path, capsys):
    import random

    from tipintake.forms import load_form
    from tipintake.forms.synthetic import synthetic_answers
    from tipintake.store.session import Store

    folder, _ = data
    form = load_form("tip_intake")
    answers = synthetic_answers(form, random.Random(3))
    canary = "CANARYcli9"
    planted = [f.name for f in form.fields() if f.name in answers and isinstance(answers[f.name], str)
               and f.name in form.identity_fields() and not f.constraint]
    assert planted, "the intake form has identity text fields"
    for name in planted:
        answers[name] = f"{canary} {name}"
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers, ensure_ascii=False))
    assert main(["cases", "add", "--form", "tip_intake", "--answers", str(path), "--data-dir", str(folder)]) == 0
    assert "Saved case" in capsys.readouterr().out
    path.unlink()
    for file in folder.rglob("*"):
        if file.is_file():
            assert canary.encode() not in file.read_bytes(), file.name
    session = Store(folder).unlock("admin", PASS)
    rev = session.cases.show(session.cases.list()[0].id).revisions[0]
    session.lock()
    assert all(canary not in json.dumps(v) for v in rev.context.values())
    assert all(rev.identity[name].startswith(canary) for name in planted)


def test_cases_add_with_invalid_answers_names_the_field_and_saves_nothing(data, tmp_path, capsys):
    folder, _ = data
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"consent_interview": "maybe"}))
    assert main(["cases", "add", "--form", "tip_intake", "--answers", str(path), "--data-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "Field '" in err and "Traceback" not in err
    assert main(["cases", "list", "--json", "--data-dir", str(folder)]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_missing_optional_part_names_the_extra_to_install(monkeypatch, capsys, tmp_path):
    import tipintake.cli.store_cmds as cmds

    def needs_hub(args):
        raise ModuleNotFoundError("No module named 'starlette'", name="starlette")

    monkeypatch.setattr(cmds, "cmd_users_list", needs_hub)
    assert main(["users", "list", "--data-dir", str(tmp_path)]) == 2
    assert "tipintake[hub]" in capsys.readouterr().err
