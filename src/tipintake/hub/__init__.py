"""The partner hub: receives batches from enrolled devices and publishes CTDC-format data.

No Qt and nothing from the desktop store: the hub shares only the batch format
(``tipintake.sync.batch`` and its siblings) with the desktop side. Modules: ``keys``
(encrypted age identity and receipt key), ``vocabulary`` (allowed elements, identifiers,
released variables; data in ``vocabulary.yaml``), ``db`` (SQLAlchemy tables, SQLite or
PostgreSQL), ``ingest`` (verify, decrypt, validate, store, sign a receipt), ``app`` and
``openapi`` (HTTP API), ``usb`` (import from a stick), ``export`` (k-anonymous CSV and
aggregates), ``context`` (opening a hub). Operator guide: docs/hub.md.
"""
