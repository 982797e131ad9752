"""Cases, revisions and drafts.

A case has a random id and a short random reference people can read out. Every
save is a new revision (who, when, form id and version); nothing is overwritten.
Identity answers go to ``identities``, the rest to ``revisions.context``; the
caller (the capture service) decides the split from the form's declared
sensitivities. Drafts autosave the whole answer set into the same encrypted file.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from tipintake.errors import NotFound, UserError
from tipintake.i18n import _
from tipintake.store import audit
from tipintake.store.roles import Permission
from tipintake.store.search import index_case, search_case_ids, searchable_text

if TYPE_CHECKING:
    from tipintake.store.session import Session

STATUSES = ("open", "closed", "referred", "withdrawn")
SORTABLE = {"updated_at": "c.updated_at", "created_at": "c.created_at", "reference": "c.reference",
            "status": "c.status", "form_id": "c.form_id", "staff": "u.username"}
_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U


def new_id() -> str:
    return secrets.token_hex(16)


def new_reference() -> str:
    raw = "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _dt(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [k for k in before.keys() | after.keys() if before.get(k) != after.get(k)]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list: no identity, no answers."""

    @classmethod
    def of(cls, row: Any) -> CaseRow:
        """From a row of ``_LIST_SQL`` (raw SQL returns SQLite's text timestamps)."""
        return cls(row[0], row[1], row[2], row[3], _dt(row[4]), _dt(row[5]), row[6], row[7])

    id: str
    reference: str
    form_id: str
    status: str
    created_at: datetime
    updated_at: datetime
    updated_by: str
    revision_count: int


@dataclass(frozen=True)
class RevisionView:
    number: int
    kind: str
    form_id: str
    form_version: str
    created_at: datetime
    created_by: str
    context: dict[str, Any]
    identity: dict[str, Any] | None  # None when the role may not see it
    changed: list[str] = field(default_factory=list)  # field names changed since the last revision of this form


@dataclass(frozen=True)
class CaseDetail:
    row: CaseRow
    interview_language: str | None
    revisions: list[RevisionView]

    def latest(self, form_id: str | None = None) -> RevisionView | None:
        """The newest revision (of ``form_id`` when given)."""
        for rev in reversed(self.revisions):
            if form_id is None or rev.form_id == form_id:
                return rev
        return None


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None
    form_id: str | None = None
    staff: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    ids: tuple[str, ...] | None = None

    def where(self) -> tuple[str, dict[str, Any]]:
        clauses, params = [], {}
        for name, column in (("status", "c.status"), ("form_id", "c.form_id"), ("staff", "u.username")):
            value = getattr(self, name)
            if value:
                clauses.append(f"{column} = :{name}")
                params[name] = value
        if self.since:
            clauses.append("c.updated_at >= :since")
            params["since"] = self.since
        if self.until:
            clauses.append("c.updated_at < :until")
            params["until"] = self.until
        if self.ids is not None:
            marks = ", ".join(f":id{i}" for i in range(len(self.ids))) or "NULL"
            clauses.append(f"c.id IN ({marks})")
            params.update({f"id{i}": v for i, v in enumerate(self.ids)})
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


_LIST_SQL = (
    "SELECT c.id, c.reference, c.form_id, c.status, c.created_at, c.updated_at, u.username, "
    "c.revision_count FROM cases c JOIN users u ON u.id = c.updated_by"
)


