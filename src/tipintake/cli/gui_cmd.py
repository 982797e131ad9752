"""``tipintake gui``: open the desktop app (the default without a command)."""

from __future__ import annotations

import argparse

from tipintake.cli.common import add_data_dir, data_dir
from tipintake.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the desktop app")
    add_data_dir(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from tipintake.ui.app import run_app
    except ImportError as exc:
        raise UserError(
            "The desktop app needs PySide6: install it with `pip install tipintake[gui]`."
        ) from exc
    return run_app(data_dir(args))
