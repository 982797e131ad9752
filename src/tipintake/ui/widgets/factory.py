"""The widget for each field type."""

from __future__ import annotations

from tipintake.forms.spec import FieldType, FormField, FormSpec
from tipintake.ui.widgets.base import FieldWidget
from tipintake.ui.widgets.choices import SelectMultipleField, SelectOneField
from tipintake.ui.widgets.dates import DateField, DateTimeField
from tipintake.ui.widgets.display import CalculateField, NoteField
from tipintake.ui.widgets.numbers import NumberField
from tipintake.ui.widgets.repeat import RepeatField
from tipintake.ui.widgets.text import TextField

WIDGETS: dict[FieldType, type[FieldWidget]] = {
    FieldType.TEXT: TextField,
    FieldType.INTEGER: NumberField,
    FieldType.DECIMAL: NumberField,
    FieldType.DATE: DateField,
    FieldType.DATETIME: DateTimeField,
    FieldType.SELECT_ONE: SelectOneField,
    FieldType.YES_NO_UNKNOWN: SelectOneField,
    FieldType.SELECT_MULTIPLE: SelectMultipleField,
    FieldType.NOTE: NoteField,
    FieldType.CALCULATE: CalculateField,
    FieldType.REPEAT: RepeatField,
}


def make_field(spec: FormSpec, field: FormField, language: str) -> FieldWidget:
    """A widget for ``field`` with its texts in ``language``."""
    return WIDGETS[field.type](spec, field, language)
