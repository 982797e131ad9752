"""Full-text search inside the encrypted file: FTS5 with the trigram tokenizer.

Trigram finds substrings in Thai, Khmer and Burmese, which have no spaces between
words. Text is folded (``tipintake.i18n.normalize.fold_for_search``) before it is
indexed and before it is queried, so Zawgyi, Khmer spelling variants, case and
native digits match alike. Queries shorter than three characters cannot use the
trigram index and fall back to LIKE over the (encrypted) documents.

The FTS table is "external content" over ``search_docs`` and is kept in step by
triggers. Batch migrations drop triggers of the tables they rebuild, so the app
re-creates these objects after every upgrade (``ensure_search_objects``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text

from tipintake.i18n.normalize import fold_for_search

SEARCH_OBJECTS = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        body, content='search_docs', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER IF NOT EXISTS search_docs_ai AFTER INSERT ON search_docs BEGIN
        INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END""",
    """CREATE TRIGGER IF NOT EXISTS search_docs_ad AFTER DELETE ON search_docs BEGIN
        INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); END""",
    """CREATE TRIGGER IF NOT EXISTS search_docs_au AFTER UPDATE ON search_docs BEGIN
        INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body);
        INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END""",
)
TRIGGERS = ("search_docs_ai", "search_docs_ad", "search_docs_au")
MIN_TRIGRAM = 3


def ensure_search_objects(conn: Connection) -> bool:
    """Create the FTS table and triggers if missing; rebuild the index when they were."""
    have = {
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name IN ('search_fts', ?, ?, ?)", TRIGGERS
        )
    }
    missing = {"search_fts", *TRIGGERS} - have
    for ddl in SEARCH_OBJECTS:
        conn.exec_driver_sql(ddl)
    if missing:
        # Rows written while a trigger was missing are not in the index: rebuild it.
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    return bool(missing)


def searchable_text(answers: dict[str, Any]) -> str:
    """Every text value of ``answers`` (nested repeats included), folded, one per line."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if value:
                parts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(answers)
    return fold_for_search("\n".join(parts))


def index_case(conn: Connection, case_id: str, parts: dict[str, dict[str, Any]]) -> None:
    """Replace the searchable documents of a case (``parts``: "context"/"identity" → answers)."""
    for part, answers in parts.items():
        body = searchable_text(answers)
        conn.execute(
            text(
                "INSERT INTO search_docs(case_id, part, body) VALUES (:c, :p, :b) "
                "ON CONFLICT(case_id, part) DO UPDATE SET body = excluded.body"
            ),
            {"c": case_id, "p": part, "b": body},
        )


def search_case_ids(
    conn: Connection, query: str, parts: Iterable[str], limit: int = 500
) -> list[str]:
    """Ids of cases whose documents in ``parts`` contain ``query`` (most recent first)."""
    folded = fold_for_search(query).strip()
    if not folded:
        return []
    part_list = sorted(set(parts))
    marks = ", ".join(f":p{i}" for i in range(len(part_list)))
    params: dict[str, Any] = {f"p{i}": p for i, p in enumerate(part_list)}
    params["limit"] = limit
    if len(folded) >= MIN_TRIGRAM:
        params["q"] = '"' + folded.replace('"', '""') + '"'
        sql = (
            "SELECT DISTINCT d.case_id FROM search_fts f JOIN search_docs d ON d.id = f.rowid "
            f"JOIN cases c ON c.id = d.case_id WHERE search_fts MATCH :q AND d.part IN ({marks}) "
            "ORDER BY c.updated_at DESC LIMIT :limit"
        )
    else:
        escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["q"] = f"%{escaped}%"
        sql = (
            "SELECT DISTINCT d.case_id FROM search_docs d JOIN cases c ON c.id = d.case_id "
            f"WHERE d.body LIKE :q ESCAPE '\\' AND d.part IN ({marks}) "
            "ORDER BY c.updated_at DESC LIMIT :limit"
        )
    return [row[0] for row in conn.execute(text(sql), params)]
