"""Write PNGs of the Dashboard and Data-quality pages, for review in several languages.

    python scripts/screenshots_reports.py                 # English and Thai, offscreen
    python scripts/screenshots_reports.py --lang my --lang km

Into screenshots/reports/<lang>/. The store is a throw-away one in a temporary folder,
filled with synthetic cases about no real person (enough that figures are not small).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "screenshot passphrase words"


def fill_store(data_dir: Path, count: int) -> None:
    """A store with an admin and synthetic intake cases."""
    from tipintake.forms import load_form
    from tipintake.forms.synthetic import synthetic_answers
    from tipintake.store.session import Store

    session, _recovery = Store(data_dir).init("Example Shelter", "admin", PASSPHRASE)
    form = load_form("tip_intake")
    rng = random.Random(11)
    identity = form.identity_fields()
    records = []
    for _ in range(count):
        answers = synthetic_answers(form, rng)
        records.append({"form_id": form.id, "form_version": str(form.version),
                        "identity": {k: v for k, v in answers.items() if k in identity},
                        "context": {k: v for k, v in answers.items() if k not in identity}})
    # The same person entered twice, so the duplicate check has something to show.
    records.append({**records[0], "identity": dict(records[0]["identity"])})
    session.cases.import_many(records)
    session.lock()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", help="languages (default: en and th)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "reports")
    parser.add_argument("--cases", type=int, default=600)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT / "src"))
    from tipintake.store.session import Store
    from tipintake.ui import operations
    from tipintake.ui.app import AppController, make_app
    from tipintake.ui.qt import QApplication

    app = make_app()
    tmp = Path(tempfile.mkdtemp(prefix="tipintake-report-shots-"))

    def settle(page) -> None:
        for _ in range(600):
            QApplication.processEvents()
            operations.wait_all(50)
            if page.result is not None and not page.progress.isVisible():
                break
        for _ in range(5):
            QApplication.processEvents()

    try:
        data_dir = tmp / "data"
        fill_store(data_dir, args.cases)
        for lang in args.lang or ["en", "th"]:
            folder = args.out / lang
            folder.mkdir(parents=True, exist_ok=True)
            ctl = AppController(app, data_dir)
            ctl.switch_language(lang, remember_for_user=False)
            ctl.start()
            window = ctl.open_session(Store(data_dir).unlock("admin", PASSPHRASE))
            ctl.switch_language(lang)
            window.resize(1280, 1500)
            window.show()
            for key, name in (("dashboard", "dashboard"), ("quality", "data-quality")):
                window.show_page(key)
                page = window.page(key)
                settle(page)
                if key == "quality":
                    page.check_duplicates()
                    operations.wait_all(20000)
                    for _ in range(5):
                        QApplication.processEvents()
                window.grab().save(str(folder / f"{name}.png"))
            ctl.lock()
            if ctl.window is not None:
                ctl.window.close()
            print(f"screenshots: {lang} written to {folder}")
    finally:
        operations.wait_all()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
