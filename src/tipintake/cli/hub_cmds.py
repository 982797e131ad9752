"""``tipintake hub …``: run a partner hub (keys, enrolment, server, USB import, publication).

Everything here works without PySide6: the hub installs with ``pip install
tipintake[hub]``. The hub folder (``--hub-dir``, default ``<data dir>/hub``) holds
the encrypted keys, their public halves and, unless ``--db`` says otherwise, the
SQLite database. The key passphrase comes from TIPINTAKE_HUB_PASSPHRASE or a prompt.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from tipintake.cli.common import ask_passphrase, print_json
from tipintake.errors import UserError
from tipintake.paths import default_data_dir

PASSPHRASE_ENV = "TIPINTAKE_HUB_PASSPHRASE"


def _hub_dir(args: argparse.Namespace) -> Path:
    if args.hub_dir:
        return Path(args.hub_dir)
    env = os.environ.get("TIPINTAKE_HUB_DIR")
    return Path(env) if env else default_data_dir() / "hub"


def _common(parser: argparse.ArgumentParser, db: bool = True) -> None:
    parser.add_argument("--hub-dir", type=Path, default=None,
                        help="folder of the hub's keys (default: TIPINTAKE_HUB_DIR or <data dir>/hub)")
    if db:
        parser.add_argument("--db", default=None,
                            help="database URL, e.g. postgresql+psycopg://user@host/hub "
                            "(default: hub.sqlite3 in the hub folder)")
        parser.add_argument("--vocabulary", type=Path, default=None,
                            help="a vocabulary YAML file instead of the bundled one")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``tipintake hub`` and its sub-commands."""
    hub = sub.add_parser("hub", help="run a partner hub that receives batches")
    hub_sub = hub.add_subparsers(dest="hub_command", metavar="HUB_COMMAND", required=True)

    p = hub_sub.add_parser("init", help="create the hub's keys and print its public keys")
    _common(p, db=False)
    p.set_defaults(func=cmd_init)

    p = hub_sub.add_parser("enrol", help="accept batches from a device's public key")
    p.add_argument("public_key", metavar="DEVICE_PUBLIC_KEY", help="ed25519:<64 hex digits>")
    p.add_argument("--org", required=True, help="the organisation the device belongs to")
    _common(p)
    p.set_defaults(func=cmd_enrol)

    p = hub_sub.add_parser("revoke", help="stop accepting batches from a device")
    p.add_argument("device_id", help="the device id printed by enrol")
    _common(p)
    p.set_defaults(func=cmd_revoke)

    p = hub_sub.add_parser("serve", help="serve the HTTP API")
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8470, help="port (default 8470)")
    p.add_argument("--max-batch-mb", type=float, default=64.0, help="largest batch accepted, in MiB")
    p.add_argument("--batches-per-minute", type=float, default=30.0, help="per-device rate limit")
    p.set_defaults(func=cmd_serve)

    p = hub_sub.add_parser("import", help="ingest batches from a folder (USB stick), write receipts back")
    p.add_argument("folder", type=Path, metavar="DIR")
    _common(p)
    p.set_defaults(func=cmd_import)

    p = hub_sub.add_parser("export", help="publish: CTDC CSV with k-anonymity, or an aggregate table")
    p.add_argument("--format", choices=["ctdc", "aggregate"], default="ctdc")
    p.add_argument("--out", type=Path, required=True, help="file to write")
    p.add_argument("--by", default="", help="for --format aggregate: released variables, comma-separated")
    _common(p)
    p.set_defaults(func=cmd_export)


def _passphrase() -> str:
    return ask_passphrase("Hub passphrase: ", env=PASSPHRASE_ENV)


def cmd_init(args: argparse.Namespace) -> int:
    """Create the hub keys."""
    from tipintake.hub.keys import init_keys

    hub_dir = _hub_dir(args)
    keys = init_keys(hub_dir, _passphrase())
    print(f"Hub keys created in {hub_dir}.")
    print(f"age recipient (partners encrypt batches to it): {keys.recipient}")
    print(f"receipt key (devices verify receipts with it):   {keys.receipt_public}")
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    """Enrol a device."""
    from tipintake.hub.context import open_storage
    from tipintake.hub.db import enrol_device
    from tipintake.sync import signing

    storage = open_storage(_hub_dir(args), args.db, args.vocabulary)
    try:
        signing.parse_public_key(args.public_key)
    except Exception as exc:
        raise UserError("The device public key must look like ed25519:<64 hex digits>.") from exc
    device_id = enrol_device(storage.engine, storage.tables, args.public_key, args.org)
    print(f"Device {device_id} enrolled for {args.org.strip()}.")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    """Revoke a device."""
    from tipintake.hub.context import open_storage
    from tipintake.hub.db import revoke_device

    storage = open_storage(_hub_dir(args), args.db, args.vocabulary)
    revoke_device(storage.engine, storage.tables, args.device_id)
    print(f"Device {args.device_id} revoked.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the hub API."""
    import logging

    from tipintake.hub.app import Limits, create_app, serve
    from tipintake.hub.context import open_hub

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    hub = open_hub(_hub_dir(args), args.db, _passphrase(), vocabulary_path=args.vocabulary)
    limits = Limits(
        max_batch_bytes=int(args.max_batch_mb * 1024 * 1024),
        batches_per_minute=args.batches_per_minute,
        burst=max(1, int(args.batches_per_minute)),
    )
    serve(create_app(hub, limits), args.host, args.port)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import batches from a folder."""
    from tipintake.hub.context import open_hub
    from tipintake.hub.usb import import_folder

    hub = open_hub(_hub_dir(args), args.db, _passphrase(), vocabulary_path=args.vocabulary)
    results = import_folder(hub, args.folder)
    refused = [r for r in results if r.receipt is None]
    for result in results:
        status = "receipt written" if result.receipt else f"refused: {result.reason}"
        print(f"{result.batch_id}: {status}")
    print(f"{len(results) - len(refused)} of {len(results)} batches imported.")
    return 2 if refused else 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write a publication file."""
    from tipintake.hub.context import open_storage
    from tipintake.hub.export import aggregate, export_ctdc

    storage = open_storage(_hub_dir(args), args.db, args.vocabulary)
    if args.format == "aggregate":
        table = aggregate(storage, [b.strip() for b in args.by.split(",") if b.strip()])
        args.out.write_text(json.dumps(table, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print_json({"cells": len(table["cells"]), "suppressed_cells": table["suppressed_cells"]})
        return 0
    report = export_ctdc(storage, args.out)
    print(
        f"Wrote {report.rows_written} of {report.rows_total} cases to {args.out}; "
        f"{report.rows_suppressed} suppressed (k = {report.k})."
    )
    return 0
