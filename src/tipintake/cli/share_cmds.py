"""``tipintake share …``: partner agreements, the risk preview, consent withdrawal, and sync.

Two areas add commands to the one ``share`` parser, each in its own function so that
they can grow apart: :func:`register_deid` here (``partners add|list``, ``preview``,
``withdraw``) and ``register_sync`` in ``tipintake.cli.share_sync`` (``push``,
``export``, ``import-receipts``, ``device``), which is called when that module exists.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from tipintake.cli.common import add_data_dir, data_dir, print_json
from tipintake.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Create the ``share`` parser and let both areas add their commands to it."""
    share = sub.add_parser("share", help=_("share de-identified, consented records with partners"))
    share_sub = share.add_subparsers(dest="share_cmd", metavar="COMMAND", required=True)
    register_deid(share_sub)
    try:
        sync = importlib.import_module("tipintake.cli.share_sync")
    except ModuleNotFoundError as exc:
        if exc.name != "tipintake.cli.share_sync":
            raise  # share_sync exists but something it needs is missing: a real failure
        return
    sync.register_sync(share_sub)


# -- de-identification commands -----------------------------------------------------------


def register_deid(share_sub: argparse._SubParsersAction) -> None:
    """``share partners add|list``, ``share preview`` and ``share withdraw``."""
    partners = share_sub.add_parser("partners", help=_("partner agreements"))
    psub = partners.add_subparsers(dest="partners_cmd", metavar="COMMAND", required=True)
    p = psub.add_parser("add", help=_("validate an agreement file and add it to this installation"))
    p.add_argument("file", type=Path)
    p.add_argument("--replace", action="store_true", help=_("replace the partner's current agreement"))
    add_data_dir(p)
    p.set_defaults(func=cmd_partners_add)
    p = psub.add_parser("list", help=_("list partner agreements"))
    p.add_argument("--json", action="store_true")
    add_data_dir(p)
    p.set_defaults(func=cmd_partners_list)

    p = share_sub.add_parser("preview", help=_("show the agreement and the risk report of the next share"))
    p.add_argument("--partner", required=True)
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    add_data_dir(p)
    p.set_defaults(func=cmd_preview)

    p = share_sub.add_parser("withdraw", help=_("record that a person withdrew consent to sharing"))
    p.add_argument("case", help=_("case reference or id"))
    add_data_dir(p)
    p.set_defaults(func=cmd_withdraw)


def cmd_partners_add(args: argparse.Namespace) -> int:
    from tipintake.deid.agreements import add_agreement

    agreement = add_agreement(data_dir(args), args.file, replace=args.replace)
    print(_("Added the agreement with partner '{name}'. It will be shown before the first share.")
          .format(name=agreement.name))
    return 0


def cmd_partners_list(args: argparse.Namespace) -> int:
    from tipintake.deid.agreements import list_agreements

    agreements = list_agreements(data_dir(args))
    if args.json:
        print_json([{"name": a.name, "title": a.title, "purpose": a.purpose, "schedule": a.schedule,
                     "hub": a.hub.url if a.hub else None, "sha256": a.sha256()} for a in agreements])
        return 0
    if not agreements:
        print(_("No partner agreements yet: add one with `tipintake share partners add FILE`."))
    for a in agreements:
        print(f"{a.name}\t{a.hub.url if a.hub else 'usb'}\t{a.schedule}\t{a.sha256()[:16]}")
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    from tipintake.cli.store_cmds import unlock
    from tipintake.deid.agreements import load_agreement, mark_shown
    from tipintake.deid.share import prepare_share

    agreement = load_agreement(data_dir(args), args.partner)
    session = unlock(args)
    try:
        plan = prepare_share(session, agreement, require_agreement_shown=False)
        if args.json:
            print_json({"agreement": dict(agreement.summary()), "report": plan.report.to_dict()})
        else:
            print(_("Agreement"))
            for label, value in agreement.summary():
                print(f"  {label}: {value}")
            print()
            print("\n".join(plan.report.lines()))
        # Printed in full above: from now on this agreement may be used to share.
        mark_shown(session, agreement)
    finally:
        session.lock()
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    from tipintake.cli.store_cmds import unlock
    from tipintake.deid.consent import withdraw_consent

    session = unlock(args)
    try:
        case_id = session.cases.find(args.case)
        partners = withdraw_consent(session, case_id)
    finally:
        session.lock()
    if partners:
        print(_("Consent withdrawn. A withdrawal notice will go to: {partners}.").format(
            partners=", ".join(partners)))
    else:
        print(_("Consent withdrawn. No partner had received this case."))
    return 0
