"""Forms: declarative intake forms, XLSForm expressions, loading and validation (no Qt).

The public surface other layers build on:

- ``load_form(id)``, ``load_form_file(path)``, ``list_forms()``: read forms from the
  project's ``forms/`` folder, any YAML file, or an XLSForm ``.xlsx``;
- ``FormSpec`` / ``FormField``: the form as data (sensitivity, standard, role per field);
- ``validate(spec, answers)``: clean answers and per-field errors;
- ``tipintake.forms.expr.parse`` and ``tipintake.forms.engine.FormState``: expressions
  and the incremental evaluator the UI calls on every keystroke;
- ``map_answers(answers, spec)``: a record opened with a newer form version;
- ``tipintake.forms.ctdc.to_ctdc_row`` and ``tipintake.forms.synthetic.synthetic_answers``.
"""

from __future__ import annotations

from tipintake.errors import FormError
from tipintake.forms.loader import list_forms, load_form, load_form_file, load_form_text
from tipintake.forms.spec import (
    MISSING_CODES,
    ROLES,
    Choice,
    FieldType,
    FormField,
    FormSpec,
    Sensitivity,
    Standard,
)
from tipintake.forms.validate import ValidationResult, validate
from tipintake.forms.versions import VersionMapping, map_answers

__all__ = [
    "MISSING_CODES",
    "ROLES",
    "Choice",
    "FieldType",
    "FormError",
    "FormField",
    "FormSpec",
    "Sensitivity",
    "Standard",
    "ValidationResult",
    "VersionMapping",
    "list_forms",
    "load_form",
    "load_form_file",
    "load_form_text",
    "map_answers",
    "validate",
]
