"""``tipintake hub`` commands: init, enrol, import, export in process; serve as a real process."""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from tipintake.cli import main
from tipintake.sync import signing
from tipintake.sync.receipt import verify_receipt


def test_init_enrol_import_export(tmp_path, monkeypatch, capsys, kit):
    monkeypatch.setenv("TIPINTAKE_HUB_PASSPHRASE", "a long cli passphrase")
    hub_dir = tmp_path / "hub"
    assert main(["hub", "init", "--hub-dir", str(hub_dir)]) == 0
    out = capsys.readouterr().out
    recipient = (hub_dir / "recipient.txt").read_text().strip()
    receipt_key = (hub_dir / "receipt-key.pub").read_text().strip()
    assert recipient in out and receipt_key in out

    device = kit.Device("Org A")
    assert main(["hub", "enrol", device.public, "--org", "Org A", "--hub-dir", str(hub_dir)]) == 0
    assert main(["hub", "enrol", "ed25519:nothex", "--org", "Org A", "--hub-dir", str(hub_dir)]) == 2
    assert "ed25519:" in capsys.readouterr().err

    stick = tmp_path / "stick"
    info = device.write(kit.records("a", 70), stick, recipient)
    assert main(["hub", "import", str(stick), "--hub-dir", str(hub_dir)]) == 0
    assert verify_receipt(stick / f"{info.batch_id}.receipt.json", receipt_key).accepted == 70

    out_csv = tmp_path / "ctdc.csv"
    assert main(["hub", "export", "--format", "ctdc", "--out", str(out_csv), "--hub-dir", str(hub_dir)]) == 0
    assert "suppressed" in capsys.readouterr().out
    with open(out_csv, newline="") as handle:
        assert len(list(csv.reader(handle))) > 1

    monkeypatch.setenv("TIPINTAKE_HUB_PASSPHRASE", "the wrong passphrase")
    assert main(["hub", "import", str(stick), "--hub-dir", str(hub_dir)]) == 2


def test_serve_runs_as_a_process_and_stops(tmp_path, kit):
    env = dict(os.environ, TIPINTAKE_HUB_PASSPHRASE="a long cli passphrase")
    hub_dir = tmp_path / "hub"
    subprocess.run([sys.executable, "-m", "tipintake", "hub", "init", "--hub-dir", str(hub_dir)],
                   env=env, check=True, capture_output=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "tipintake", "hub", "serve", "--hub-dir", str(hub_dir), "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                info = httpx.get(f"http://127.0.0.1:{port}/v1/hub", timeout=1).json()
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the hub did not start"
                time.sleep(0.1)
        assert info["receipt_key"] == (hub_dir / "receipt-key.pub").read_text().strip()
        assert signing.key_id(info["receipt_key"]) == info["hub_key_id"]
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()["openapi"].startswith("3.")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=15)
