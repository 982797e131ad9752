"""Write PNGs of the app's main screens in every language, for review by native speakers.

    python scripts/screenshots.py            # offscreen, into screenshots/offscreen/<lang>/
    python scripts/screenshots.py --xvfb     # under a real X server, into screenshots/xvfb/<lang>/
    python scripts/screenshots.py --lang th --lang my

The store is a throw-away one in a temporary folder, filled with synthetic cases
about no real person. Screens: set-up wizard, unlock, case list, a case, the
intake form (consent page and a later page), drafts, users.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "screenshot passphrase words"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--xvfb", action="store_true", help="run under Xvfb (xvfb-run) with the xcb platform")
    p.add_argument("--lang", action="append", help="only these languages (repeatable)")
    p.add_argument("--out", type=Path, default=ROOT / "screenshots")
    p.add_argument("--cases", type=int, default=40, help="synthetic cases in the store")
    return p.parse_args()


def rerun_under_xvfb(args: argparse.Namespace) -> int:
    """Start this script again inside xvfb-run, on the xcb platform."""
    if not shutil.which("xvfb-run"):
        print("screenshots: xvfb-run is not installed (scripts/test-prereqs.sh installs it)", file=sys.stderr)
        return 1
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", TIPINTAKE_SCREENSHOT_TARGET="xvfb")
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1400x1000x24", sys.executable, __file__,
           "--out", str(args.out), "--cases", str(args.cases)]
    for lang in args.lang or []:
        cmd += ["--lang", lang]
    return subprocess.call(cmd, env=env)


def fill_store(data_dir: Path, count: int) -> None:
    """A store with an admin, an interviewer and synthetic cases."""
    from tipintake.forms import load_form
    from tipintake.forms.synthetic import synthetic_answers
    from tipintake.store.session import Store

    session, _recovery = Store(data_dir).init("Example Shelter", "admin", PASSPHRASE)
    session.users.add("interviewer", PASSPHRASE, "interviewer")
    form = load_form("tip_intake")
    rng = random.Random(7)
    identity = form.identity_fields()
    records = []
    for _ in range(count):
        answers = synthetic_answers(form, rng)
        records.append({"form_id": form.id, "form_version": str(form.version),
                        "identity": {k: v for k, v in answers.items() if k in identity},
                        "context": {k: v for k, v in answers.items() if k not in identity}})
    session.cases.import_many(records)
    session.lock()


def main() -> int:
    args = parse_args()
    if args.xvfb and os.environ.get("TIPINTAKE_SCREENSHOT_TARGET") != "xvfb":
        return rerun_under_xvfb(args)
    target = os.environ.get("TIPINTAKE_SCREENSHOT_TARGET", "offscreen")
    if target == "offscreen":
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(ROOT / "src"))
    from tipintake.i18n import LANGUAGES
    from tipintake.ui.app import AppController, make_app
    from tipintake.ui.qt import QApplication, QWidget

    app = make_app()
    languages = args.lang or list(LANGUAGES)
    tmp = Path(tempfile.mkdtemp(prefix="tipintake-shots-"))
    written = 0

    def shot(widget: QWidget, folder: Path, name: str, size: tuple[int, int] = (1100, 720)) -> None:
        nonlocal written
        widget.resize(*size)
        widget.show()
        for _ in range(3):
            QApplication.processEvents()
        folder.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(folder / f"{name}.png"))
        written += 1

    try:
        data_dir = tmp / "data"
        fill_store(data_dir, args.cases)
        for lang in languages:
            folder = args.out / target / lang
            # First run: a separate empty folder, so the wizard shows.
            setup = AppController(app, tmp / f"empty-{lang}")
            setup.switch_language(lang, remember_for_user=False)
            wizard = setup.start()
            wizard.welcome.organisation.setText("Example Shelter")
            shot(wizard, folder, "01-setup", (760, 560))
            wizard.next()
            wizard.admin.username.setText("admin")
            wizard.admin.passphrase.first.setText(PASSPHRASE)
            shot(wizard, folder, "02-setup-admin", (760, 560))
            wizard.close()

            ctl = AppController(app, data_dir)
            ctl.switch_language(lang, remember_for_user=False)
            unlock = ctl.start()
            shot(unlock, folder, "03-unlock", (560, 440))
            from tipintake.store.session import Store

            main_window = ctl.open_session(Store(data_dir).unlock("admin", PASSPHRASE))
            ctl.switch_language(lang)
            shot(main_window, folder, "04-cases")
            case_id = main_window.session.cases.list(limit=1)[0].id
            shot(main_window.open_case(case_id), folder, "05-case", (1100, 700))
            form = main_window.open_form("tip_intake")
            shot(form, folder, "06-form-consent", (1000, 800))
            for name, value in (("consent_interview", "yes"), ("is_minor", "no")):
                form.widget(name).set_value(value)
                form.widget(name).emit_edited()
            form.next_page()
            shot(form, folder, "07-form-identity", (1000, 800))
            form.go_to(2)
            shot(form, folder, "08-form-situation", (1000, 800))
            main_window.show_page("users")
            shot(main_window, folder, "09-users")
            form.finished = True  # no draft from a screenshot
            ctl.lock()
            ctl.window.close()
            print(f"screenshots: {lang} done")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"screenshots: wrote {written} PNGs under {args.out / target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
