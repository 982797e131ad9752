"""The whole path through the command line: real cases, real de-identification, real hub.

``share device --export`` → the hub enrols the key → ``share preview`` → ``share push``
over HTTPS with a pinned certificate → ``share status``; then new cases by USB:
``share export`` → ``hub import`` → ``share import-receipts``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

from tipintake.cli import main
from tipintake.hub.app import Limits, create_app
from tipintake.hub.db import enrol_device
from tipintake.hub.usb import import_folder
from tipintake.store.session import Store

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:  # tests.deid.helpers: the de-identification engineer's sample form and cases
    sys.path.insert(0, ROOT)

from tests.deid import helpers  # noqa: E402
from tests.deid.sample import agreement as sample_agreement  # noqa: E402

PARTNER = "hubpartner"


@pytest.fixture()
def desk(tmp_path, monkeypatch, sqlite_hub, tls_serve, tls_cert):
    """A store with consenting cases, an agreement file for the live hub, credentials in the env."""
    data = tmp_path / "data"
    session, _ = Store(data).init("Shelter Org", helpers.ADMIN, helpers.PASSPHRASE)
    helpers.save_many(session, 12)
    session.lock()
    monkeypatch.setenv("TIPINTAKE_USER", helpers.ADMIN)
    monkeypatch.setenv("TIPINTAKE_PASSPHRASE", helpers.PASSPHRASE)
    monkeypatch.setattr("tipintake.forms.loader.load_form", helpers.loader)  # the sample form
    server = tls_serve(create_app(sqlite_hub, Limits(batches_per_minute=6000, burst=1000)))
    doc = sample_agreement(PARTNER).model_dump(mode="json", exclude_none=True)
    # Only what this hub's vocabulary takes (the sample also lists elements it does not know).
    known = sqlite_hub.vocabulary.by_name
    doc["shares"] = [name for name in doc["shares"] if name in known]
    doc["recipients"] = [sqlite_hub.keys.recipient]
    doc["hub"] = {"url": server.url, "certificate_sha256": tls_cert.sha256}
    file = tmp_path / "agreement.yaml"
    file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return data, file


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_push_then_usb_through_the_command_line(desk, sqlite_hub, hubcount, capsys, tmp_path):
    data, file = desk
    d = ["--data-dir", str(data)]
    assert run(capsys, "share", "partners", "add", str(file), *d)[0] == 0

    key_file = tmp_path / "device.pub"
    code, out, _ = run(capsys, "share", "device", "--export", str(key_file), "--json", *d)
    shown = json.loads(out)
    assert code == 0 and key_file.read_text().strip() == shown["public_key"]
    enrol_device(sqlite_hub.engine, sqlite_hub.tables, key_file.read_text(), "Shelter Org")

    code, _, err = run(capsys, "share", "push", "--partner", PARTNER, *d)
    assert code == 2 and "shown" in err  # the agreement must be seen before anything is shared
    assert run(capsys, "share", "preview", "--partner", PARTNER, *d)[0] == 0

    code, out, err = run(capsys, "share", "push", "--partner", PARTNER, *d)
    assert code == 0, err
    sent = hubcount(sqlite_hub)
    assert sent > 0 and "confirmed" in out and "refused" not in out
    code, out, _ = run(capsys, "share", "push", "--partner", PARTNER, *d)  # nothing new
    assert code == 0 and hubcount(sqlite_hub) == sent

    (status,) = json.loads(run(capsys, "share", "status", "--json", *d)[1])
    assert (status["acknowledged"], status["pending"], status["last_error"]) == (1, 0, None)

    # New cases go by USB this time.
    session = Store(data).unlock(helpers.ADMIN, helpers.PASSPHRASE)
    helpers.save_many(session, 12, seed=2)
    session.lock()
    stick = tmp_path / "stick"
    stick.mkdir()
    code, out, err = run(capsys, "share", "export", "--partner", PARTNER, "--to", str(stick), *d)
    assert code == 0, err
    assert all(o.receipt for o in import_folder(sqlite_hub, stick))
    code, out, err = run(capsys, "share", "import-receipts", str(stick), *d)
    assert code == 0 and "1 batches confirmed now" in out, (out, err)
    (status,) = json.loads(run(capsys, "share", "status", "--json", *d)[1])
    assert status["acknowledged"] == 2 and hubcount(sqlite_hub) > sent


def test_unknown_partner_is_one_sentence(desk, capsys):
    data, _file = desk
    code, out, err = run(capsys, "share", "push", "--partner", "nobody", "--data-dir", str(data))
    assert code == 2 and err.count("\n") == 1 and "nobody" in err
