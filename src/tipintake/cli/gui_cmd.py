"""``tipintake gui``: open the desktop app (the default without a command)."""

from __future__ import annotations

import argparse

from tipintake.cli.common import add_data_dir, data_dir
from tipintake.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the desktop app")
    add_data_dir(p)
    # Hidden: the packaged app's self-test (src/tipintake/ui/smoke.py, packaging/smoke.py).
    p.add_argument("--smoke-test", nargs="?", const="full", choices=("full", "startup"),
                   help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from tipintake.ui.app import run_app
    except ImportError as exc:
        raise UserError(
            "The desktop app needs PySide6: install it with `pip install tipintake[gui]`."
        ) from exc
    if getattr(args, "smoke_test", None):
        from tipintake.ui.smoke import run_smoke

        return run_smoke(data_dir(args), args.smoke_test)
    return run_app(data_dir(args))
