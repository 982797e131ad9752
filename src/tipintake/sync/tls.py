"""HTTPS clients for a partner hub: normal certificate verification, or a pinned certificate.

A small partner may run its hub with a self-signed certificate. Its agreement then
carries the SHA-256 fingerprint of the certificate (DER form), and this device
accepts exactly that certificate: the check runs inside the connection set-up,
right after the TLS handshake and before any request byte is sent, through a thin
wrapper around httpcore's network backend. (httpx has no public hook for this; the
wrapper is installed on the transport's pool and covered by tests/sync/test_tls.py.)
Without a pin, the system's certificate authorities and host-name check apply.
"""

from __future__ import annotations

import hashlib
import hmac
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from tipintake.i18n import _
from tipintake.sync.errors import InsecureConnection
from tipintake.sync.partner import PartnerLink


def certificate_sha256(der: bytes) -> str:
    """The fingerprint an agreement pins: SHA-256 of the DER certificate, lowercase hex."""
    return hashlib.sha256(der).hexdigest()


class _PinCheckingBackend(httpcore.NetworkBackend):
    """Opens TCP connections whose TLS handshake must present the pinned certificate."""

    def __init__(self, pin: str) -> None:
        self._inner = httpcore.SyncBackend()
        self._pin = pin

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _PinCheckingStream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options), self._pin)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise InsecureConnection(_("A pinned hub is reached over TCP only."))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _PinCheckingStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, pin: str) -> None:
        self._inner = inner
        self._pin = pin

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._inner.close()

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        stream = self._inner.start_tls(ssl_context, server_hostname, timeout)
        ssl_object = stream.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(True) if ssl_object is not None else None
        if not der or not hmac.compare_digest(certificate_sha256(der), self._pin):
            stream.close()
            raise InsecureConnection(_(
                "The hub's certificate is not the one in the partner agreement, so nothing was sent."
            ))
        return stream


def client_for(link: PartnerLink, base_url: str, connect_timeout: float = 10.0,
               read_timeout: float = 120.0) -> httpx.Client:
    """An httpx client for a partner hub, honouring the agreement's certificate pin."""
    timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
    if not link.cert_sha256 or not base_url.startswith("https://"):
        return httpx.Client(timeout=timeout, follow_redirects=False)
    # The pin replaces the CA chain and host name: a self-signed hub has neither.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    transport = httpx.HTTPTransport(verify=context)
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001 - see the module docstring
        ssl_context=context, network_backend=_PinCheckingBackend(link.cert_sha256.lower()),
    )
    return httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)
