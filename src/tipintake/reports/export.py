"""Exports of case lists and report tables: CSV or XLSX, encrypted unless told otherwise.

Export is the dangerous action (responsible data §14): every export needs the EXPORT
permission, is built in memory (no plaintext temporary file), is written either
encrypted with a passphrase in the standard ``age`` format (open it with
``age -d file.csv.age > file.csv`` or any age tool) or, with an explicit
``allow_plaintext=True`` the UI asks for with a warning, as a plain file where the
user chose. Report tables always leave with small cells suppressed. The audit trail
records what, how many rows, the format and where, never the content.

Excel safety: CSV starts with a UTF-8 byte-order mark so Excel shows Thai, Khmer and
Burmese; a text cell starting with = + - @ (or a tab or carriage return) is prefixed
with an apostrophe so no spreadsheet runs it as a formula (CSV/formula injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from openpyxl import Workbook
from openpyxl.styles import Font

from tipintake.errors import UserError
from tipintake.i18n import _
from tipintake.reports.tables import DEFAULT_THRESHOLD, Table, cells, suppress
from tipintake.store.atomic import write_atomic
from tipintake.store.cases import CaseFilter
from tipintake.store.roles import Permission
from tipintake.store.session import MIN_PASSPHRASE, Session

FORMATS = ("csv", "xlsx")
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
THRESHOLD_SETTING = "reports.small_cell_threshold"


class ExportNotAllowed(UserError):
    """An export that would leave plaintext without the user's acknowledgement."""


@dataclass(frozen=True)
class ExportResult:
    """Where an export went and what it held (for the UI's confirmation)."""

    path: Path
    rows: int
    encrypted: bool


def safe_cell(value: Any) -> Any:
    """A cell no spreadsheet will run: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark and CRLF line ends (what Excel expects)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return (BOM + buf.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[Any]], sheet_title: str) -> bytes:
    """An XLSX workbook with one sheet; text cells are stored as text, never as formulas."""
    wb = Workbook()
    ws = wb.active
    # Sheet names: at most 31 characters and none of []:*?/\ .
    ws.title = "".join(ch for ch in sheet_title if ch not in "[]:*?/\\")[:31] or "Sheet1"
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column in ws.iter_cols():
        for cell in column:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise treat "=…" as a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render(rows: Sequence[Sequence[Any]], fmt: str, title: str) -> bytes:
    """The bytes of an export in ``fmt`` (csv or xlsx)."""
    if fmt == "csv":
        return csv_bytes(rows)
    if fmt == "xlsx":
        return xlsx_bytes(rows, title)
    raise UserError(_("Unknown export format “{format}”: choose csv or xlsx.").format(format=fmt))


def threshold_of(session: Session, threshold: int | None = None) -> int:
    """The small-cell threshold: given, else the organisation's setting, else 11."""
    value = threshold if threshold is not None else session.setting(THRESHOLD_SETTING, DEFAULT_THRESHOLD)
    if not isinstance(value, int) or value < 1:
        raise UserError(_("The small-number threshold must be a whole number of 1 or more."))
    return value


def write_export(session: Session, data: bytes, out: Path, *, what: str, rows: int, fmt: str,
                 passphrase: str | None = None, allow_plaintext: bool = False,
                 object_type: str | None = None) -> ExportResult:
    """Write ``data`` encrypted (age, passphrase) or, when acknowledged, plain; audit it."""
    session.require(Permission.EXPORT)
    out = Path(out)
    if passphrase is not None:
        if len(passphrase) < MIN_PASSPHRASE:
            raise UserError(_("The export passphrase is too short: use at least {count} characters.")
                            .format(count=MIN_PASSPHRASE))
        if out.suffix != ".age":
            out = out.with_name(out.name + ".age")
        data = pyrage.passphrase.encrypt(data, passphrase)
    elif not allow_plaintext:
        raise ExportNotAllowed(_("An export must be encrypted with a passphrase, or you must confirm "
                                 "that it may be written unencrypted."))
    if not out.parent.is_dir():
        raise UserError(_("The folder “{folder}” does not exist.").format(folder=str(out.parent)))
    write_atomic(out, data)
    kind = object_type or ("cases" if what == "cases" else "report")
    session.audit("export", kind, what,
                  {"rows": rows, "format": fmt, "encrypted": passphrase is not None, "to": str(out)})
    return ExportResult(out, rows, passphrase is not None)


def export_table(session: Session, table: Table, fmt: str, out: Path, *, passphrase: str | None = None,
                 allow_plaintext: bool = False, threshold: int | None = None) -> ExportResult:
    """Export a report table with small cells suppressed."""
    session.require(Permission.EXPORT)
    k = threshold_of(session, threshold)
    grid = cells(suppress(table, k), k)
    data = render(grid, fmt, table.title)
    return write_export(session, data, out, what=table.key, rows=len(grid) - 1, fmt=fmt,
                        passphrase=passphrase, allow_plaintext=allow_plaintext)


def case_rows(session: Session, flt: CaseFilter | None = None) -> list[list[Any]]:
    """The case list as rows (heading first): references and bookkeeping, no answers, no identity."""
    head = [_("Reference"), _("Form"), _("Status"), _("Created"), _("Updated"), _("Updated by"),
            _("Revisions")]
    out: list[list[Any]] = [head]
    total = session.cases.count(flt)
    for offset in range(0, total, 5000):
        for r in session.cases.list(flt, sort="created_at", descending=False, offset=offset, limit=5000):
            out.append([r.reference, r.form_id, r.status, r.created_at.isoformat(timespec="minutes"),
                        r.updated_at.isoformat(timespec="minutes"), r.updated_by, r.revision_count])
    return out


def export_cases(session: Session, fmt: str, out: Path, flt: CaseFilter | None = None, *,
                 passphrase: str | None = None, allow_plaintext: bool = False) -> ExportResult:
    """Export the case list (needs EXPORT)."""
    session.require(Permission.EXPORT)
    grid = case_rows(session, flt)
    data = render(grid, fmt, _("Cases"))
    return write_export(session, data, out, what="cases", rows=len(grid) - 1, fmt=fmt,
                        passphrase=passphrase, allow_plaintext=allow_plaintext)
