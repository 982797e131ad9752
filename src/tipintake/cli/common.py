"""Shared pieces of the command line: data folder, credentials, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from tipintake.errors import UserError
from tipintake.i18n import _
from tipintake.paths import default_data_dir


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    """Every command takes ``--data-dir``."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder holding the encrypted store (default: the platform's user data folder)",
    )


def data_dir(args: argparse.Namespace) -> Path:
    """The data folder chosen on the command line, or the default."""
    return Path(args.data_dir) if getattr(args, "data_dir", None) else default_data_dir()


def ask_user() -> str:
    """The user name from TIPINTAKE_USER, else a prompt."""
    user = os.environ.get("TIPINTAKE_USER")
    if user:
        return user
    if not sys.stdin.isatty():
        raise UserError(_("Set TIPINTAKE_USER (or run in a terminal to be asked for the user name)."))
    return input("User: ").strip()


def ask_passphrase(prompt: str = "Passphrase: ", env: str = "TIPINTAKE_PASSPHRASE") -> str:
    """A passphrase from the environment variable, else a hidden prompt."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UserError(_("Set {variable} (or run in a terminal to be asked for it).").format(variable=env))
    return getpass.getpass(prompt)


def print_json(value: Any) -> None:
    """Print a value as readable JSON (UTF-8, scripts not escaped)."""
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))
