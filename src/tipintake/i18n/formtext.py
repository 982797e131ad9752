"""Form text through the catalogs: one message context format for extractor and UI.

Form files carry English text (and sometimes the author's own translations); the
catalogs carry the reviewed translations. Each form string is looked up with
``pgettext(context, english)``. The context names the form, the field and the kind
of text, so translators get one unambiguous entry per place; field names are unique
within a form, so the name identifies the field's path (the full path, groups
included, is in the entry's translator comment). The format, also documented in
``locales/README.md`` and already used by ``tipintake.forms.validate.text_context``:

====================  ====================================  ==========================================
text                  context                               example
====================  ====================================  ==========================================
form title            ``<form>:title``                      ``tip_intake:title``
form description      ``<form>:description``                ``tip_intake:description``
field label           ``<form>:<field>:label``              ``tip_intake:consent_share:label``
field hint            ``<form>:<field>:hint``               ``tip_intake:is_minor:hint``
constraint message    ``<form>:<field>:constraint_message``
required message      ``<form>:<field>:required_message``
choice (inline list)  ``<form>:<field>:choice:<value>``     ``tip_intake:sex:choice:female``
choice (named list)   ``<form>:@<list>:choice:<value>``     ``tip_intake:@yes_no:choice:yes``
====================  ====================================  ==========================================

A named choice list is translated once for every field that uses it. The functions
below take any object shaped like ``tipintake.forms``' ``FormSpec``/``FormField``/
``Choice`` (this layer does not import the forms layer).
"""

from __future__ import annotations

from typing import Any

from tipintake.i18n import current_language, translations

__all__ = [
    "FIELD_PARTS",
    "choice_context",
    "choice_label",
    "field_context",
    "field_path",
    "field_text",
    "form_context",
    "form_text",
    "form_title",
    "translate_form_text",
]

#: The translatable texts of a field, by their key in the form file.
FIELD_PARTS = ("label", "hint", "constraint_message", "required_message")


def form_context(form_id: str, part: str) -> str:
    """Context of a form-level text (``title``, ``description``)."""
    return f"{form_id}:{part}"


def field_context(form_id: str, name: str, part: str = "label") -> str:
    """Context of one of a field's texts (see :data:`FIELD_PARTS`)."""
    return f"{form_id}:{name}:{part}"


def choice_context(form_id: str, owner: str, value: str) -> str:
    """Context of a choice label; ``owner`` is ``@<list>`` or the field name for inline choices."""
    return f"{form_id}:{owner}:choice:{value}"


def field_path(spec: Any, name: str) -> str:
    """The field's path: enclosing group and repeat names, then its own, joined by ``/``."""
    parents = spec.parents(name)
    return "/".join([*(p.name for p in parents), name])


def translate_form_text(context: str, texts: dict[str, str], lang: str | None = None) -> str:
    """The text in ``lang``: the catalog's translation, else the form's own, else English."""
    lang = lang or current_language()
    english = texts.get("en", "")
    if english:
        translated = translations(lang).pgettext(context, english)
        if translated != english or lang == "en":
            return translated
    return texts.get(lang) or english or next(iter(texts.values()), "")


def form_text(spec: Any, part: str, lang: str | None = None) -> str:
    """A form-level text (``title`` or ``description``) in ``lang``."""
    return translate_form_text(form_context(spec.id, part), getattr(spec, part) or {}, lang)


def form_title(spec: Any, lang: str | None = None) -> str:
    """The form's title in ``lang`` (the form id when it has none)."""
    return form_text(spec, "title", lang) or spec.id


def field_text(spec: Any, field: Any, part: str = "label", lang: str | None = None) -> str:
    """A field's label, hint, constraint or required message in ``lang`` ("" when none)."""
    texts = getattr(field, part, None) or {}
    if not texts:
        return ""
    return translate_form_text(field_context(spec.id, field.name, part), texts, lang)


def choice_label(spec: Any, field: Any, choice: Any, lang: str | None = None) -> str:
    """A choice's label in ``lang`` (the choice's code when it has no label)."""
    owner = f"@{field.choice_list}" if getattr(field, "choice_list", None) else field.name
    text = translate_form_text(choice_context(spec.id, owner, choice.value), choice.label or {}, lang)
    return text or choice.value
