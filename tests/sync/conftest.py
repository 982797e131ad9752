"""Fixtures for sync: a real encrypted store, the real hub over HTTPS on 127.0.0.1, a cutting proxy.

The hub fixtures (keys, a fresh SQLite hub, the ``kit`` helpers) are the hub engineer's,
loaded from tests/hub/conftest.py rather than copied. The desktop side runs on a real
``Store(tmp).init(...)``; de-identification is replaced by a small planner that hands
out records once (the real one has its own tests), behind the same contract.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import ipaddress
import socket
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tipintake.deid.agreements import Agreement
from tipintake.hub.app import Limits, create_app
from tipintake.hub.db import enrol_device
from tipintake.store.session import Store
from tipintake.sync.device import device_identity
from tipintake.sync.http import RetryPolicy
from tipintake.sync.service import PartnerSync
from tipintake.sync.tls import certificate_sha256

_HUB_CONFTEST = Path(__file__).resolve().parents[1] / "hub" / "conftest.py"
_spec = importlib.util.spec_from_file_location("tipintake_hub_test_fixtures", _HUB_CONFTEST)
hubfix = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = hubfix
_spec.loader.exec_module(hubfix)

# Re-exported so pytest sees them in this directory too.
hub_dir = hubfix.hub_dir
hub_keys = hubfix.hub_keys
sqlite_url = hubfix.sqlite_url
sqlite_hub = hubfix.sqlite_hub
kit = hubfix.kit

ORG = "Shelter Org"
ADMIN = "admin"
PASSPHRASE = "a long passphrase"
PARTNER = "hubpartner"
FAST = RetryPolicy(attempts=8, base=0.05, cap=0.5, connect_timeout=2.0, read_timeout=20.0)


# -- TLS on 127.0.0.1 ------------------------------------------------------------------
@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory) -> SimpleNamespace:
    """A self-signed certificate for 127.0.0.1: files for uvicorn, fingerprint for the pin."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test hub")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return SimpleNamespace(certfile=certfile, keyfile=keyfile,
                           sha256=certificate_sha256(cert.public_bytes(serialization.Encoding.DER)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TlsServer:
    """uvicorn with TLS in a thread on a port chosen before it starts; restartable on that port."""

    def __init__(self, app, cert: SimpleNamespace, port: int | None = None) -> None:
        self.app, self.cert = app, cert
        self.port = port or free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> TlsServer:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", ssl_certfile=str(self.cert.certfile),
                                ssl_keyfile=str(self.cert.keyfile), timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def stop(self, force: bool = True) -> None:
        if self.server is None:
            return
        self.server.should_exit = True
        self.server.force_exit = force
        self._thread.join(timeout=10)
        self.server = None


@pytest.fixture()
def tls_serve(tls_cert):
    """Start TLS hub servers; every one is stopped after the test."""
    servers: list[TlsServer] = []

    def start(app, port: int | None = None) -> TlsServer:
        server = TlsServer(app, tls_cert, port).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


# -- a proxy that cuts connections -----------------------------------------------------
class CuttingProxy:
    """A TCP proxy on 127.0.0.1 that drops chosen connections after N bytes from the client.

    ``cuts`` is a list of byte counts, one per coming connection: n > 0 cuts the upload
    after n bytes, n < 0 cuts the answer after -n bytes, None lets it through; once the
    list is used up, connections pass untouched. ``on_bytes(total)`` may act
    (e.g. restart the hub) as upload bytes flow.
    """

    def __init__(self, target_port: int, cuts: list[int | None] | None = None) -> None:
        self.target_port = target_port
        self.cuts = list(cuts or [])
        self.connections = 0
        self.cut_count = 0
        self.uploaded = 0
        self.on_bytes = None
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            limit = self.cuts.pop(0) if self.cuts else None
            self.connections += 1
            thread = threading.Thread(target=self._pipe, args=(client, limit), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _pipe(self, client: socket.socket, limit: int | None) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
        except OSError:
            client.close()
            return
        done = threading.Event()
        down_limit = -limit if limit is not None and limit < 0 else None
        up_limit = limit if limit is not None and limit > 0 else None

        def back() -> None:
            received = 0
            try:
                while not done.is_set() and (data := upstream.recv(65536)):
                    if down_limit is not None and received + len(data) >= down_limit:
                        client.sendall(data[: max(0, down_limit - received)])
                        self.cut_count += 1
                        break
                    client.sendall(data)
                    received += len(data)
            except OSError:
                pass
            done.set()

        reader = threading.Thread(target=back, daemon=True)
        reader.start()
        sent = 0
        client.settimeout(0.2)
        try:
            while not done.is_set() and not self._stop.is_set():
                try:
                    data = client.recv(65536)
                except TimeoutError:
                    continue
                if not data:
                    break
                if up_limit is not None and sent + len(data) >= up_limit:
                    upstream.sendall(data[: max(0, up_limit - sent)])
                    self.cut_count += 1
                    break
                # In small pieces when someone watches, so that it can act mid-upload.
                step = 4096 if self.on_bytes is not None else len(data)
                for i in range(0, len(data), step):
                    upstream.sendall(data[i:i + step])
                    sent += len(data[i:i + step])
                    self.uploaded += len(data[i:i + step])
                    if self.on_bytes is not None:
                        self.on_bytes(self.uploaded)
        except OSError:
            pass
        done.set()
        for sock in (client, upstream):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        reader.join(timeout=2)

    def close(self) -> None:
        self._stop.set()
        self._accept.join(timeout=2)
        self._sock.close()
        for thread in self._threads:
            thread.join(timeout=2)


@pytest.fixture()
def cutting_proxy():
    """Make cutting proxies; all are closed after the test."""
    proxies: list[CuttingProxy] = []

    def make(target_port: int, cuts: list[int | None] | None = None) -> CuttingProxy:
        proxy = CuttingProxy(target_port, cuts)
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.close()


# -- the desktop side ------------------------------------------------------------------
class FakePlanner:
    """De-identification stand-in: hands out queued records and withdrawals once each."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.queue: list = []
        self.recorded: list[tuple[str, int]] = []

    def add(self, items) -> None:
        self.queue.extend(items)

    def load_agreement(self, data_dir, name):
        return self.agreement

    def prepare_share(self, session, agreement):
        records = [i for i in self.queue if getattr(i, "type", "") == "record"]
        withdrawals = [i for i in self.queue if getattr(i, "type", "") == "withdrawal"]
        return SimpleNamespace(records=records, withdrawals=withdrawals, report={}, ledger=list(self.queue))

    def record_shared(self, session, partner, plan, batch_id) -> None:
        self.recorded.append((batch_id, len(plan.ledger)))
        shared = {id(i) for i in plan.ledger}
        self.queue = [i for i in self.queue if id(i) not in shared]


def make_agreement(url: str, recipient: str, cert_sha256: str | None, name: str = PARTNER) -> Agreement:
    """A real, validated agreement pointing at the test hub."""
    return Agreement.model_validate({
        "name": name, "purpose": "Test sharing.", "schedule": "monthly",
        "shares": ["yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation",
                   "isForcedLabour"],
        "retention": {"period": "5 years"}, "contact": {"name": "Hub office"},
        "recipients": [recipient], "hub": {"url": url, "certificate_sha256": cert_sha256},
    })


@pytest.fixture()
def session(tmp_path):
    s, _recovery = Store(tmp_path / "data").init(ORG, ADMIN, PASSPHRASE)
    yield s
    s.lock()


@pytest.fixture()
def env(session, sqlite_hub, tls_serve, tls_cert, tmp_path):
    """A store with an enrolled device, a live TLS hub, and a PartnerSync pointing at it."""
    enrol_device(sqlite_hub.engine, sqlite_hub.tables, device_identity(session).public_key, ORG)
    server = tls_serve(create_app(sqlite_hub, Limits(batches_per_minute=6000, burst=1000)))
    agreement = make_agreement(server.url, sqlite_hub.keys.recipient, tls_cert.sha256)
    planner = FakePlanner(agreement)
    sync = PartnerSync(session, PARTNER, planner=planner, policy=FAST)
    return SimpleNamespace(session=session, hub=sqlite_hub, server=server, planner=planner, sync=sync,
                           agreement=agreement, tmp=tmp_path,
                           make_agreement=make_agreement, free_port=free_port)


@pytest.fixture()
def sk():
    """This module's helpers (make_agreement, free_port, ...): test modules cannot import conftest."""
    return sys.modules[__name__]


@pytest.fixture()
def hubcount():
    """Count rows at the hub: records (optionally by case), batches."""
    from sqlalchemy import func, select

    def count(hub, table: str = "records") -> int:
        with hub.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(getattr(hub.tables, table))).scalar_one()

    return count
