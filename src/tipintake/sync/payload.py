"""Streaming plumbing for batch payloads: JSON Lines ▸ gzip ▸ age, and back.

pyrage's ``encrypt_io`` pulls plaintext from a readable object and pushes
ciphertext to a writable one in 64 KiB age chunks, so a batch is built without
holding the records, the JSON or the compressed stream in memory: records are
serialised and compressed on demand as age asks for more bytes, and the
ciphertext is hashed on its way to the file. ``decrypt_io`` pushes plaintext to a
writer; a small worker thread and a bounded queue turn that into an iterator of
lines, so a reader's memory is bounded too (by the queue and the longest line).
age authenticates each chunk before releasing it; a truncated stream is only
detected at its end, so callers apply lines inside a transaction they can roll back.
"""

from __future__ import annotations

import hashlib
import io
import queue
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

import pyrage

from tipintake.errors import BatchRejected

GZIP_LEVEL = 6
MAX_LINE_BYTES = 1 << 20  # one de-identified record is a few kB; a 1 MiB line is an attack
_QUEUE_CHUNKS = 8  # ~8 x 64 KiB of plaintext in flight between the age thread and the reader
_END = object()


class LineSource(io.RawIOBase):
    """A readable stream producing gzip-compressed lines, pulled from an iterable on demand."""

    def __init__(self, items: Iterable[Any], to_line: Callable[[Any], bytes]) -> None:
        self._items = iter(items)
        self._to_line = to_line
        self._compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # 31: gzip header
        self._buffer = bytearray()
        self._done = False
        self.error: BaseException | None = None  # kept because pyrage replaces it with OSError

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        try:
            while len(self._buffer) < len(target) and not self._done:
                self._fill()
        except BaseException as exc:  # noqa: BLE001 - re-raised by the caller, see .error
            self.error = exc
            raise
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        del self._buffer[:n]
        return n

    def _fill(self) -> None:
        lines = []
        for _ in range(512):
            try:
                item = next(self._items)
            except StopIteration:
                self._done = True
                break
            lines.append(self._to_line(item))
        self._buffer += self._compressor.compress(b"".join(lines))
        if self._done:
            self._buffer += self._compressor.flush()


class HashingWriter(io.RawIOBase):
    """A writable stream that passes bytes to a file and keeps their SHA-256 and size."""

    def __init__(self, target: BinaryIO) -> None:
        self._target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.sha256.update(chunk)
        self.size += len(chunk)
        self._target.write(chunk)
        return len(chunk)


def encrypt_lines(source: LineSource, target: BinaryIO, recipients: list[Any]) -> HashingWriter:
    """Encrypt a LineSource to ``target`` for the age recipients; returns the hashing writer."""
    writer = HashingWriter(target)
    try:
        pyrage.encrypt_io(source, writer, recipients)
    except Exception as exc:
        if source.error is not None:  # the record iterator failed: report that, not age's wrapper
            raise source.error from None
        raise BatchRejected("The payload could not be encrypted to the partner's keys.") from exc
    return writer


def hash_file(handle: BinaryIO) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file object read from its current position."""
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class _QueueSink(io.RawIOBase):
    """Where pyrage writes plaintext; hands chunks to the reading thread through a queue."""

    def __init__(self, chunks: queue.Queue[Any], stop: threading.Event) -> None:
        self._chunks = chunks
        self._stop = stop

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        _put(self._chunks, chunk, self._stop)
        return len(chunk)


def _put(chunks: queue.Queue[Any], item: Any, stop: threading.Event) -> None:
    while True:
        if stop.is_set():
            raise OSError("the reader stopped")
        try:
            chunks.put(item, timeout=0.05)
            return
        except queue.Full:
            continue


def iter_plain_lines(source: BinaryIO, identities: list[Any]) -> Iterator[bytes]:
    """Decrypt and decompress a payload, yielding its lines (without newlines) as they arrive.

    Raises BatchRejected if the payload cannot be decrypted with ``identities``, is
    not gzip, is truncated, or has a line longer than MAX_LINE_BYTES.
    """
    chunks: queue.Queue[Any] = queue.Queue(maxsize=_QUEUE_CHUNKS)
    stop = threading.Event()

    def decrypt() -> None:
        try:
            pyrage.decrypt_io(source, _QueueSink(chunks, stop), identities)
            _put(chunks, _END, stop)
        except Exception as exc:  # noqa: BLE001 - handed to the reader, which raises it
            try:
                _put(chunks, exc, stop)
            except OSError:
                pass

    worker = threading.Thread(target=decrypt, name="age-decrypt", daemon=True)
    worker.start()
    try:
        yield from _split_lines(_gunzip(_drain(chunks)))
    finally:
        stop.set()
        worker.join()


def _drain(chunks: queue.Queue[Any]) -> Iterator[bytes]:
    while True:
        item = chunks.get()
        if item is _END:
            return
        if isinstance(item, Exception):
            raise BatchRejected(
                "The payload could not be decrypted with the hub's key, or it is damaged."
            ) from item
        yield item


def _gunzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    decompressor = zlib.decompressobj(31)
    try:
        for chunk in chunks:
            data = chunk
            while data:
                # max_length bounds memory against a compression bomb
                out = decompressor.decompress(data, 1 << 20)
                if out:
                    yield out
                if decompressor.unused_data:
                    raise BatchRejected("The payload has data after the end of its gzip stream.")
                data = decompressor.unconsumed_tail
        while tail := decompressor.decompress(b"", 1 << 20):
            yield tail
    except zlib.error as exc:
        raise BatchRejected("The decrypted payload is not valid gzip.") from exc
    if not decompressor.eof:
        raise BatchRejected("The payload's gzip stream is truncated.")


def _split_lines(blocks: Iterator[bytes]) -> Iterator[bytes]:
    pending = b""
    for block in blocks:
        pending += block
        *lines, pending = pending.split(b"\n")
        yield from lines
        if len(pending) > MAX_LINE_BYTES:
            raise BatchRejected("The payload has a line longer than 1 MiB.")
    if pending:
        raise BatchRejected("The payload does not end with a newline, so it may be truncated.")
