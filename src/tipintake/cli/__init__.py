"""The ``tipintake`` command line: one program, sub-commands per area.

No Qt is imported here. Each area registers its commands from its own module, so
that the store, forms, sharing and hub commands can grow independently. Errors a
user can fix print one sentence on stderr and exit 2; failures exit 1; neither
prints a traceback (tracebacks can carry answers).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from tipintake.errors import UserError
from tipintake.i18n import _, set_language

# Modules that contribute sub-commands; each has ``register(subparsers)``.
_COMMAND_MODULES = (
    "tipintake.cli.store_cmds",
    "tipintake.cli.forms_cmds",
    "tipintake.cli.share_cmds",
    "tipintake.cli.hub_cmds",
    "tipintake.cli.gui_cmd",
    "tipintake.cli.reports_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    """The whole argument parser, with every area's sub-commands."""
    parser = argparse.ArgumentParser(
        prog="tipintake",
        description="Encrypted intake of anti-trafficking interviews. Without a command, opens the app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # an optional extra (hub, gui) is not installed
            if exc.name and exc.name.startswith("tipintake"):
                raise
            continue
        module.register(sub)
    return parser




def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    language = os.environ.get("TIPINTAKE_LANGUAGE")
    if language:
        set_language(language)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args = parser.parse_args(["gui", *(argv or [])])
    try:
        result = args.func(args)
    except UserError as exc:
        print(f"tipintake: {exc}", file=sys.stderr)
        return exc.exit_code
    except ModuleNotFoundError as exc:
        extra = _EXTRAS.get((exc.name or "").split(".")[0])
        if extra is None:
            report_failure(exc)
            return 1
        print(_("tipintake: this installation has no {part}; install it with "
                "`pip install tipintake[{extra}]`.").format(part=extra[1], extra=extra[0]),
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("tipintake: interrupted."), file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a failure must not print a traceback with data
        report_failure(exc)
        return 1
    return int(result or 0)


# Optional parts of the package: the module that is missing → (extra, what it provides).
_EXTRAS = {
    "starlette": ("hub", "partner hub server"),
    "uvicorn": ("hub", "partner hub server"),
    "psycopg": ("hub", "PostgreSQL support for the hub"),
    "PySide6": ("gui", "desktop app"),
}


def report_failure(exc: BaseException) -> None:
    """Report a failure in one sentence (the traceback could hold answers)."""
    print(
        _("tipintake: the command failed ({kind}). Nothing was changed beyond what was "
          "already saved; please report this to your administrator.").format(kind=type(exc).__name__),
        file=sys.stderr,
    )
