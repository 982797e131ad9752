"""Which answers feed which figure, per form: found by role and standard element.

Form authors rename fields and XLSForm imports bring their own names, so a figure is
tied to a field's declared ``role`` (gender, citizenship…) or standard element (CTDC
``typeOfExploit``, HTCDS ``spl_Type``…), never to a field name. A plan is computed once
per form and reused for every case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from tipintake.errors import FormError, UserError
from tipintake.forms import FieldType, FormField, FormSpec, load_form


@dataclass(frozen=True)
class Dimension:
    """A categorical figure of the dashboard and how to find its field in any form."""

    key: str
    role: str | None = None
    ctdc: str | None = None
    htcds: str | None = None
    # Services and referrals are recorded on follow-up forms too: take every form's answer.
    all_forms: bool = False

    def matches(self, f: FormField) -> bool:
        """Whether field ``f`` carries this dimension."""
        return bool((self.role and f.role == self.role) or (self.ctdc and f.standard.ctdc == self.ctdc)
                    or (self.htcds and f.standard.htcds == self.htcds))

    def find(self, spec: FormSpec) -> FormField | None:
        """The first field of ``spec`` carrying this dimension, or None."""
        return next((f for f in spec.fields() if f.type is not FieldType.REPEAT and self.matches(f)), None)


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("exploitation", ctdc="typeOfExploit", htcds="vic_TypeOfExploitation"),
    Dimension("means_of_control", ctdc="meansOfControl", htcds="vic_MethodsOfControl"),
    Dimension("citizenship", role="citizenship"),
    Dimension("country_of_exploitation", role="country_of_exploitation"),
    Dimension("gender", role="gender"),
    Dimension("services", htcds="spl_Type", all_forms=True),
    Dimension("referrals", htcds="cas_ReasonForOutgoingReferral", all_forms=True),
)
DIMENSION_KEYS = tuple(d.key for d in DIMENSIONS)

# Dates that must come in this order when answered (roles; a missing one is skipped).
DATE_ORDER = ("birth_date", "recruitment_date", "exploitation_date", "exit_date", "registration_date")

# Questions whose answer the quality page counts (notes, calculations, containers take none).
_ASKED = frozenset(FieldType) - {FieldType.NOTE, FieldType.CALCULATE, FieldType.GROUP, FieldType.REPEAT}


@dataclass(frozen=True)
class FormPlan:
    """The fields of one form that reports read, resolved once."""

    spec: FormSpec
    dims: dict[str, str] = field(default_factory=dict)  # dimension key → first field's name
    # dimension key → every (field, enclosing repeat or None) carrying it: a follow-up may
    # record services both as a list and per support plan, referrals one per repeat entry.
    sources: dict[str, tuple[tuple[str, str | None], ...]] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)  # role → field name
    quality_fields: tuple[str, ...] = ()  # context fields counted on the quality page
    quality_set: frozenset[str] = frozenset()
    multi: frozenset[str] = frozenset()  # field names whose answer is a list


def make_plan(spec: FormSpec) -> FormPlan:
    """Resolve dimensions, roles and countable fields for ``spec``."""
    identity = spec.identity_fields()
    dims = {d.key: f.name for d in DIMENSIONS if (f := d.find(spec)) is not None}
    sources: dict[str, tuple[tuple[str, str | None], ...]] = {}
    for d in DIMENSIONS:
        found = tuple((f.name, rep.name if (rep := spec.repeat_of(f.name)) else None)
                      for f in spec.fields() if f.type is not FieldType.REPEAT and d.matches(f))
        if found:
            sources[d.key] = found if d.all_forms else found[:1]
    quality = tuple(f.name for f in spec.fields()
                    if f.type in _ASKED and f.name not in identity and spec.repeat_of(f.name) is None)
    multi = frozenset(f.name for f in spec.fields() if f.type is FieldType.SELECT_MULTIPLE)
    return FormPlan(spec, dims, sources, spec.roles(), quality, frozenset(quality), multi)


_registered: dict[str, FormPlan] = {}


def register_form(spec: FormSpec) -> None:
    """Make a form that is not in the forms folder (an import, a test's form) known to reports."""
    _registered[spec.id] = make_plan(spec)


def plan_for(form_id: str) -> FormPlan | None:
    """The plan of a registered form or one in the project's forms folder; None when unknown."""
    return _registered.get(form_id) or _folder_plan(form_id)


@lru_cache(maxsize=32)
def _folder_plan(form_id: str) -> FormPlan | None:
    try:
        return make_plan(load_form(form_id))
    except (FormError, UserError, OSError, ValueError):
        return None
