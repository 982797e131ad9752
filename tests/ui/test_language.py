"""Switching the interface language at run time: our texts, Qt's own buttons, item models."""

from __future__ import annotations

import gettext

import pytest

import tipintake.i18n as i18n
from tipintake.ui.qt import QDialogButtonBox, Qt, QWizard


class Marked(gettext.NullTranslations):
    """A stand-in catalog that marks every text, so the test does not depend on translators."""

    def gettext(self, message):
        return f"⟦{message}⟧"

    def pgettext(self, context, message):
        return f"⟦{message}⟧"

    def ngettext(self, singular, plural, n):
        return f"⟦{singular if n == 1 else plural}⟧"


@pytest.fixture
def marked_thai(monkeypatch):
    monkeypatch.setitem(i18n._cache, "th", Marked())
    yield
    i18n._cache.pop("th", None)


def test_switching_language_changes_visible_texts_and_qt_buttons(main_window, marked_thai, qtbot):
    from tipintake.ui.form_picker import FormPicker

    picker = FormPicker(main_window, ["ui_test"])
    qtbot.addWidget(picker)
    ok = picker.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text().replace("&", "") == "OK"
    cases = main_window.page("cases")
    assert main_window.nav.item(0).text() == "Cases"
    header = cases.model.headerData(0, Qt.Orientation.Horizontal)

    main_window.controller.switch_language("th")
    qtbot.waitUntil(lambda: main_window.nav.item(0).text() == "⟦Cases⟧", timeout=3000)
    assert main_window.lock_action.text() == "⟦&Lock⟧"
    assert cases.search_label.text() == "⟦&Search:⟧"
    assert cases.model.headerData(0, Qt.Orientation.Horizontal) == "⟦Reference⟧" != header
    assert ok.text() == "⟦OK⟧"  # Qt's own button, from our catalog
    assert picker.windowTitle() == "⟦Choose a form⟧"
    # The user's preference is remembered in the store.
    assert main_window.session.users.get("admin").language == "th"

    main_window.controller.switch_language("en")
    qtbot.waitUntil(lambda: main_window.nav.item(0).text() == "Cases", timeout=3000)
    assert ok.text().replace("&", "") == "OK"


def test_wizard_buttons_follow_the_language(controller, marked_thai, qtbot):
    wizard = controller.start()
    wizard.welcome.language.setCurrentIndex(i18n.LANGUAGES.index("th"))
    qtbot.waitUntil(lambda: wizard.welcome.title() == "⟦Welcome to tipintake⟧", timeout=3000)
    assert wizard.buttonText(QWizard.WizardButton.NextButton) == "⟦&Next >⟧"


def test_interview_language_can_differ_from_the_interface(main_window, marked_thai, qtbot):
    window = main_window.open_form("ui_test")
    label = window.widget("consent_interview").label
    assert label.text().startswith("Does the person consent")
    main_window.controller.switch_language("th")
    qtbot.waitUntil(lambda: window.chrome.next.text() == "⟦&Next⟧", timeout=3000)
    # The question itself stays English (only the "required" mark around it is interface text).
    assert "Does the person consent" in label.text() and "⟦⟦" not in label.text()
    window.chrome.language.setCurrentIndex(i18n.LANGUAGES.index("th"))
    assert "⟦⟦Does the person consent" in label.text()  # now in the interview language