class CaseService:
    """Case records for one session."""

    def __init__(self, session: Session) -> None:
        self.s = session

    # -- writing ---------------------------------------------------------------
    def save(self, *, form_id: str, form_version: str, kind: str, identity: dict[str, Any],
             context: dict[str, Any], case_id: str | None = None, status: str | None = None,
             interview_language: str | None = None, draft_id: str | None = None) -> tuple[str, int]:
        """Save a new revision (a new case when ``case_id`` is None); returns (case id, number)."""
        from tipintake.store.session import now

        self.s.require(Permission.CREATE if case_id is None else Permission.EDIT)
        if status is not None and status not in STATUSES:
            raise UserError(_("Unknown status '{status}': choose one of {choices}.").format(
                status=status, choices=", ".join(STATUSES)))
        at = now()
        uid = self.s.user.id
        with self.s.engine.begin() as conn:
            if case_id is None:
                case_id = new_id()
                self._insert_case(conn, case_id, form_id, status or "open", interview_language, at)
                number, action = 1, "create"
            else:
                row = conn.execute(text("SELECT revision_count FROM cases WHERE id = :i"),
                                   {"i": case_id}).first()
                if row is None:
                    raise NotFound(_("There is no such case."))
                number, action = row.revision_count + 1, "update"
                conn.execute(
                    text("UPDATE cases SET updated_at = :t, updated_by = :u, revision_count = :n, "
                         "status = COALESCE(:s, status), "
                         "interview_language = COALESCE(:lang, interview_language) WHERE id = :i"),
                    {"t": at, "u": uid, "n": number, "s": status, "lang": interview_language, "i": case_id},
                )
            rev_id = new_id()
            conn.execute(
                text("INSERT INTO revisions(id, case_id, number, kind, form_id, form_version, "
                     "created_at, created_by, context) VALUES (:id, :c, :n, :k, :f, :v, :t, :u, :ctx)"),
                {"id": rev_id, "c": case_id, "n": number, "k": kind, "f": form_id, "v": form_version,
                 "t": at, "u": uid, "ctx": _dumps(context)},
            )
            conn.execute(text("INSERT INTO identities(revision_id, case_id, data) VALUES (:r, :c, :d)"),
                         {"r": rev_id, "c": case_id, "d": _dumps(identity)})
            index_case(conn, case_id, {"context": context, "identity": identity})
            if draft_id:
                conn.execute(text("DELETE FROM drafts WHERE id = :d"), {"d": draft_id})
            audit.append(conn, self.s.user.username, action, "case", case_id,
                         {"revision": number, "form": form_id, "version": form_version})
        return case_id, number

    def _insert_case(self, conn: Connection, case_id: str, form_id: str, status: str,
                     language: str | None, at: datetime) -> None:
        for _attempt in range(10):
            try:
                with conn.begin_nested():
                    conn.execute(
                        text("INSERT INTO cases(id, reference, form_id, status, interview_language, "
                             "created_at, created_by, updated_at, updated_by, revision_count) "
                             "VALUES (:i, :r, :f, :s, :l, :t, :u, :t, :u, 1)"),
                        {"i": case_id, "r": new_reference(), "f": form_id, "s": status, "l": language,
                         "t": at, "u": self.s.user.id},
                    )
                return
            except IntegrityError:
                continue  # reference collision: draw another
        raise RuntimeError("could not draw a unique case reference")

    def set_status(self, case_id: str, status: str) -> None:
        from tipintake.store.session import now

        self.s.require(Permission.EDIT)
        if status not in STATUSES:
            raise UserError(_("Unknown status '{status}': choose one of {choices}.").format(
                status=status, choices=", ".join(STATUSES)))
        with self.s.engine.begin() as conn:
            done = conn.execute(text("UPDATE cases SET status = :s, updated_at = :t, updated_by = :u "
                                     "WHERE id = :i"),
                                {"s": status, "t": now(), "u": self.s.user.id, "i": case_id})
            if not done.rowcount:
                raise NotFound(_("There is no such case."))
            audit.append(conn, self.s.user.username, "status", "case", case_id, {"status": status})

    # -- reading ---------------------------------------------------------------
    def count(self, flt: CaseFilter | None = None) -> int:
        where, params = (flt or CaseFilter()).where()
        with self.s.engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM cases c JOIN users u ON u.id = c.updated_by{where}"),
                                params).scalar_one()

    def list(self, flt: CaseFilter | None = None, *, sort: str = "updated_at", descending: bool = True,
             offset: int = 0, limit: int = 100) -> list[CaseRow]:
        """A page of the case list (no identity, no answers)."""
        where, params = (flt or CaseFilter()).where()
        order = SORTABLE.get(sort, "c.updated_at") + (" DESC" if descending else " ASC")
        params.update({"limit": limit, "offset": offset})
        sql = f"{_LIST_SQL}{where} ORDER BY {order}, c.id LIMIT :limit OFFSET :offset"
        with self.s.engine.connect() as conn:
            return [CaseRow.of(row) for row in conn.execute(text(sql), params)]

    def find(self, reference_or_id: str) -> str:
        """The case id for a reference (``K7M2-Q2X4``) or an id."""
        with self.s.engine.connect() as conn:
            found = conn.execute(text("SELECT id FROM cases WHERE id = :v OR reference = :r"),
                                 {"v": reference_or_id, "r": reference_or_id.upper()}).scalar()
        if found is None:
            raise NotFound(_("There is no case '{reference}'.").format(reference=reference_or_id))
        return found

    def show(self, case_id: str) -> CaseDetail:
        """Every revision of a case; identity only for roles that may read it. Audited."""
        see_identity = self.s.can(Permission.READ_IDENTITY)
        with self.s.engine.connect() as conn:
            row = conn.execute(text(f"{_LIST_SQL} WHERE c.id = :i"), {"i": case_id}).first()
            if row is None:
                raise NotFound(_("There is no such case."))
            language = conn.execute(text("SELECT interview_language FROM cases WHERE id = :i"),
                                    {"i": case_id}).scalar()
            revs = conn.execute(
                text("SELECT r.number, r.kind, r.form_id, r.form_version, r.created_at, u.username, "
                     "r.context, i.data FROM revisions r JOIN users u ON u.id = r.created_by "
                     "LEFT JOIN identities i ON i.revision_id = r.id WHERE r.case_id = :i ORDER BY r.number"),
                {"i": case_id},
            ).all()
        views: list[RevisionView] = []
        last_by_form: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        for number, kind, form_id, version, at, who, ctx, ident in revs:
            at = _dt(at)
            context = json.loads(ctx)
            identity = json.loads(ident) if ident else {}
            before = last_by_form.get(form_id)
            changed: list[str] = []
            if before is not None:
                changed = _diff(before[0], context)
                if see_identity:
                    changed += _diff(before[1], identity)
            last_by_form[form_id] = (context, identity)
            views.append(RevisionView(number, kind, form_id, version, at, who, context,
                                      identity if see_identity else None, sorted(changed)))
        self.s.audit("view", "case", case_id, {"identity": see_identity})
        return CaseDetail(CaseRow.of(row), language, views)

    def search(self, query: str, limit: int = 500) -> list[str]:
        """Case ids whose answers contain ``query`` (identity only for roles that may read it)."""
        parts = ["context", "identity"] if self.s.can(Permission.READ_IDENTITY) else ["context"]
        with self.s.engine.connect() as conn:
            return search_case_ids(conn, query, parts, limit)

    # -- bulk ------------------------------------------------------------------
    def import_many(self, records: Iterable[dict[str, Any]], batch: int = 2000) -> int:
        """Insert many new single-revision cases fast (demo data, imports). Returns the count."""
        from tipintake.store.session import now

        self.s.require(Permission.CREATE)
        uid, total = self.s.user.id, 0
        buf: list[dict[str, Any]] = []

        def flush(conn: Connection) -> None:
            cases, revs, idents = [], [], []
            for rec in buf:
                cid, rid, at = new_id(), new_id(), rec.get("created_at") or now()
                cases.append({"i": cid, "r": new_reference(), "f": rec["form_id"], "s": rec.get("status", "open"),
                              "l": rec.get("interview_language"), "t": at, "u": uid})
                revs.append({"id": rid, "c": cid, "k": rec.get("kind", "intake"), "f": rec["form_id"],
                             "v": rec["form_version"], "t": at, "u": uid, "ctx": _dumps(rec["context"])})
                idents.append({"r": rid, "c": cid, "d": _dumps(rec["identity"])})
                rec["_id"] = cid
            conn.execute(text("INSERT OR IGNORE INTO cases(id, reference, form_id, status, interview_language, "
                              "created_at, created_by, updated_at, updated_by, revision_count) "
                              "VALUES (:i, :r, :f, :s, :l, :t, :u, :t, :u, 1)"), cases)
            conn.execute(text("INSERT INTO revisions(id, case_id, number, kind, form_id, form_version, "
                              "created_at, created_by, context) VALUES (:id, :c, 1, :k, :f, :v, :t, :u, :ctx)"),
                         revs)
            conn.execute(text("INSERT INTO identities(revision_id, case_id, data) VALUES (:r, :c, :d)"), idents)
            docs = []
            for rec in buf:
                docs.append({"c": rec["_id"], "p": "context", "b": searchable_text(rec["context"])})
                docs.append({"c": rec["_id"], "p": "identity", "b": searchable_text(rec["identity"])})
            conn.execute(text("INSERT INTO search_docs(case_id, part, body) VALUES (:c, :p, :b)"), docs)
            buf.clear()

        with self.s.engine.begin() as conn:
            for rec in records:
                buf.append(rec)
                total += 1
                if len(buf) >= batch:
                    flush(conn)
            if buf:
                flush(conn)
            audit.append(conn, self.s.user.username, "bulk_create", "case", "", {"count": total})
        return total


