"""Responsible sharing: consent gate, partner agreements, de-identification, risk report.

No Qt. The sync layer calls :func:`tipintake.deid.share.prepare_share` for a
:class:`~tipintake.deid.share.SharePlan` (records, withdrawal notices, risk report,
ledger) and :func:`tipintake.deid.share.record_shared` once the batch exists.
Agreements: :mod:`tipintake.deid.agreements`; withdrawal: :mod:`tipintake.deid.consent`.
See docs/deidentification.md.
"""
