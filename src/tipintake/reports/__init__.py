"""Reports: dashboard figures, data quality and exports, as plain data (no Qt).

- ``dashboard(session, flt)``: cases by month, type of exploitation, means of control,
  citizenship, country of exploitation, CTDC age band, gender, services and referrals;
- ``quality(session, flt)``: completeness per question and inconsistent answers;
  ``duplicates(session, flt)``: possible duplicate cases (needs READ_IDENTITY);
- ``suppress(table, threshold)``: small-number protection for tables that leave the screen;
- ``export_table`` / ``export_cases``: CSV (BOM) or XLSX, age-encrypted or acknowledged
  plaintext, permission-checked and audited.

Every figure is counted from per-case summaries (``reports.summary``): one pass over
the latest answers of each case, cached in memory for later refreshes.
"""

from __future__ import annotations

from tipintake.reports.dashboard import Dashboard, dashboard
from tipintake.reports.duplicates import duplicates
from tipintake.reports.export import ExportNotAllowed, ExportResult, export_cases, export_table
from tipintake.reports.quality import CaseRef, Finding, QualityReport, quality
from tipintake.reports.summary import CaseSummary, ReportFilter, clear_cache, summaries
from tipintake.reports.tables import DEFAULT_THRESHOLD, Row, Table, suppress

__all__ = [
    "DEFAULT_THRESHOLD",
    "CaseRef",
    "CaseSummary",
    "Dashboard",
    "ExportNotAllowed",
    "ExportResult",
    "Finding",
    "QualityReport",
    "ReportFilter",
    "Row",
    "Table",
    "clear_cache",
    "dashboard",
    "duplicates",
    "export_cases",
    "export_table",
    "quality",
    "summaries",
    "suppress",
]
