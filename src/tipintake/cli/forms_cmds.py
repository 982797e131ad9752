"""Form commands: check form files, import an XLSForm, list the shipped forms."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from tipintake.errors import FormError, UserError
from tipintake.i18n import _, ngettext


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``forms check``, ``forms import-xlsform`` and ``forms list``."""
    forms = sub.add_parser("forms", help="check and import intake forms").add_subparsers(
        dest="forms_cmd", required=True
    )
    p = forms.add_parser("check", help="check form files (.yaml or XLSForm .xlsx); one line per file")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(func=cmd_check)
    p = forms.add_parser("import-xlsform", help="convert an XLSForm workbook to a tipintake YAML form")
    p.add_argument("file", type=Path, metavar="FILE.xlsx")
    p.add_argument("-o", "--output", type=Path, required=True, help="the YAML file to write, e.g. forms/NAME.yaml")
    p.add_argument("--force", action="store_true", help="overwrite the output file if it exists")
    p.set_defaults(func=cmd_import)
    p = forms.add_parser("list", help="list the forms in the project's forms/ folder")
    p.set_defaults(func=cmd_list)


def cmd_check(args: argparse.Namespace) -> int:
    """Load every file; print what loaded and each error as one sentence. Exit 2 if any failed."""
    from tipintake.forms import load_form_file

    failed = 0
    for path in args.files:
        try:
            spec = load_form_file(path, display=str(path))
        except FormError as exc:
            failed += 1
            print(f"tipintake: {exc}", file=sys.stderr)
            continue
        count = sum(1 for f in spec.fields() if f.type.value not in ("note",))
        print(ngettext("{path}: form '{form}' version {version}, {count} field, no problems.",
                       "{path}: form '{form}' version {version}, {count} fields, no problems.", count).format(
            path=path, form=spec.id, version=spec.version, count=count))
    return 2 if failed else 0


def cmd_import(args: argparse.Namespace) -> int:
    """Convert the workbook, check the result, and write it atomically."""
    from tipintake.forms.loader import build_form, load_form_text
    from tipintake.forms.xlsform import dump_form_yaml, xlsform_to_data

    out: Path = args.output
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(_("The output file must end in .yaml."))
    if out.exists() and not args.force:
        raise UserError(_("{path} already exists; add --force to replace it.").format(path=out))
    data = xlsform_to_data(args.file, display=str(args.file))
    build_form(data, str(args.file))  # the workbook's own mistakes are named against the workbook
    text = dump_form_yaml(data, args.file.name)
    spec = load_form_text(text, str(out))  # what we write must load exactly as checked
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".import-", suffix=".yaml", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    count = sum(1 for _f in spec.fields())
    print(ngettext("Wrote {path}: form '{form}', {count} field. Review the sensitivity of every field.",
                   "Wrote {path}: form '{form}', {count} fields. Review the sensitivity of every field.", count).format(
        path=out, form=spec.id, count=count))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Print each shipped form's id, version and title."""
    from tipintake.forms import list_forms, load_form

    for form_id in list_forms():
        spec = load_form(form_id)
        print(f"{spec.id}\t{spec.version}\t{spec.title_in('en')}")
    return 0
