"""Babel extractor for form files: every form text, with the form, field and kind of text as context.

Registered in ``pyproject.toml`` as the ``tipintake_forms`` entry point of
``babel.extractors`` and named so in ``babel.cfg`` (a ``pkg.mod:func`` section header
would be split at its colon and silently extract nothing). For each form it yields
the title and description, each field's label, hint, constraint and required
messages, and every choice label, as ``pgettext`` messages whose context is built by
:mod:`tipintake.i18n.formtext` — the same function the UI uses to look them up.

The form is read with the forms layer's own loader, so the extractor sees exactly
the structure the app shows (named choice lists, the built-in yes/no/unknown list).
This is build-time tooling: the import of ``tipintake.forms`` happens only here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from tipintake.i18n.formtext import (
    FIELD_PARTS,
    choice_context,
    field_context,
    field_path,
    form_context,
)

__all__ = ["extract_forms", "form_messages"]

#: One extracted message: line, gettext function, (context, text), translator comments.
Extracted = tuple[int, str, tuple[str, str], list[str]]


def _english(texts: Mapping[str, str] | None) -> str:
    return (texts or {}).get("en", "")


def form_messages(text: str, path: str = "<form>") -> Iterator[Extracted]:
    """Every translatable text of one form file (YAML source), in document order."""
    from tipintake.forms.loader import build_form
    from tipintake.forms.yamlsrc import line_of, load_yaml

    data = load_yaml(text, path)
    spec = build_form(data, path)
    top = line_of(data) or 1

    for part in ("title", "description"):
        english = _english(getattr(spec, part))
        if english:
            yield (line_of(data, part) or top, "pgettext", (form_context(spec.id, part), english), [])

    list_lines: dict[str, int] = {}
    raw_lists = data.get("choices") if isinstance(data, dict) else None
    if isinstance(raw_lists, dict):
        list_lines = {name: line_of(raw_lists, name) or top for name in raw_lists}
    used_lists: dict[str, Any] = {}

    for node in spec.walk():
        path_ = field_path(spec, node.name)
        line = node.line or top
        kind = node.type.value if hasattr(node.type, "value") else str(node.type)
        for part in FIELD_PARTS:
            english = _english(getattr(node, part, None))
            if english:
                comment = f"{part.replace('_', ' ')} of {kind} field {path_}"
                yield (line, "pgettext", (field_context(spec.id, node.name, part), english), [comment])
        if node.choices:
            if node.choice_list:
                used_lists.setdefault(node.choice_list, node)
            else:
                for choice in node.choices:
                    english = _english(choice.label)
                    if english:
                        yield (
                            line,
                            "pgettext",
                            (choice_context(spec.id, node.name, choice.value), english),
                            [f"answer option '{choice.value}' of field {path_}"],
                        )

    # Named lists once each, whether or not every field uses them: a list declared in
    # the form can be shown by a field added later without re-extracting.
    for name, choices in spec.choice_lists.items():
        if name not in list_lines and name not in used_lists:
            continue  # a built-in list no field of this form uses
        for choice in choices:
            english = _english(choice.label)
            if english:
                yield (
                    list_lines.get(name, top),
                    "pgettext",
                    (choice_context(spec.id, f"@{name}", choice.value), english),
                    [f"answer option '{choice.value}' of choice list '{name}'"],
                )


def extract_forms(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any] | Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel extraction method for form YAML files (see the module docstring)."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    name = getattr(fileobj, "name", "<form>")
    yield from form_messages(text, str(name))
