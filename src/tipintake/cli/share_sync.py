"""``tipintake share device|push|export|import-receipts|status|trust-hub``: the sync commands.

Registered into the ``share`` parser by ``tipintake.cli.share_cmds`` (which owns the
de-identification commands). Each command unlocks the store, calls the same service
the app's share screen uses (``tipintake.sync.service``) and prints one summary line;
progress goes to stderr when it is a terminal. Errors are one sentence (exit 2 for a
mistake, 1 when a transfer failed), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from tipintake.cli.common import add_data_dir, ask_passphrase, ask_user, data_dir, print_json
from tipintake.i18n import _
from tipintake.store.session import Session, Store
from tipintake.sync.progress import Progress


def register_sync(share_sub: argparse._SubParsersAction) -> None:
    """Add the sync sub-commands to ``tipintake share``."""
    p = share_sub.add_parser("device", help=_("show this laptop's signing key, for enrolment at a partner hub"))
    p.add_argument("--export", type=Path, metavar="FILE", help=_("also write the public key to FILE"))
    p.add_argument("--json", action="store_true")
    add_data_dir(p)
    p.set_defaults(func=cmd_device)

    p = share_sub.add_parser("push", help=_("send new and unconfirmed batches to a partner hub over HTTPS"))
    p.add_argument("--partner", required=True)
    add_data_dir(p)
    p.set_defaults(func=cmd_push)

    p = share_sub.add_parser("export", help=_("write new and unconfirmed batches to a USB stick"))
    p.add_argument("--partner", required=True)
    p.add_argument("--to", type=Path, required=True, metavar="DIR", help=_("folder on the USB stick"))
    add_data_dir(p)
    p.set_defaults(func=cmd_export)

    p = share_sub.add_parser("import-receipts", help=_("read the receipts a partner hub wrote onto a USB stick"))
    p.add_argument("folder", type=Path, metavar="DIR")
    add_data_dir(p)
    p.set_defaults(func=cmd_import_receipts)

    p = share_sub.add_parser("status", help=_("batches waiting, confirmed, and the last error, per partner"))
    p.add_argument("--partner", default=None)
    p.add_argument("--json", action="store_true")
    add_data_dir(p)
    p.set_defaults(func=cmd_status)

    p = share_sub.add_parser("trust-hub", help=_("pin a partner hub's receipt key (for USB-only partners)"))
    p.add_argument("--partner", required=True)
    p.add_argument("key", metavar="RECEIPT_KEY", help=_("ed25519:<64 hex digits>, from the hub's receipt-key.pub"))
    add_data_dir(p)
    p.set_defaults(func=cmd_trust_hub)


def _unlock(args: argparse.Namespace) -> Session:
    return Store(data_dir(args)).unlock(ask_user(), ask_passphrase())


def _progress() -> object:
    """A progress printer for a terminal, else None (scripts get only the summary)."""
    if not sys.stderr.isatty():
        return None

    def show(p: Progress) -> None:
        end = "\n" if p.stage == "done" else ""
        print(f"\r{p.stage:<10} {p.fraction * 100:5.1f}%", end=end, file=sys.stderr, flush=True)

    return show


def cmd_device(args: argparse.Namespace) -> int:
    """Show (and optionally export) the device's public key."""
    from tipintake.store.roles import Permission
    from tipintake.sync.device import device_identity, export_public_key

    session = _unlock(args)
    try:
        session.require(Permission.SHARE)
        identity = export_public_key(session, args.export) if args.export else device_identity(session)
        organisation = session.setting("organisation", "")
    finally:
        session.lock()
    if args.json:
        print_json({"device_id": identity.device_id, "public_key": identity.public_key,
                    "fingerprint": identity.fingerprint, "organisation": organisation})
        return 0
    print(_("Device id:    {id}").format(id=identity.device_id))
    print(_("Fingerprint:  {fp}").format(fp=identity.fingerprint))
    print(_("Public key:   {key}").format(key=identity.public_key))
    print(_("Organisation: {org}").format(org=organisation))
    if args.export:
        print(_("Written to {file}. The partner enrols it with: tipintake hub enrol KEY --org \"{org}\"")
              .format(file=args.export, org=organisation))
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    """Queue what is new for the partner and push every unconfirmed batch."""
    from tipintake.sync.service import PartnerSync, describe_push

    session = _unlock(args)
    try:
        result = PartnerSync(session, args.partner).send_now(progress=_progress())
    finally:
        session.lock()
    print(describe_push(result))
    return 0 if result.ok else 1


def cmd_export(args: argparse.Namespace) -> int:
    """Queue what is new and write every unconfirmed batch to a folder."""
    from tipintake.sync.service import PartnerSync

    session = _unlock(args)
    try:
        result = PartnerSync(session, args.partner).export_to_usb(args.to, progress=_progress())
    finally:
        session.lock()
    print(_("Wrote {written} batches to {folder} ({kept} were already there, {records} records in all). "
            "Keep the stick safe: the batches are encrypted to {partner}.").format(
        written=len(result.written), folder=result.folder, kept=len(result.already_there),
        records=result.records, partner=result.partner))
    return 0


def cmd_import_receipts(args: argparse.Namespace) -> int:
    """Acknowledge batches from the receipts on a stick."""
    from tipintake.sync.service import import_receipts

    session = _unlock(args)
    try:
        outcome = import_receipts(session, args.folder)
    finally:
        session.lock()
    print(_("Receipts read: {new} batches confirmed now, {old} confirmed before, {other} for other "
            "devices, {bad} refused.").format(new=len(outcome.acknowledged), old=len(outcome.already),
                                              other=outcome.not_ours, bad=len(outcome.rejected)))
    for name, reason in sorted(outcome.rejected.items()):
        print(_("Refused {file}: {reason}").format(file=name, reason=reason), file=sys.stderr)
    return 1 if outcome.rejected else 0


def cmd_status(args: argparse.Namespace) -> int:
    """Print each partner's sync status."""
    from tipintake.deid.agreements import list_agreements
    from tipintake.sync.service import statuses

    names = [args.partner] if args.partner else [a.name for a in list_agreements(data_dir(args))]
    session = _unlock(args)
    try:
        rows = statuses(session, names)
    finally:
        session.lock()
    if args.partner:
        rows = [r for r in rows if r.partner == args.partner]
    if args.json:
        print_json([asdict(r) for r in rows])
        return 0
    if not rows:
        print(_("No partners yet: add an agreement with `tipintake share partners add FILE`."))
    for r in rows:
        last = r.last_success.strftime("%Y-%m-%d %H:%M UTC") if r.last_success else _("never")
        print(_("{partner}: last confirmed {last}; {pending} batches to send, {delivered} sent and "
                "awaiting a receipt, {acknowledged} confirmed.").format(
            partner=r.partner, last=last, pending=r.pending, delivered=r.delivered,
            acknowledged=r.acknowledged))
        if r.last_error:
            print("  " + r.last_error)
    return 0


def cmd_trust_hub(args: argparse.Namespace) -> int:
    """Pin the hub's receipt key for a partner."""
    from tipintake.store.roles import Permission
    from tipintake.sync import signing
    from tipintake.sync.partner import pin_hub_key

    session = _unlock(args)
    try:
        session.require(Permission.SHARE)
        pin_hub_key(session, args.partner, args.key, "operator")
    finally:
        session.lock()
    print(_("Receipts from {partner} will be checked with key {id}.").format(
        partner=args.partner, id=signing.key_id(args.key)))
    return 0
