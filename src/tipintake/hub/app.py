"""The hub's HTTP API (Starlette, served by uvicorn): receive batches, publish aggregates.

``POST /v1/batches`` carries the signed manifest in a header and the age payload as
the body (docs/batch-format.md). The manifest is verified before one byte of the body
is read, so an unknown device or a forged signature costs the hub almost nothing;
the body is then spooled (it is ciphertext) with a hard size limit, and ingested in
a worker thread. Per-device token buckets limit how often a verified device may send.
Error answers are ``{"error": "<one sentence>"}``; nothing from a payload is logged.
"""

from __future__ import annotations

import base64
import binascii
import logging
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tipintake.errors import BatchRejected, UserError
from tipintake.hub.export import aggregate
from tipintake.hub.ingest import Hub, HubRejected, check_manifest, ingest_payload
from tipintake.hub.openapi import openapi_spec

log = logging.getLogger("tipintake.hub")
MANIFEST_HEADER = "tipintake-manifest"
MAX_MANIFEST_HEADER = 16 * 1024
SPOOL_IN_MEMORY = 8 * 1024 * 1024


@dataclass
class Limits:
    """Request limits; the defaults suit a small partner hub."""

    max_batch_bytes: int = 64 * 1024 * 1024
    batches_per_minute: float = 30.0
    burst: int = 30


@dataclass
class RateLimiter:
    """Token buckets per device id (in memory: one hub process, as docs/hub.md says)."""

    per_minute: float
    burst: int
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, key: str) -> float:
        """0 if a request by ``key`` may go ahead now (and take a token), else seconds to wait."""
        now = time.monotonic()
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate if rate > 0 else 3600.0


def _error(reason: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=status, headers=headers)


def create_app(hub: Hub, limits: Limits | None = None) -> Starlette:
    """The ASGI application for a hub."""
    limits = limits or Limits()
    limiter = RateLimiter(limits.batches_per_minute, limits.burst)

    async def post_batch(request: Request) -> Response:
        header = request.headers.get(MANIFEST_HEADER)
        if not header:
            return _error("The request has no Tipintake-Manifest header.", 400)
        if len(header) > MAX_MANIFEST_HEADER:
            return _error("The Tipintake-Manifest header is too large.", 413)
        try:
            manifest_bytes = base64.b64decode(header, validate=True)
        except (binascii.Error, ValueError):
            return _error("The Tipintake-Manifest header is not base64.", 400)
        try:
            incoming = await run_in_threadpool(check_manifest, hub, manifest_bytes)
            wait = limiter.retry_after(incoming.manifest.device_id)
            if wait > 0:
                return _error(
                    "This device has sent too many batches; try again later.", 429,
                    {"Retry-After": str(max(1, round(wait)))},
                )
            if incoming.stored_receipt is not None:
                return Response(incoming.stored_receipt, media_type="application/json")
            size = incoming.manifest.payload.size
            if size > limits.max_batch_bytes:
                return _error("The batch is larger than this hub accepts.", 413)
            declared = request.headers.get("content-length")
            if declared is not None and declared != str(size):
                return _error("The request body is not the size the manifest gives.", 400)
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
                received = 0
                async for chunk in request.stream():
                    received += len(chunk)
                    if received > size:
                        return _error("The request body is longer than the manifest says.", 400)
                    spool.write(chunk)
                receipt = await run_in_threadpool(ingest_payload, hub, incoming, spool)
        except HubRejected as exc:
            log.info("batch refused (%d): %s", exc.status, exc.reason)
            return _error(exc.reason, exc.status)
        except BatchRejected as exc:
            log.info("batch refused (400): %s", exc.reason)
            return _error(exc.reason, 400)
        return Response(receipt, media_type="application/json")

    async def get_aggregates(request: Request) -> Response:
        by = [part.strip() for part in request.query_params.get("by", "").split(",") if part.strip()]
        try:
            table = await run_in_threadpool(aggregate, hub, by)
        except UserError as exc:
            return _error(str(exc), 400)
        return JSONResponse(table)

    async def get_hub(_request: Request) -> Response:
        return JSONResponse({
            "batch_format_versions": [1],
            "recipient": hub.keys.recipient,
            "receipt_key": hub.keys.receipt_public,
            "hub_key_id": hub.keys.key_id,
            "max_batch_bytes": limits.max_batch_bytes,
            "released_variables": hub.vocabulary.released,
            "k": hub.vocabulary.k,
        })

    spec = openapi_spec(hub.vocabulary.released)

    async def get_openapi(_request: Request) -> Response:
        return JSONResponse(spec)

    return Starlette(routes=[
        Route("/v1/batches", post_batch, methods=["POST"]),
        Route("/v1/aggregates", get_aggregates, methods=["GET"]),
        Route("/v1/hub", get_hub, methods=["GET"]),
        Route("/openapi.json", get_openapi, methods=["GET"]),
    ])


def serve(app: Any, host: str, port: int) -> None:
    """Run the app under uvicorn until interrupted."""
    import uvicorn  # here, so importing the app does not need the server

    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
