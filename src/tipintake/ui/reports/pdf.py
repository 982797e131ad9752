"""A printable PDF summary of one case, for a referral (Qt's QTextDocument and QPdfWriter).

The PDF is drawn into memory (never a plaintext temporary file) and written like any
export: EXPORT permission, age-encrypted or an acknowledged plain file, audited.
Identity answers appear only for roles allowed to read identity (``CaseService.show``
leaves them out otherwise). Labels and choices are in the interface language; dates
follow it (Buddhist Era in Thai).
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from tipintake.errors import UserError
from tipintake.forms import FormSpec, load_form
from tipintake.i18n import _, current_language
from tipintake.i18n.calendars import format_date
from tipintake.reports.export import ExportResult, write_export
from tipintake.reports.labels import choice_text, field_label
from tipintake.store.roles import Permission
from tipintake.store.session import Session
from tipintake.ui.reports.qt_extra import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)


def _value(spec: FormSpec | None, name: str, value: Any, lang: str) -> str:
    fld = spec.field(name) if spec is not None and spec.has_field(name) else None
    if isinstance(value, list):
        return ", ".join(choice_text(spec, fld, str(v), lang) for v in value)
    if fld is not None and fld.type.value == "date" and isinstance(value, str) and len(value) == 10:
        try:
            return format_date(value, lang)
        except ValueError:
            return value
    return choice_text(spec, fld, str(value), lang) if fld is not None and fld.is_select else str(value)


def _section(spec: FormSpec | None, answers: dict[str, Any], lang: str) -> str:
    rows = []
    names = [f.name for f in spec.fields()] if spec is not None else sorted(answers)
    for name in names:
        if name not in answers or name.startswith("_"):
            continue
        label = field_label(spec, spec.field(name), lang) if spec is not None else name
        rows.append(f"<tr><td width='40%'><b>{escape(label)}</b></td>"
                    f"<td>{escape(_value(spec, name, answers[name], lang))}</td></tr>")
    return "<table cellspacing='0' cellpadding='3' border='1' width='100%'>" + "".join(rows) + "</table>"


def case_html(session: Session, case_id: str) -> str:
    """The referral summary as HTML (identity only when the role may read it)."""
    lang = current_language()
    detail = session.cases.show(case_id)
    rev = detail.latest(detail.row.form_id) or detail.latest()
    if rev is None:
        raise UserError(_("This case has no saved answers yet."))
    try:
        spec: FormSpec | None = load_form(rev.form_id)
    except UserError:
        spec = None
    parts = [f"<h2>{escape(_('Case summary for a referral'))}</h2>",
             f"<p>{escape(_('Case reference: {reference}').format(reference=detail.row.reference))}<br>",
             escape(_("Printed on {date} by {user}").format(
                 date=format_date(date.today(), lang), user=session.user.username)),
             "</p>"]
    if rev.identity is not None and session.can(Permission.READ_IDENTITY):
        parts.append(f"<h3>{escape(_('Identity'))}</h3>{_section(spec, rev.identity, lang)}")
    else:
        parts.append(f"<p><i>{escape(_('Identity is left out: your role does not allow it.'))}</i></p>")
    parts.append(f"<h3>{escape(_('Answers'))}</h3>{_section(spec, rev.context, lang)}")
    parts.append(f"<p><small>{escape(_('Confidential: share only with the organisation the person agreed to be referred to.'))}</small></p>")
    return "".join(parts)


def pdf_bytes(html: str) -> bytes:
    """Print ``html`` to an A4 PDF in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(150)
    doc = QTextDocument()
    doc.setHtml(html)
    doc.print_(writer)
    del writer  # the PDF is finished when the writer goes
    buffer.close()
    return bytes(data.data())


def export_case_pdf(session: Session, case_id: str, out: Path, *, passphrase: str | None = None,
                    allow_plaintext: bool = False) -> ExportResult:
    """Write the case's referral PDF (needs EXPORT; encrypted unless plain is acknowledged)."""
    session.require(Permission.EXPORT)
    data = pdf_bytes(case_html(session, case_id))
    return write_export(session, data, out, what=case_id, rows=1, fmt="pdf", passphrase=passphrase,
                        allow_plaintext=allow_plaintext, object_type="case_summary")
