"""Store commands: init, users, cases, audit, rekey, demo."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tipintake.cli.common import add_data_dir, ask_passphrase, ask_user, data_dir, print_json
from tipintake.errors import UserError
from tipintake.i18n import _, ngettext
from tipintake.store.cases import STATUSES, CaseFilter
from tipintake.store.roles import ROLES
from tipintake.store.session import Session, Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create the encrypted store and its first administrator")
    add_data_dir(p)
    p.add_argument("--organisation", "--org", required=True, help="your organisation's name")
    p.add_argument("--admin", help="the administrator's user name (default: TIPINTAKE_USER or a prompt)")
    p.add_argument("--language", default="en", help="interface language (en, th, km, my, id, ms)")
    p.set_defaults(func=cmd_init)

    users = sub.add_parser("users", help="manage users").add_subparsers(dest="users_cmd", required=True)
    u = users.add_parser("add", help="add a user (the new passphrase comes from TIPINTAKE_NEW_PASSPHRASE or a prompt)")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=ROLES)
    u.add_argument("--display-name", default="")
    u.add_argument("--language", default="en")
    u.set_defaults(func=cmd_users_add)
    u = users.add_parser("list", help="list users")
    u.set_defaults(func=cmd_users_list)
    u = users.add_parser("passwd", help="change a passphrase (admins may reset anyone's)")
    u.add_argument("name", nargs="?")
    u.add_argument("--recovery", action="store_true",
                   help="open with the recovery key (TIPINTAKE_RECOVERY_KEY or a prompt) instead of a passphrase")
    u.set_defaults(func=cmd_users_passwd)
    u = users.add_parser("remove", help="remove a user's access")
    u.add_argument("name")
    u.set_defaults(func=cmd_users_remove)
    for name, flag in (("disable", True), ("enable", False)):
        u = users.add_parser(name, help=f"{name} a user")
        u.add_argument("name")
        u.set_defaults(func=cmd_users_disable, disable=flag)
    for q in users.choices.values():
        add_data_dir(q)

    cases = sub.add_parser("cases", help="capture and read cases").add_subparsers(dest="cases_cmd", required=True)
    c = cases.add_parser("add", help="save answers from a JSON file as a new case (or a revision with --case)")
    c.add_argument("--form", required=True, help="form id, e.g. tip_intake")
    c.add_argument("--answers", required=True, type=Path, help="JSON file: field name → answer")
    c.add_argument("--case", help="add a revision to this case (reference or id)")
    c.set_defaults(func=cmd_cases_add)
    c = cases.add_parser("list", help="list cases (newest first)")
    c.add_argument("--status", choices=STATUSES)
    c.add_argument("--form")
    c.add_argument("--staff")
    c.add_argument("--limit", type=int, default=50)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_cases_list)
    c = cases.add_parser("show", help="show every revision of a case")
    c.add_argument("case")
    c.set_defaults(func=cmd_cases_show)
    c = cases.add_parser("search", help="find cases containing a text, in any script")
    c.add_argument("query")
    c.set_defaults(func=cmd_cases_search)
    for q in cases.choices.values():
        add_data_dir(q)

    a = sub.add_parser("audit", help="the audit trail").add_subparsers(dest="audit_cmd", required=True)
    v = a.add_parser("verify", help="check that no entry was altered, removed or reordered")
    add_data_dir(v)
    v.set_defaults(func=cmd_audit_verify)
    v = a.add_parser("show", help="the newest entries")
    v.add_argument("--limit", type=int, default=50)
    add_data_dir(v)
    v.set_defaults(func=cmd_audit_show)

    r = sub.add_parser("rekey", help="replace the database key (other users then need a passphrase reset)")
    add_data_dir(r)
    r.set_defaults(func=cmd_rekey)

    d = sub.add_parser("demo", help="fill a new store with synthetic cases about no real person")
    add_data_dir(d)
    d.add_argument("--cases", type=int, default=1000)
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--organisation", default="Demo shelter")
    d.set_defaults(func=cmd_demo)


def unlock(args: argparse.Namespace) -> Session:
    """Sign in with TIPINTAKE_USER / TIPINTAKE_PASSPHRASE (or prompts)."""
    store = Store(data_dir(args))
    store.user_names()  # a clear message when there is no store yet
    return store.unlock(ask_user(), ask_passphrase())


@contextmanager
def signed_in(args: argparse.Namespace) -> Iterator[Session]:
    """A session for one command, locked (key wiped) however the command ends."""
    session = unlock(args)
    try:
        yield session
    finally:
        session.lock()


def cmd_init(args: argparse.Namespace) -> int:
    admin = args.admin or ask_user()
    passphrase = ask_passphrase("New passphrase for the administrator: ")
    session, recovery = Store(data_dir(args)).init(args.organisation, admin, passphrase, args.language)
    session.lock()
    print(_("Created the encrypted store in {folder} with administrator '{user}'.").format(
        folder=data_dir(args), user=admin))
    print()
    # TRANSLATORS: keep the words RECOVERY KEY in capitals; scripts look for them.
    print(_("RECOVERY KEY (shown only now; write it on paper and keep it locked away):"))
    print(f"    {recovery}")
    print(_("It opens the store if every passphrase is lost. Anyone holding it can read the store."))
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        new = ask_passphrase(f"Passphrase for {args.name}: ", env="TIPINTAKE_NEW_PASSPHRASE")
        session.users.add(args.name, new, args.role, args.display_name, args.language)
    print(_("Added user '{user}' ({role}).").format(user=args.name, role=args.role))
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        for user in session.users.list():
            flags = _(" (disabled)") if user.disabled else ""
            flags += _(" (needs a new passphrase)") if user.must_reset else ""
            print(f"{user.username}\t{user.role}\t{user.language}{flags}")
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    store = Store(data_dir(args))
    if args.recovery:
        if not args.name:
            raise UserError(_("Name the user whose passphrase the recovery key should reset."))
        session = store.unlock_with_recovery(ask_passphrase("Recovery key: ", env="TIPINTAKE_RECOVERY_KEY"),
                                             args.name)
    else:
        session = unlock(args)
    try:
        name = args.name or session.user.username
        session.users.passwd(name, ask_passphrase(f"New passphrase for {name}: ", env="TIPINTAKE_NEW_PASSPHRASE"))
    finally:
        session.lock()
    print(_("Changed the passphrase of '{user}'.").format(user=name))
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        session.users.remove(args.name)
    print(_("Removed user '{user}': their passphrase no longer opens the store.").format(user=args.name))
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        session.users.set_disabled(args.name, args.disable)
    message = _("Disabled user '{user}'.") if args.disable else _("Enabled user '{user}'.")
    print(message.format(user=args.name))
    return 0


def _read_answers(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise UserError(_("{path}: no such file.").format(path=path)) from None
    except UnicodeDecodeError:
        raise UserError(_("{path}: not UTF-8 text; save it as UTF-8 JSON.").format(path=path)) from None
    except json.JSONDecodeError as exc:
        raise UserError(_("{path} line {line}: not valid JSON ({problem}).").format(
            path=path, line=exc.lineno, problem=exc.msg)) from None
    if not isinstance(data, dict):
        raise UserError(_("{path}: expected a JSON object of field name → answer.").format(path=path))
    return data


def cmd_cases_add(args: argparse.Namespace) -> int:
    answers = _read_answers(args.answers)
    from tipintake import capture
    from tipintake.forms import load_form

    form = load_form(args.form)
    with signed_in(args) as session:
        case_id = session.cases.find(args.case) if args.case else None
        cid, number, prepared = capture.save(session, form, answers, case_id=case_id)
        ref = session.cases.list(CaseFilter(ids=(cid,)), limit=1)[0].reference
    for name in prepared.ambiguous_zawgyi:
        print(_("Note: field '{field}' may be Zawgyi-encoded Burmese; it was kept as typed. "
                "Check it in the app.").format(field=name), file=sys.stderr)
    print(_("Saved case {reference} revision {number}.").format(reference=ref, number=number))
    return 0


def cmd_cases_list(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        rows = session.cases.list(CaseFilter(status=args.status, form_id=args.form, staff=args.staff),
                                  limit=args.limit)
    if args.json:
        print_json([row.__dict__ for row in rows])
    else:
        for row in rows:
            print(f"{row.reference}\t{row.status}\t{row.form_id}\t{row.updated_at:%Y-%m-%d %H:%M}\t"
                  f"{row.updated_by}\trev {row.revision_count}")
    return 0


def cmd_cases_show(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        detail = session.cases.show(session.cases.find(args.case))
    print_json({
        "reference": detail.row.reference, "status": detail.row.status,
        "interview_language": detail.interview_language,
        "revisions": [
            {"number": r.number, "form": r.form_id, "version": r.form_version, "at": r.created_at,
             "by": r.created_by, "changed": r.changed, "context": r.context,
             **({"identity": r.identity} if r.identity is not None else {})}
            for r in detail.revisions
        ],
    })
    return 0


def cmd_cases_search(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        ids = session.cases.search(args.query)
        rows = session.cases.list(CaseFilter(ids=tuple(ids)), limit=len(ids) or 1) if ids else []
    for row in rows:
        print(f"{row.reference}\t{row.status}\t{row.form_id}\t{row.updated_at:%Y-%m-%d}")
    if not rows:
        print(_("No case contains that text."), file=sys.stderr)
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        problems = session.verify_audit()
    if problems:
        for p in problems:
            print(_("audit entry {number}: {reason}").format(number=p.seq, reason=p.reason), file=sys.stderr)
        print(ngettext("The audit trail is broken in {count} place.",
                       "The audit trail is broken in {count} places.", len(problems)).format(
            count=len(problems)), file=sys.stderr)
        return 1
    print(_("The audit trail is intact."))
    return 0


def cmd_audit_show(args: argparse.Namespace) -> int:
    from tipintake.store import audit

    with signed_in(args) as session:
        with session.engine.connect() as conn:
            entries = audit.recent(conn, args.limit)
    for e in entries:
        print(f"{e['seq']}\t{e['at']}\t{e['actor']}\t{e['action']}\t{e['object_type']}\t{e['object_id']}")
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    with signed_in(args) as session:
        recovery = session.rekey(os.environ.get("TIPINTAKE_PASSPHRASE") or ask_passphrase("Your passphrase again: "))
    print(_("The database key was replaced. Other users need a new passphrase from an admin "
            "(`tipintake users passwd NAME`)."))
    # TRANSLATORS: keep the words NEW RECOVERY KEY in capitals; scripts look for them.
    print(_("NEW RECOVERY KEY (the old one no longer works; write this one down):"))
    print(f"    {recovery}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from tipintake import capture
    from tipintake.forms import load_form
    from tipintake.forms.synthetic import synthetic_answers

    if args.cases < 0:
        raise UserError(_("--cases must be zero or more."))
    store = Store(data_dir(args))
    user = os.environ.get("TIPINTAKE_USER") or "demo"
    passphrase = os.environ.get("TIPINTAKE_PASSPHRASE") or "demo passphrase"
    if store.exists():
        session = store.unlock(user, passphrase)
    else:
        session, _recovery = store.init(args.organisation, user, passphrase)
    form = load_form("tip_intake")
    rng = random.Random(args.seed)
    identity_names = form.identity_fields()

    def records():
        for _n in range(args.cases):
            answers = synthetic_answers(form, rng)
            yield {"form_id": form.id, "form_version": str(form.version), "kind": form.id,
                   "identity": {k: v for k, v in answers.items() if k in identity_names},
                   "context": {k: v for k, v in answers.items() if k not in identity_names},
                   "interview_language": capture.interview_language(form, answers)}

    try:
        count = session.cases.import_many(records())
    finally:
        session.lock()
    print(_("Added {count} synthetic cases to {folder} (user '{user}').").format(
        count=count, folder=data_dir(args), user=user))
    return 0
