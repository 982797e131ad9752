"""Fixtures for the hub: keys, a hub per test (SQLite or a real PostgreSQL), a real HTTP server.

PostgreSQL: a throwaway cluster made with initdb/pg_ctl from /usr/lib/postgresql/*/bin in
a temporary folder on a free port (as the ``postgres`` user when the tests run as root),
one per test session and worker, a fresh database per test, removed at the end.
"""

from __future__ import annotations

import base64
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text

from tipintake.hub.app import Limits, create_app
from tipintake.hub.context import open_hub
from tipintake.hub.db import enrol_device
from tipintake.hub.ingest import Hub
from tipintake.hub.keys import HubKeys, init_keys
from tipintake.sync import batch, signing
from tipintake.sync.records import CaseRecord, Withdrawal

PASSPHRASE = "a long test passphrase"


@pytest.fixture(scope="session")
def hub_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hubkeys")
    init_keys(path, PASSPHRASE)
    return path


@pytest.fixture(scope="session")
def hub_keys(hub_dir) -> HubKeys:
    from tipintake.hub.keys import unlock_keys

    return unlock_keys(hub_dir, PASSPHRASE)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running throwaway PostgreSQL cluster; yields its base URL (without database)."""
    bindir = _pg_bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed; "
                    "scripts/test-prereqs.sh installs the 'postgresql' package")
    base = Path(tempfile.mkdtemp(prefix="tipintake-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base)
            pytest.skip("running as root and there is no 'postgres' user to run PostgreSQL as")
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    with _free_socket() as sock:
        port = sock.getsockname()[1]
    data = base / "data"
    run = lambda *cmd: subprocess.run([*prefix, *cmd], check=True, capture_output=True)  # noqa: E731
    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "hub", "--auth=trust", "-E", "UTF8", "--no-sync")
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr.decode(errors='replace')}") from exc
    try:
        yield f"postgresql+psycopg://hub@127.0.0.1:{port}"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def new_postgres_db(server_url: str) -> str:
    """A fresh, empty database on the throwaway cluster; returns its URL."""
    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(server_url + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server_url}/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """A database URL for each backend the hub supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    return new_postgres_db(request.getfixturevalue("postgres_server"))


@pytest.fixture()
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


def make_hub(hub_dir: Path, keys: HubKeys, url: str) -> Hub:
    """A hub on ``url`` with the session's keys."""
    return open_hub(hub_dir, url, keys=keys)


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 in a thread, on a socket bound before it starts."""

    def __init__(self, app) -> None:
        self._sock = _free_socket()
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


@pytest.fixture()
def serve():
    """Start a live server for an app; every server is stopped after the test."""
    servers: list[LiveServer] = []

    def start(app) -> LiveServer:
        server = LiveServer(app).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


def serve_hub(serve, hub: Hub, **limits) -> str:
    """Serve a hub; returns its base URL."""
    return serve(create_app(hub, Limits(**limits))).url


def sample_values(i: int, **extra) -> dict:
    """Values from few combinations, so that groups of 11 or more form quickly."""
    values = {
        "yearOfRegistration": 2024 + i % 2,
        "gender": "Female" if i % 3 else "Male",
        "ageBroad": "18--20",
        "citizenship": "KH",
        "CountryOfExploitation": "TH",
        "isForcedLabour": 1,
    }
    values.update(extra)
    return values


@dataclass
class Device:
    """A field laptop: its signing key, organisation and batch counter."""

    org: str
    key: object = field(default_factory=signing.generate_key)
    sequence: int = 0

    @property
    def public(self) -> str:
        return signing.public_key_text(self.key)

    def enrol(self, hub: Hub) -> Device:
        enrol_device(hub.engine, hub.tables, self.public, self.org)
        return self

    def write(self, items, out_dir: Path, recipient: str, **fields) -> batch.BatchInfo:
        self.sequence += 1
        manifest = batch.ManifestFields(organisation=fields.pop("org", self.org),
                                        sequence=fields.pop("sequence", self.sequence), **fields)
        return batch.write_batch(items, device_key=self.key, manifest_fields=manifest,
                                 recipients=[recipient], out_dir=out_dir)


def records(prefix: str, n: int, start: int = 0, revision: int = 1, **extra) -> list[CaseRecord]:
    """``n`` valid records with case ids ``<prefix>-<number>``."""
    return [
        CaseRecord(case=f"{prefix}-{i:06d}", revision=revision, form="intake", form_version="1",
                   values=sample_values(i, **extra))
        for i in range(start, start + n)
    ]


def withdrawal(case: str) -> Withdrawal:
    return Withdrawal(case=case)


def post_batch(url: str, info: batch.BatchInfo, body: bytes | None = None,
               manifest: bytes | None = None) -> httpx.Response:
    """POST a batch the way docs/batch-format.md says."""
    manifest = info.manifest_path.read_bytes() if manifest is None else manifest
    body = info.payload_path.read_bytes() if body is None else body
    return httpx.post(
        f"{url}/v1/batches",
        content=body,
        headers={"Tipintake-Manifest": base64.b64encode(manifest).decode("ascii"),
                 "Content-Type": "application/octet-stream"},
        timeout=30,
    )


@pytest.fixture()
def kit():
    """The helpers above (Device, records, post_batch, ...): test modules cannot import conftest."""
    import sys

    return sys.modules[__name__]


@pytest.fixture()
def hub(hub_dir, hub_keys, db_url) -> Hub:
    """A fresh hub on each backend."""
    made = make_hub(hub_dir, hub_keys, db_url)
    yield made
    made.engine.dispose()


@pytest.fixture()
def sqlite_hub(hub_dir, hub_keys, sqlite_url) -> Hub:
    """A fresh hub on SQLite only (for tests whose subject is not the database)."""
    made = make_hub(hub_dir, hub_keys, sqlite_url)
    yield made
    made.engine.dispose()
