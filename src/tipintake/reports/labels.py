"""Labels of report categories in the interface language: choices, countries, months, bands.

Codes are what is stored and counted; a label is looked up only when a table is built,
through the form's catalog entries (``choice_label``), CLDR (country names, month
names) and the Buddhist Era for Thai.
"""

from __future__ import annotations

from datetime import date

from babel import Locale
from babel.dates import format_date

from tipintake.forms import FormField, FormSpec
from tipintake.i18n import _, current_language
from tipintake.i18n.calendars import ce_to_be, uses_buddhist_era
from tipintake.i18n.digits import to_native_digits
from tipintake.i18n.formtext import choice_label, field_text

COUNTRY_ROLES = frozenset({"citizenship", "country_of_exploitation", "country_of_recruitment"})


def missing_label(code: str) -> str:
    """The label of a reason for no answer (kept apart from "no", as the standards ask)."""
    labels = {
        "unknown": _("Unknown"),
        "refused": _("Refused to answer"),
        "not_asked": _("Not asked"),
        # TRANSLATORS: the question has no answer at all (skipped, or not relevant to this person).
        "no_answer": _("No answer"),
    }
    return labels.get(code, code)


def choice_text(spec: FormSpec | None, field: FormField | None, code: str, lang: str | None = None) -> str:
    """The label of ``code`` for ``field``: a country name, a choice label, or a missing reason."""
    lang = lang or current_language()
    if code in ("unknown", "refused", "not_asked", "no_answer"):
        return missing_label(code)
    if field is not None and field.role in COUNTRY_ROLES:
        try:
            name = Locale.parse(lang).territories.get(code)
        except (ValueError, TypeError):
            name = None
        if name:
            return name
    if spec is not None and field is not None:
        for choice in field.choices or ():
            if choice.value == code:
                return choice_label(spec, field, choice, lang)
    return code


def field_label(spec: FormSpec, field: FormField, lang: str | None = None) -> str:
    """A field's label in ``lang`` (its name when it has none)."""
    return field_text(spec, field, "label", lang or current_language()) or field.name


def month_label(month: str, lang: str | None = None) -> str:
    """"2024-03" → "Mar 2024" ("มี.ค. 2567" in Thai, Burmese digits in Burmese)."""
    lang = lang or current_language()
    year, mon = int(month[:4]), int(month[5:7])
    name = format_date(date(year, mon, 1), "LLL", locale=lang)
    shown = ce_to_be(year) if uses_buddhist_era(lang) else year
    # TRANSLATORS: a month on a chart axis, e.g. "Mar 2024".
    return _("{month} {year}").format(month=name, year=to_native_digits(str(shown), lang))


def age_band_label(band: str, lang: str | None = None) -> str:
    """CTDC's "9--17" as "9–17", in the language's digits."""
    lang = lang or current_language()
    return to_native_digits(band.replace("--", "–"), lang)
