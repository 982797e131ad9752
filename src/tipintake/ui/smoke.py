"""A self-test of an installed app: ``tipintake gui --smoke-test`` (hidden, for packaging).

``packaging/smoke.py`` runs it inside the built bundle against a fresh data folder
that ``tipintake init`` has just created. It goes through the real start-up: the
unlock window, an unlock in the background thread with ``TIPINTAKE_USER`` and
``TIPINTAKE_PASSPHRASE``, the main window; then it opens the intake form in Thai,
Khmer and Burmese and checks every label, button and group title for missing glyphs
(glyph index 0, Qt's empty box), that the texts really are in that script (so the
forms, the catalogs and the fonts all made it into the bundle) and that they are
drawn with the bundled fonts. It locks, quits and exits 0 when all is well.

It prints ``smoke: unlock-window`` when the unlock window has painted (the harness
times start-up by it) and one ``smoke: result {json}`` line. The ``startup`` mode
stops at the unlock window. Output is for build engineers, in English, and carries
no answer: the store is a throw-away one with no case in it.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

# Text layout classes are needed here only; ``ui/qt.py`` stays as its owner keeps it.
from PySide6.QtGui import QFont, QTextDocument, QTextLayout
from PySide6.QtWidgets import QAbstractButton

from tipintake.i18n import translations
from tipintake.ui.qt import QApplication, QGroupBox, QLabel, Qt, QTimer, QWidget

SMOKE_LANGUAGES = ("th", "km", "my")
FORM_ID = "tip_intake"
TIMEOUT_S = 120

# Unicode blocks of the scripts checked: a translated form has many texts in them.
_SCRIPT_RANGES = {"th": (0x0E00, 0x0E7F), "km": (0x1780, 0x17FF), "my": (0x1000, 0x109F)}
_MIN_SCRIPT_TEXTS = 10


def _say(line: str) -> None:
    print(f"smoke: {line}", flush=True)


def plain_text(text: str) -> str:
    """What a label shows: rich text reduced to its characters, on one line."""
    if "<" in text and ">" in text:  # Qt's own test (mightBeRichText) is not bound in PySide6
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    return " ".join(text.split())


def glyph_check(text: str, font: QFont) -> tuple[int, set[str]]:
    """(missing glyphs, font families used) when ``text`` is laid out in ``font``."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(100_000)
    layout.endLayout()
    missing, families = 0, set()
    for run in layout.glyphRuns():
        families.add(run.rawFont().familyName())
        missing += list(run.glyphIndexes()).count(0)
    return missing, families


def in_script(text: str, lang: str) -> bool:
    """Whether ``text`` has at least one character of ``lang``'s script."""
    low, high = _SCRIPT_RANGES[lang]
    return any(low <= ord(ch) <= high for ch in text)


def widget_texts(root: QWidget) -> list[tuple[str, QFont]]:
    """Every visible text of ``root``'s labels, buttons and group boxes, with its font."""
    out: list[tuple[str, QFont]] = []
    for label in root.findChildren(QLabel):
        out.append((plain_text(label.text()), label.font()))
    for button in root.findChildren(QAbstractButton):
        out.append((plain_text(button.text()), button.font()))
    for group in root.findChildren(QGroupBox):
        out.append((plain_text(group.title()), group.font()))
    return [(text, font) for text, font in out if text]


def check_window(window: QWidget, lang: str) -> dict[str, Any]:
    """Glyph and script figures for one window shown in ``lang``."""
    from tipintake.ui.fonts import registered_families

    bundled = registered_families()
    texts = widget_texts(window)
    report: dict[str, Any] = {"texts": len(texts), "in_script": 0, "missing_glyphs": 0,
                              "missing_in": [], "foreign_fonts": []}
    for text, font in texts:
        missing, families = glyph_check(text, font)
        if missing:
            report["missing_glyphs"] += missing
            report["missing_in"].append(text[:40])
        if in_script(text, lang):
            report["in_script"] += 1
            # A script text drawn with a system font proves nothing about the bundle.
            report["foreign_fonts"].extend(sorted(families - bundled))
    report["foreign_fonts"] = sorted(set(report["foreign_fonts"]))
    return report


def library_checks(work: Path) -> dict[str, str]:
    """Run what depends on third-party data files; {check: "ok" or what went wrong}.

    A bundle can import a library and still lack the data it opens at run time (the
    Zawgyi model, ICU's transforms, Babel's locales, pyxform's tables, the CA list).
    """
    import datetime as dt

    checks: dict[str, Any] = {}

    def zawgyi() -> None:
        from tipintake.i18n.zawgyi import classify, zawgyi_to_unicode

        sentence = "အလုပ္ရွင္က ပတ္စပို႔ကို သိမ္းထားသည္"  # a Zawgyi sentence, no one's data
        assert classify(sentence)[0] == "zawgyi", "detector"
        assert zawgyi_to_unicode("ျမန္မာ") == "မြန်မာ", "ICU transform"

    def dates() -> None:
        from tipintake.i18n.calendars import format_date

        for lang in SMOKE_LANGUAGES:
            text = format_date(dt.date(2024, 3, 1), lang, "long")
            assert in_script(text, lang), f"{lang}: {text!r}"

    def xlsform() -> None:
        from openpyxl import Workbook

        from tipintake.forms.xlsform import load_xlsform

        book = Workbook()
        sheet = book.active
        sheet.title = "survey"
        sheet.append(["type", "name", "label"])
        sheet.append(["text", "place", "Place"])
        path = work / "smoke_form.xlsx"
        book.save(path)
        assert load_xlsform(path).fields, "no field"

    def tls() -> None:
        import httpx

        httpx.create_ssl_context()  # loads certifi's CA list

    for name, check in (("zawgyi", zawgyi), ("dates", dates), ("xlsform", xlsform), ("tls", tls)):
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported, the run goes on
            checks[name] = f"{type(exc).__name__}: {exc}"
    return checks


