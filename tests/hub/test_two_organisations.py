"""Two organisations deliver over HTTP and by USB; the publication is k-anonymous. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from collections import Counter

import httpx
from sqlalchemy import func, select

from tipintake.hub.export import aggregate, export_ctdc
from tipintake.hub.usb import import_folder
from tipintake.sync.receipt import receipt_name, verify_receipt
from tipintake.sync.records import CaseRecord


def _rare(prefix: str, n: int) -> list[CaseRecord]:
    """Records whose released values are unique: the export must suppress them."""
    return [
        CaseRecord(case=f"{prefix}-rare{i:04d}", revision=1, form="intake", form_version="1",
                   values={"yearOfRegistration": 2000 + i, "gender": "Male", "citizenship": "MM"})
        for i in range(n)
    ]


def test_two_organisations_over_http_and_usb_give_a_k_anonymous_export(hub, serve, kit, tmp_path):
    url = kit.serve_hub(serve, hub)
    shelter = kit.Device("Shelter Bangkok").enrol(hub)
    clinic = kit.Device("Clinic Phnom Penh").enrol(hub)

    # Organisation 1 over HTTP, two batches, the second revising and withdrawing.
    first = shelter.write(kit.records("s", 60) + _rare("s", 3), tmp_path / "s1", hub.keys.recipient)
    second = shelter.write(kit.records("s", 10, revision=2) + [kit.withdrawal("s-000059")],
                           tmp_path / "s2", hub.keys.recipient)
    receipts = [verify_receipt(kit.post_batch(url, info).content, hub.keys.receipt_public)
                for info in (first, second)]
    assert [r.accepted for r in receipts] == [63, 10] and receipts[1].withdrawals == 1

    # Organisation 2 by USB stick: batches written to the stick, imported, receipts back on it.
    stick = tmp_path / "stick"
    clinic.write(kit.records("c", 45), stick, hub.keys.recipient)
    clinic.write(_rare("c", 4) + kit.records("c", 5, start=45), stick, hub.keys.recipient)
    results = import_folder(hub, stick)
    assert [r.reason for r in results] == [None, None]
    for result in results:
        assert (stick / receipt_name(result.batch_id)).exists()
        verify_receipt(result.receipt, hub.keys.receipt_public)
    assert import_folder(hub, stick)[0].reason is None  # importing the stick again is harmless

    with hub.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(hub.tables.records)).scalar_one()
        orgs = set(conn.execute(select(hub.tables.records.c.organisation)).scalars())
    assert stored == 60 + 3 - 1 + 45 + 4 + 5
    assert orgs == {"Shelter Bangkok", "Clinic Phnom Penh"}

    out = tmp_path / "ctdc.csv"
    report = export_ctdc(hub, out)
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert header == hub.vocabulary.released
    combos = Counter(tuple(row) for row in body)
    assert combos and min(combos.values()) >= 11  # no row shared by fewer than 11 rows
    assert report.rows_written == len(body)
    assert report.rows_suppressed == stored - len(body) >= 7  # at least the rare ones

    table = httpx.get(f"{url}/v1/aggregates", params={"by": "gender,yearOfRegistration"}).json()
    assert table == aggregate(hub, ["gender", "yearOfRegistration"])
    assert all(cell["count"] >= 11 for cell in table["cells"]) and table["suppressed_cells"] >= 1
