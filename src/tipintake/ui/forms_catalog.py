"""Which forms the app offers and their titles in the interface language (cached).

Forms are loaded once per file version by the forms layer; titles are looked up in
the catalogs on every call so that a language switch shows at once.
"""

from __future__ import annotations

from typing import Any

from tipintake.errors import UserError

# Forms added at run time (an imported XLSForm, the tests' own form), by id.
_registered: dict[str, Any] = {}


def register(form: Any) -> None:
    """Offer ``form`` (a FormSpec) beside the shipped forms."""
    _registered[form.id] = form


def unregister(form_id: str) -> None:
    """Stop offering a form added with :func:`register`."""
    _registered.pop(form_id, None)


def available_forms() -> list[str]:
    """Ids of the forms shipped in the project's forms folder that load without error."""
    from tipintake.forms.loader import list_forms

    out = list(_registered)
    for form_id in list_forms():
        if form_id not in out and spec(form_id) is not None:
            out.append(form_id)
    return out


def spec(form_id: str) -> Any | None:
    """The FormSpec for ``form_id`` (None when it is missing or broken)."""
    from tipintake.forms.loader import load_form

    if form_id in _registered:
        return _registered[form_id]
    try:
        return load_form(form_id)
    except (UserError, OSError):
        return None


def title(form_id: str, lang: str | None = None) -> str:
    """The form's title in ``lang`` (the id when the form cannot be loaded)."""
    from tipintake.i18n.formtext import form_title

    found = spec(form_id)
    return form_title(found, lang) if found is not None else form_id
