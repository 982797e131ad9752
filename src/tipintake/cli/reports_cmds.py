"""Report commands: dashboard and data-quality figures, and exports of tables and case lists.

Output of the command line is easily redirected into a file, so figures printed here
are suppressed like every report that leaves the screen (counts under the threshold
show as "<11"). Exports need the EXPORT permission and are encrypted with a passphrase
(TIPINTAKE_EXPORT_PASSPHRASE or a prompt) unless ``--plaintext-ok`` is given.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from tipintake.cli.common import add_data_dir, ask_passphrase, print_json
from tipintake.cli.store_cmds import signed_in
from tipintake.errors import UserError
from tipintake.i18n import _
from tipintake.reports import (
    ReportFilter,
    Table,
    dashboard,
    duplicates,
    export_cases,
    export_table,
    quality,
)
from tipintake.reports.export import FORMATS, threshold_of
from tipintake.reports.tables import cells, suppress
from tipintake.store.cases import CaseFilter
from tipintake.store.session import Session

QUALITY_TABLES = ("completeness", "findings")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``tipintake reports …``."""
    reports = sub.add_parser("reports", help="dashboard, data quality and exports").add_subparsers(
        dest="reports_cmd", required=True)
    d = reports.add_parser("dashboard", help="cases by month, exploitation, control, origin, age, gender")
    d.set_defaults(func=cmd_dashboard)
    q = reports.add_parser("quality", help="completeness per question and inconsistent answers")
    q.add_argument("--duplicates", action="store_true",
                   help="also look for cases entered twice (needs permission to read identity)")
    q.set_defaults(func=cmd_quality)
    e = reports.add_parser("export", help="write a table or the case list as CSV or XLSX")
    e.add_argument("--what", required=True, help="cases, completeness, findings, or a dashboard figure "
                   "(cases_by_month, exploitation, means_of_control, citizenship, "
                   "country_of_exploitation, age_band, gender, services, referrals)")
    e.add_argument("--format", required=True, choices=FORMATS)
    e.add_argument("--out", required=True, type=Path, help="file to write (.age is added when encrypted)")
    how = e.add_mutually_exclusive_group(required=True)
    how.add_argument("--encrypt-to-passphrase", action="store_true",
                     help="encrypt with a passphrase (TIPINTAKE_EXPORT_PASSPHRASE or a prompt); open with `age -d`")
    how.add_argument("--plaintext-ok", action="store_true", help="write an unencrypted file (you take care of it)")
    e.set_defaults(func=cmd_export)
    for p in (d, q, e):
        add_data_dir(p)
        p.add_argument("--since", type=date.fromisoformat, help="registered on or after (YYYY-MM-DD)")
        p.add_argument("--until", type=date.fromisoformat, help="registered on or before (YYYY-MM-DD)")
        p.add_argument("--form", help="only cases with this form")
        p.add_argument("--threshold", type=int, help="hide counts under this number (default 11)")
    for p in (d, q):
        p.add_argument("--json", action="store_true", help="print JSON")


def _filter(args: argparse.Namespace) -> ReportFilter:
    return ReportFilter(since=args.since, until=args.until, form_id=args.form)


def _table_json(table: Table, k: int) -> dict[str, Any]:
    hidden = suppress(table, k)
    return {"key": table.key, "title": table.title, "columns": list(table.columns),
            "total": hidden.total, "multiple_choice": table.multi, "threshold": k,
            "rows": [{"code": r.code, "label": r.label, "values": list(r.values)} for r in hidden.rows]}


def _print_table(table: Table, k: int) -> None:
    grid = cells(suppress(table, k), k)
    print(f"\n{table.title}")
    width = max(len(str(row[0])) for row in grid)
    for row in grid:
        print(f"  {str(row[0]):<{width}}  " + "  ".join(f"{v!s:>8}" for v in row[1:]))


def cmd_dashboard(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        k = threshold_of(session, args.threshold)
        result = dashboard(session, _filter(args))
    if args.json:
        print_json({"cases": result.cases, "tables": [_table_json(t, k) for t in result.tables.values()]})
        return 0
    print(_("{count} cases").format(count=result.cases))
    for table in result.tables.values():
        _print_table(table, k)
    return 0


def cmd_quality(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        k = threshold_of(session, args.threshold)
        report = quality(session, _filter(args))
        found = report.findings + (duplicates(session, _filter(args)) if args.duplicates else [])
    if args.json:
        print_json({"cases": report.cases, "completeness": _table_json(report.completeness, k),
                    "findings": [{"kind": f.kind, "message": f.message, "fields": list(f.fields),
                                  "cases": [ref for _cid, ref in f.cases]} for f in found]})
        return 0
    _print_table(report.completeness, k)
    print(f"\n{_('Inconsistent answers')}")
    for f in found:
        refs = ", ".join(ref for _cid, ref in f.cases[:20]) + (" …" if len(f.cases) > 20 else "")
        print(f"  {f.message} ({len(f.cases)}): {refs}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    passphrase = None
    if args.encrypt_to_passphrase:
        passphrase = ask_passphrase("Passphrase for the export file: ", env="TIPINTAKE_EXPORT_PASSPHRASE")
    with signed_in(args) as session:
        k = threshold_of(session, args.threshold)
        if args.what == "cases":
            result = export_cases(session, args.format, args.out, CaseFilter(form_id=args.form),
                                  passphrase=passphrase, allow_plaintext=args.plaintext_ok)
        else:
            result = export_table(session, _find_table(session, args), args.format, args.out,
                                  passphrase=passphrase, allow_plaintext=args.plaintext_ok, threshold=k)
    print(_("Wrote {rows} rows to {path}{how}.").format(
        rows=result.rows, path=result.path,
        how=_(" (encrypted: open with `age -d`)") if result.encrypted else ""))
    return 0


def _find_table(session: Session, args: argparse.Namespace) -> Table:
    if args.what in QUALITY_TABLES:
        report = quality(session, _filter(args))
        return report.completeness if args.what == "completeness" else report.findings_table()
    tables = dashboard(session, _filter(args)).tables
    if args.what not in tables:
        raise UserError(_("There is no table “{name}”: choose cases, {names}.").format(
            name=args.what, names=", ".join([*QUALITY_TABLES, *tables])))
    return tables[args.what]
