#!/usr/bin/env python3
"""Translation catalogs from the command line: extract, update, compile, and the translate loop.

    scripts/catalogs.py extract          sources + forms -> locales/tipintake.pot
    scripts/catalogs.py update           .pot -> locales/<lang>/LC_MESSAGES/tipintake.po
                                         (country/language names filled from CLDR)
    scripts/catalogs.py compile          .po -> .mo (built, git-ignored)
    scripts/catalogs.py all              the three above, in order
    scripts/catalogs.py todo [LANG...]   untranslated entries per language
    scripts/catalogs.py todo --json      the same as JSON {lang: {key: ""}}, ready to fill in
    scripts/catalogs.py fill FILE.json   write translations {lang: {key: text}} into empty entries
                                         (--overwrite: replace existing ones too)
    scripts/catalogs.py check            completeness, fuzzy entries, placeholders (exit 1 if not ok)

A key is ``msgctxt + "\\x04" + msgid`` for one entry, or a bare msgid for every entry
with that English text; plural messages take a list of forms. Loop: extract, update, todo --json > t.json,
translate t.json, fill t.json, check, compile.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tipintake.i18n import LANGUAGES  # noqa: E402
from tipintake.i18n import catalogs as cat  # noqa: E402


def _key(msg: object) -> str:
    mid = msg.id[0] if msg.pluralizable else msg.id  # type: ignore[attr-defined]
    return f"{msg.context}\x04{mid}" if msg.context else mid  # type: ignore[attr-defined]


def cmd_todo(langs: list[str], as_json: bool) -> int:
    """Print what is left to translate."""
    out: dict[str, dict[str, object]] = {}
    for lang in langs:
        path = cat.po_path(lang)
        if not path.exists():
            print(f"{lang}: no catalog (run update)", file=sys.stderr)
            continue
        catalog = cat.load(path, lang)
        todo = cat.untranslated(catalog)
        if as_json:
            out[lang] = {_key(m): ([m.id[0], m.id[1]] if m.pluralizable else m.id) for m in todo}
        else:
            print(f"== {lang}: {len(todo)} untranslated")
            for m in todo:
                mid = m.id if not m.pluralizable else " | ".join(m.id)
                print(f"  [{m.context}] {mid}" if m.context else f"  {mid}")
    if as_json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    return 0


def cmd_fill(path: Path, overwrite: bool) -> int:
    """Write translations from a JSON file {lang: {key: text}}."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for lang, entries in data.items():
        entries = {k: v for k, v in entries.items() if v}
        print(f"{lang}: {cat.fill(lang, entries, overwrite=overwrite)} set")
    return 0


def cmd_check(langs: list[str]) -> int:
    """Report completeness per language; non-zero exit when any catalog is incomplete."""
    bad = 0
    for lang in langs:
        r = cat.check(lang)
        done = r.total - len(r.missing)
        print(
            f"{lang}: {done}/{r.total} translated, {len(r.fuzzy)} fuzzy, "
            f"{len(r.placeholder_errors)} placeholder mismatches"
        )
        for label in r.placeholder_errors:
            print(f"  placeholders differ: {label}")
        bad += not r.ok
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one step."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["extract", "update", "compile", "all", "todo", "fill", "check"])
    parser.add_argument("args", nargs="*", help="languages (todo, check) or a JSON file (fill)")
    parser.add_argument("--json", action="store_true", help="todo: print JSON ready to fill in")
    parser.add_argument("--overwrite", action="store_true", help="fill: replace existing translations")
    ns = parser.parse_args(argv)
    langs = [a for a in ns.args if a in LANGUAGES] or list(LANGUAGES)
    if ns.command in ("extract", "all"):
        print(f"extracted {cat.extract()}")
    if ns.command in ("update", "all"):
        cat.update_all()
        for lang in LANGUAGES:
            if lang != "en":
                # Country and language names: CLDR's translations, into empty entries only.
                cat.fill(lang, cat.cldr_names(lang))
            print(f"{lang}: {len(cat.untranslated(cat.load(cat.po_path(lang), lang)))} untranslated")
    if ns.command in ("compile", "all"):
        print(f"compiled {len(cat.compile_all())} catalogs")
    if ns.command == "todo":
        return cmd_todo([lg for lg in langs if lg != "en"], ns.json)
    if ns.command == "fill":
        if not ns.args:
            parser.error("fill needs a JSON file")
        return cmd_fill(Path(ns.args[0]), ns.overwrite)
    if ns.command == "check":
        return cmd_check(langs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