def _catalog_ok(lang: str) -> bool:
    """The compiled catalog for ``lang`` was found (not the English fallback)."""
    import gettext

    return isinstance(translations(lang), gettext.GNUTranslations)


class SmokeRun:
    """Drives the app through unlock and three languages from inside its event loop."""

    def __init__(self, app: QApplication, data_dir: Path, mode: str) -> None:
        from tipintake.ui.app import AppController

        self.app, self.mode = app, mode
        self.controller = AppController(app, data_dir)
        self.result: dict[str, Any] = {"mode": mode, "languages": {}, "problems": []}
        self.status = 1

    def problem(self, text: str) -> None:
        """Note a failure (the run goes on, so one report shows everything)."""
        self.result["problems"].append(text)

    def start(self) -> None:
        """Show the unlock window, as a user would see it first."""
        from tipintake.ui.fonts import register_fonts
        from tipintake.ui.unlock import UnlockWindow

        fonts = register_fonts()
        self.result["fonts"] = {name: families for name, families in fonts.items()}
        empty = [name for name, families in fonts.items() if not families]
        if len(fonts) < 8 or empty:
            self.problem(f"bundled fonts not registered: {empty or len(fonts)}")
        window = self.controller.start()
        if not isinstance(window, UnlockWindow):
            self.problem("the unlock window did not open (no store in the data folder?)")
            self.finish()
            return
        self.app.processEvents()
        window.repaint()
        _say("unlock-window")
        if self.mode == "startup":
            self.finish()
            return
        import tempfile

        with tempfile.TemporaryDirectory(prefix="tipintake-smoke-") as work:
            self.result["libraries"] = library_checks(Path(work))
        for name, outcome in self.result["libraries"].items():
            if outcome != "ok":
                self.problem(f"{name}: {outcome}")
        self.unlock(window)

    def unlock(self, window: Any) -> None:
        """Sign in through the window itself (key derivation runs in the thread pool)."""
        user = os.environ.get("TIPINTAKE_USER", "")
        items = window.users.findItems(user, Qt.MatchFlag.MatchExactly)
        if not items:
            self.problem(f"user {user!r} is not in the unlock list")
            self.finish()
            return
        window.users.setCurrentItem(items[0])
        window.passphrase.setText(os.environ.get("TIPINTAKE_PASSPHRASE", ""))
        self.controller.signed_in.connect(self.signed_in)
        started = time.perf_counter()
        self.result["unlock_started"] = started
        window.try_unlock()

    def signed_in(self) -> None:
        """The main window is up: check the intake form in each language, then leave."""
        self.result["unlock_s"] = round(time.perf_counter() - self.result.pop("unlock_started"), 3)
        _say("main-window")
        main = self.controller.window
        self.result["pages"] = [page.key for page, _widget in getattr(main, "pages", [])]
        for lang in SMOKE_LANGUAGES:
            try:
                self.check_language(main, lang)
            except Exception:  # noqa: BLE001 - report and go on; synthetic data only
                self.problem(f"{lang}: {traceback.format_exc(limit=4)}")
        self.finish()

    def check_language(self, main: Any, lang: str) -> None:
        """Open the intake form in ``lang`` and look at every text on it."""
        self.controller.switch_language(lang, remember_for_user=False)
        if not _catalog_ok(lang):
            self.problem(f"{lang}: compiled catalog not found")
        form = main.open_form(FORM_ID)
        if form is None:
            self.problem(f"{lang}: the form {FORM_ID} did not open")
            return
        form.show()
        # Every page, not only the first: pages may be built on first visit.
        build_page = getattr(form, "ensure_page", None)
        if build_page is not None:
            for index in range(len(form.pages)):
                build_page(index)
        self.app.processEvents()
        form.grab()  # paint once, as the screen would
        report = check_window(form, lang)
        report["main_window"] = check_window(main, lang)
        self.result["languages"][lang] = report
        if report["missing_glyphs"] or report["main_window"]["missing_glyphs"]:
            self.problem(f"{lang}: missing glyphs in {report['missing_in'][:5]}")
        if report["in_script"] < _MIN_SCRIPT_TEXTS:
            self.problem(f"{lang}: only {report['in_script']} texts in the script (form not translated?)")
        if report["foreign_fonts"]:
            self.problem(f"{lang}: drawn with fonts not in the bundle: {report['foreign_fonts']}")
        form.finished = True  # a smoke test leaves no draft
        form.close()
        self.app.processEvents()

    def finish(self) -> None:
        """Lock, report, quit."""
        if self.controller.session is not None:
            self.controller.lock()
        self.status = 1 if self.result["problems"] else 0
        self.result["status"] = self.status
        _say("result " + json.dumps(self.result, ensure_ascii=False))
        QTimer.singleShot(0, self.app.quit)


def run_smoke(data_dir: Path, mode: str = "full") -> int:
    """Run the self-test on ``data_dir``; returns 0 when every check passed."""
    from tipintake.ui.app import make_app

    app = make_app()
    run = SmokeRun(app, Path(data_dir), mode)

    def timeout() -> None:
        run.problem(f"timed out after {TIMEOUT_S} s")
        run.finish()

    QTimer.singleShot(0, run.start)
    QTimer.singleShot(TIMEOUT_S * 1000, timeout)
    app.exec()
    # Close every window before Python tears down: a clean exit, no warning on stderr.
    for widget in QApplication.topLevelWidgets():
        widget.close()
    sys.stdout.flush()
    return run.status
