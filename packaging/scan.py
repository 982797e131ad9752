"""Looks through a built bundle for what must never ship: test data, secrets, plaintext stores.

Used by ``packaging/smoke.py`` after every build; ``scan_bundle(folder)`` returns one
sentence per problem (an empty list is a pass). The rules are by name (stores, key
slots, catalog sources, test folders, virtualenv folders), by content (private keys,
age identities, a plaintext SQLite header, the build machine's paths in text files)
and by identity (any file byte-identical to one under the checkout's ``tests/``).
Python modules inside PyInstaller's archive are checked by name too, when PyInstaller
is importable.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

# Names that belong to a data folder or a checkout, never to an installed app.
FORBIDDEN_NAMES = {
    "keyslots.json", "lockout.json", "hub-keys.json", "recipient.txt", "interface-language",
    ".env", ".git", ".venv", "venv", "site-packages", "tests", "outbox", "backups",
    "conftest.py", ".pytest_cache", ".hypothesis",
}
FORBIDDEN_SUFFIXES = {
    ".db", ".sqlite", ".sqlite3", ".db-wal", ".db-shm", ".age",  # stores and batches
    ".po", ".pot",  # catalog sources: the bundle reads compiled .mo files only
    ".pem", ".key", ".p12", ".pfx", ".crt", ".der", ".jks",  # keys and certificates
}
# certifi's public CA list is the one certificate file httpx needs; it is checked below
# to hold certificates only.
ALLOWED_CERT_FILES = {"certifi/cacert.pem"}

# A real private key: the PEM header followed by base64, or a full age identity. Libraries
# carry the bare headers as string constants, so the header alone is not a finding.
_PRIVATE_PEM = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\r?\n[A-Za-z0-9+/=]{40}")
_AGE_IDENTITY = re.compile(rb"AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}")
_SQLITE_HEADER = b"SQLite format 3\x00"
_TEXT_SUFFIXES = {".py", ".yaml", ".yml", ".json", ".txt", ".mako", ".cfg", ".ini", ".toml", ".md"}
# Test modules that must not be in the archive (the app's and its dependencies' test suites
# are fine to leave out; ours and the test tools must be).
_FORBIDDEN_MODULE_PREFIXES = ("tests", "pytest", "_pytest", "pytestqt", "hypothesis",
                              "schemathesis", "tipintake.hub")


def _files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def test_data_hashes(tests_dir: Path) -> dict[str, str]:
    """sha256 → path of every non-trivial file under the checkout's tests folder."""
    out: dict[str, str] = {}
    if not tests_dir.is_dir():
        return out
    for path in _files(tests_dir):
        if path.stat().st_size >= 64 and "__pycache__" not in path.parts:
            out[_sha256(path)] = str(path.relative_to(tests_dir.parent))
    return out


def scan_names(folder: Path) -> list[str]:
    """Problems found from file and folder names alone."""
    problems = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.name in FORBIDDEN_NAMES:
            problems.append(f"{rel}: a {path.name!r} must not ship")
        elif path.is_file() and path.suffix.lower() in FORBIDDEN_SUFFIXES:
            if not any(rel.endswith(allowed) for allowed in ALLOWED_CERT_FILES):
                problems.append(f"{rel}: {path.suffix} files must not ship")
    return problems


def scan_contents(folder: Path, build_paths: Iterable[str] = ()) -> list[str]:
    """Problems found inside files: keys, plaintext databases, build-machine paths."""
    problems = []
    markers = [p.encode() for p in build_paths if p]
    for path in _files(folder):
        rel = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if data.startswith(_SQLITE_HEADER):
            problems.append(f"{rel}: a plaintext SQLite database")
        if _PRIVATE_PEM.search(data):
            problems.append(f"{rel}: contains a PEM private key")
        if _AGE_IDENTITY.search(data):
            problems.append(f"{rel}: contains an age secret key")
        if any(rel.endswith(allowed) for allowed in ALLOWED_CERT_FILES):
            blocks = set(re.findall(rb"-----BEGIN ([A-Z0-9 ]+)-----", data))
            if blocks - {b"CERTIFICATE"}:
                problems.append(f"{rel}: holds more than certificates ({sorted(blocks)})")
        if path.suffix in _TEXT_SUFFIXES:
            for marker in markers:
                if marker in data:
                    problems.append(f"{rel}: names a build-machine path ({marker.decode()})")
    return problems


def scan_test_copies(folder: Path, tests_dir: Path) -> list[str]:
    """Files that are byte-for-byte copies of the checkout's test data."""
    known = test_data_hashes(tests_dir)
    if not known:
        return []
    return [
        f"{path.relative_to(folder).as_posix()}: a copy of {known[digest]}"
        for path in _files(folder)
        if path.stat().st_size >= 64 and (digest := _sha256(path)) in known
    ]


def archive_modules(executable: Path) -> list[str]:
    """Names of the Python modules inside the bundle's archive ([] without PyInstaller here)."""
    try:
        from PyInstaller.archive.readers import CArchiveReader
    except ImportError:
        return []
    names: list[str] = []
    candidates = [executable, *executable.parent.glob("_internal/*.pkg")]
    for candidate in candidates:
        try:
            archive = CArchiveReader(str(candidate))
        except Exception:  # noqa: BLE001 - not an archive: try the next
            continue
        for name, entry in archive.toc.items():
            if entry[-1] == "z":  # the PYZ of pure modules
                names.extend(archive.open_embedded_archive(name).toc)
    return sorted(set(names))


def scan_modules(modules: Iterable[str]) -> list[str]:
    """Test suites and the hub server found among the archived modules."""
    return [
        f"module {name} must not ship"
        for name in modules
        if any(name == prefix or name.startswith(prefix + ".") for prefix in _FORBIDDEN_MODULE_PREFIXES)
    ]


def scan_bundle(folder: Path, *, tests_dir: Path | None = None, executable: Path | None = None,
                build_paths: Iterable[str] = ()) -> list[str]:
    """Every problem found in the bundle folder; [] means it is clean."""
    problems = scan_names(folder) + scan_contents(folder, build_paths)
    if tests_dir is not None:
        problems += scan_test_copies(folder, tests_dir)
    if executable is not None:
        problems += scan_modules(archive_modules(executable))
    return problems