@dataclass(frozen=True)
class DraftInfo:
    id: str
    case_id: str | None
    form_id: str
    form_version: str
    page: int
    updated_at: datetime


class DraftService:
    """Autosaved, unfinished entries of the signed-in user."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def save(self, *, form_id: str, form_version: str, answers: dict[str, Any], page: int = 0,
             draft_id: str | None = None, case_id: str | None = None) -> str:
        """Create or overwrite a draft (drafts are working copies, not records); returns its id."""
        from tipintake.store.session import now

        at = now()
        with self.s.engine.begin() as conn:
            if draft_id is not None:
                done = conn.execute(
                    text("UPDATE drafts SET answers = :a, page = :p, updated_at = :t, form_version = :v "
                         "WHERE id = :d AND user_id = :u"),
                    {"a": _dumps(answers), "p": page, "t": at, "v": form_version, "d": draft_id,
                     "u": self.s.user.id},
                )
                if done.rowcount:
                    return draft_id
            draft_id = draft_id or new_id()
            conn.execute(
                text("INSERT INTO drafts(id, case_id, form_id, form_version, user_id, page, created_at, "
                     "updated_at, answers) VALUES (:d, :c, :f, :v, :u, :p, :t, :t, :a)"),
                {"d": draft_id, "c": case_id, "f": form_id, "v": form_version, "u": self.s.user.id,
                 "p": page, "t": at, "a": _dumps(answers)},
            )
        return draft_id

    def list(self) -> list[DraftInfo]:
        with self.s.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, case_id, form_id, form_version, page, updated_at FROM drafts "
                     "WHERE user_id = :u ORDER BY updated_at DESC"), {"u": self.s.user.id})
            return [DraftInfo(*row[:5], _dt(row[5])) for row in rows]

    def load(self, draft_id: str) -> tuple[DraftInfo, dict[str, Any]]:
        with self.s.engine.connect() as conn:
            row = conn.execute(
                text("SELECT id, case_id, form_id, form_version, page, updated_at, answers FROM drafts "
                     "WHERE id = :d AND user_id = :u"), {"d": draft_id, "u": self.s.user.id}).first()
        if row is None:
            raise NotFound(_("There is no such draft."))
        return DraftInfo(*row[:5], _dt(row[5])), json.loads(row[6])

    def discard(self, draft_id: str) -> None:
        with self.s.engine.begin() as conn:
            conn.execute(text("DELETE FROM drafts WHERE id = :d AND user_id = :u"),
                         {"d": draft_id, "u": self.s.user.id})
