"""Languages: the gettext facade every layer uses for user-visible text.

``_``, ``ngettext`` and ``pgettext`` answer from the catalogs in the project's
``locales/`` folder for the current interface language. Messages use named
placeholders (``_("Sent {count} records to {partner}").format(...)``) so that
translators can reorder them.
"""

from __future__ import annotations

import gettext as _gettext
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tipintake.paths import project_dir

DOMAIN = "tipintake"
LANGUAGES = ("en", "th", "km", "my", "id", "ms")

_state = threading.local()
_cache: dict[str, _gettext.NullTranslations] = {}
_default_language = "en"


def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalog for ``language`` (English fallback when none is built)."""
    if language not in _cache:
        _cache[language] = _gettext.translation(
            DOMAIN, localedir=str(project_dir("locales")), languages=[language], fallback=True
        )
    return _cache[language]


def set_language(language: str) -> None:
    """Make ``language`` the interface language for every thread that has not chosen one."""
    global _default_language
    _default_language = language if language in LANGUAGES else "en"
    _state.__dict__.pop("language", None)


def current_language() -> str:
    """The interface language in force."""
    return getattr(_state, "language", _default_language)


@contextmanager
def use_language(language: str) -> Iterator[str]:
    """Translate into ``language`` in this thread for the ``with`` block (e.g. an interview language)."""
    previous = _state.__dict__.get("language")
    _state.language = language if language in LANGUAGES else "en"
    try:
        yield _state.language
    finally:
        if previous is None:
            _state.__dict__.pop("language", None)
        else:
            _state.language = previous


def reload_catalogs() -> None:
    """Forget loaded catalogs (after compiling new ones)."""
    _cache.clear()


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a plural form chosen by ``n``."""
    return translations(current_language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in a context (e.g. a form field path)."""
    return translations(current_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """Translate a plural message in a context."""
    return translations(current_language()).npgettext(context, singular, plural, n)


def gettext_in(language: str, message: str) -> str:
    """Translate ``message`` into a given language, whatever the interface language."""
    return translations(language).gettext(message)
