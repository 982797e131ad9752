"""Run-time language switching: a gettext-backed QTranslator and retranslation hooks.

PySide6 ships no Qt translations for Thai, Khmer, Burmese, Indonesian or Malay, so
Qt's own texts (standard dialog buttons, wizard buttons, the line-edit context menu)
are answered from the project's catalogs here. Installing the translator makes Qt
send a ``LanguageChange`` event to every widget; widgets that derive from
:class:`Retranslatable` re-run their ``retranslate_ui()`` then, as Frescobaldi's
``translateUI()`` hooks do. Item models get no such event: views call
``headerDataChanged`` themselves (see ``cases_model.py``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from tipintake.i18n import LANGUAGES, _, current_language, set_language
from tipintake.ui.qt import QApplication, QEvent, QLocale, QTranslator

# Native names, so that someone who reads no English can find their language.
LANGUAGE_NAMES = {
    "en": "English",
    "th": "ไทย",
    "km": "ខ្មែរ",
    "my": "မြန်မာ",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
}


@lru_cache(maxsize=len(LANGUAGES))
def _qt_texts(language: str) -> dict[str, str]:
    """Qt's own English texts → the catalog's translation (built per language, literal for Babel)."""
    del language  # the cache key; ``_`` reads the current language
    return {
        # TRANSLATORS: a standard dialog button (Qt's own text).
        "OK": _("OK"),
        # TRANSLATORS: a standard dialog button (Qt's own text).
        "Cancel": _("Cancel"),
        # TRANSLATORS: a standard dialog button (Qt's own text).
        "Close": _("Close"),
        # TRANSLATORS: a standard dialog button (Qt's own text).
        "Save": _("Save"),
        # TRANSLATORS: a standard dialog button (Qt's own text).
        "Discard": _("Discard"),
        # TRANSLATORS: a standard dialog button (Qt's own text).
        "Apply": _("Apply"),
        # TRANSLATORS: a standard dialog button (Qt's own text).
        "Reset": _("Reset"),
        # TRANSLATORS: a standard dialog button (Qt's own text).
        "Help": _("Help"),
        # TRANSLATORS: a standard dialog button; & marks the keyboard shortcut letter.
        "&Yes": _("&Yes"),
        # TRANSLATORS: a standard dialog button; & marks the keyboard shortcut letter.
        "&No": _("&No"),
        # TRANSLATORS: a wizard button (Qt's own text); & marks the keyboard shortcut letter.
        "< &Back": _("< &Back"),
        # TRANSLATORS: a wizard button (Qt's own text); & marks the keyboard shortcut letter.
        "&Next >": _("&Next >"),
        # TRANSLATORS: a wizard button (Qt's own text); & marks the keyboard shortcut letter.
        "&Finish": _("&Finish"),
        # TRANSLATORS: a wizard button (Qt's own text).
        "Commit": _("Commit"),
        # TRANSLATORS: the right-click menu of a text box (Qt's own text).
        "&Undo": _("&Undo"),
        # TRANSLATORS: the right-click menu of a text box (Qt's own text).
        "&Redo": _("&Redo"),
        # TRANSLATORS: the right-click menu of a text box (Qt's own text).
        "Cu&t": _("Cu&t"),
        # TRANSLATORS: the right-click menu of a text box (Qt's own text).
        "&Copy": _("&Copy"),
        # TRANSLATORS: the right-click menu of a text box (Qt's own text).
        "&Paste": _("&Paste"),
        # TRANSLATORS: the right-click menu of a text box (Qt's own text).
        "Delete": _("Delete"),
        # TRANSLATORS: the right-click menu of a text box (Qt's own text).
        "Select All": _("Select All"),
        # TRANSLATORS: a message box button that reveals more text (Qt's own text).
        "Show Details...": _("Show Details..."),
        # TRANSLATORS: a message box button that hides the extra text (Qt's own text).
        "Hide Details...": _("Hide Details..."),
    }


_MNEMONIC = re.compile(r"\s*\(&[^)]\)|&(?=[^&])")


def plain(text: str) -> str:
    """A menu text without its shortcut marks, for lists: "กรณี(&C)" → "กรณี", "&Cases" → "Cases"."""
    return _MNEMONIC.sub("", text).replace("&&", "&")


class GettextTranslator(QTranslator):
    """Answers Qt's ``tr()`` lookups from the gettext catalogs of the current language."""

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        """Never empty: Qt sends no LanguageChange for an empty translator."""
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        """The translation of one of Qt's own texts, or None to keep Qt's English.

        None becomes a null QString, which Qt reads as "not translated here"; an empty
        string would replace the text with nothing.
        """
        lang = current_language()
        if lang == "en":
            return None
        text = _qt_texts(lang).get(source)
        return None if not text or text == source else text


class LanguageSwitcher:
    """Switches the interface language of the whole running app."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.translator: GettextTranslator | None = None

    def switch(self, language: str) -> None:
        """Make ``language`` the interface language; every open window retranslates itself."""
        from tipintake.ui.fonts import font_for

        set_language(language)
        _qt_texts.cache_clear()  # catalogs may have been rebuilt since
        lang = current_language()
        QLocale.setDefault(QLocale(lang))
        self.app.setFont(font_for(lang))
        # Removing and installing again is what makes Qt post LanguageChange everywhere.
        if self.translator is not None:
            self.app.removeTranslator(self.translator)
        self.translator = GettextTranslator(self.app)
        self.app.installTranslator(self.translator)


class Retranslatable:
    """Mixin for widgets: call ``retranslate_ui()`` on every language change."""

    def retranslate_ui(self) -> None:
        """Set every visible text again from the catalogs (override)."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """Retranslate when Qt announces a language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)  # type: ignore[misc]
