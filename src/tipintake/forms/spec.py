"""The shape of a form: pydantic models for forms, fields, choices and standards.

A form is data (see ``forms/README.md`` for the YAML that produces it). Each field
declares how sensitive its answer is and, where one exists, the standard data element
it carries (HTCDS field, CTDC variable). De-identification, the store and the CTDC
export read those declarations and the field's ``role``, never field names.

Answers are a flat JSON dict keyed by field name (names are unique in a form); a
repeat's answer is a list of such dicts for its children.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

LANGUAGES: tuple[str, ...] = ("en", "th", "km", "my", "id", "ms")

# Answers that say why there is no answer. They are answers in their own right (a
# required question answered "refused" is answered) and never mean "no".
MISSING_CODES: tuple[str, ...] = ("unknown", "refused", "not_asked")


class FieldType(StrEnum):
    """The kinds of question (and containers) a form may hold."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    YES_NO_UNKNOWN = "yes_no_unknown"
    NOTE = "note"
    CALCULATE = "calculate"
    GROUP = "group"
    REPEAT = "repeat"


CONTAINER_TYPES = frozenset({FieldType.GROUP, FieldType.REPEAT})
SELECT_TYPES = frozenset({FieldType.SELECT_ONE, FieldType.SELECT_MULTIPLE, FieldType.YES_NO_UNKNOWN})


class Sensitivity(StrEnum):
    """How much harm an answer can do if it leaves the laptop."""

    DIRECT_IDENTIFIER = "direct_identifier"  # names, ID numbers, phone, address: never shared
    QUASI_IDENTIFIER = "quasi_identifier"  # age, gender, citizenship: shared only generalised
    SENSITIVE = "sensitive"  # exploitation, health, control: shared only with consent
    FREE_TEXT = "free_text"  # narrative; may name anyone: kept with identity, never shared
    NONE = "none"  # carries nothing about the person (notes, interviewer codes)


# App-level semantic tags. Other layers find "the consent to share" or "the birth date"
# by role, because form authors rename fields and XLSForm imports bring their own names.
ROLES: dict[str, str] = {
    "consent_interview": "the person consents (or assents) to the interview",
    "consent_services": "consent to receive services from this organisation",
    "consent_referral": "consent to be referred to another organisation",
    "consent_share": "consent to de-identified sharing with the partner data hub",
    "consent_withdrawn": "consent has been withdrawn (stop sharing, notify the hub)",
    "child_assent": "a minor's own assent to the interview",
    "guardian_consent": "a parent's or guardian's consent for a minor",
    "is_minor": "whether the person is under 18 (yes / no / unknown), asked before consent",
    "interpreter_used": "an interpreter took part in the interview",
    "interview_language": "the language of the interview (ISO 639 code)",
    "registration_date": "the date the case was registered (intake date)",
    "birth_date": "the person's date of birth",
    "age": "the person's age in years at registration",
    "age_when_trafficked": "age in years when first trafficked",
    "gender": "gender, HTCDS codes",
    "citizenship": "country of citizenship, ISO 3166-1 alpha-2",
    "country_of_recruitment": "country of recruitment, ISO 3166-1 alpha-2",
    "country_of_exploitation": "country of exploitation, ISO 3166-1 alpha-2",
    "recruitment_date": "date of recruitment (entry into the trafficking situation)",
    "exploitation_date": "date the exploitation began",
    "exit_date": "date the person left the situation",
    "given_name": "given (first) name",
    "family_name": "family (second) name",
    "other_names": "nicknames, aliases, other spellings",
    "phone": "a telephone number",
    "email": "an email address",
    "id_number": "an identity, passport or registration number",
    "address": "a street address or precise location",
    "narrative": "the person's own account in free text",
    "trafficking_status": "HTCDS trafficking status",
    "case_status": "HTCDS case status",
}


class Standard(BaseModel):
    """The standard data elements a field carries (both may be absent)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    htcds: str | None = None  # e.g. "vic_MethodsOfControl"
    ctdc: str | None = None  # a CTDC column or column family, e.g. "meansOfControl"


class Choice(BaseModel):
    """One answer option: a stable code, translated labels, filter attributes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str
    label: dict[str, str] = Field(default_factory=dict)
    # Extra columns used by ``choice_filter`` (XLSForm cascading selects), e.g. {"country": "TH"}.
    attributes: dict[str, str] = Field(default_factory=dict)

    def label_in(self, language: str) -> str:
        """The label in ``language``, else English, else the code."""
        return _pick(self.label, language) or self.value


class FormField(BaseModel):
    """A question, note, calculation, group or repeat."""

    model_config = ConfigDict(extra="forbid")

    name: str
    type: FieldType
    label: dict[str, str] = Field(default_factory=dict)
    hint: dict[str, str] = Field(default_factory=dict)
    sensitivity: Sensitivity = Sensitivity.NONE
    standard: Standard = Field(default_factory=Standard)
    role: str | None = None
    required: bool = False
    required_if: str | None = None  # an expression; XLSForm's "required" column when not yes/no
    required_message: dict[str, str] = Field(default_factory=dict)
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: dict[str, str] = Field(default_factory=dict)
    calculation: str | None = None
    default: Any = None
    read_only: bool = False
    choice_list: str | None = None
    choices: tuple[Choice, ...] | None = None
    choice_filter: str | None = None
    # Answers "unknown", "refused", "not_asked" accepted by non-select questions.
    allow_missing: bool = False
    extended: bool = False  # shown only when the organisation switches extended fields on
    appearance: str | None = None
    repeat_count: str | None = None
    fields: tuple[FormField, ...] = ()
    line: int | None = Field(default=None, exclude=True)  # where the field starts in its file
    key_lines: dict[str, int] = Field(default_factory=dict, exclude=True, repr=False)  # line of each key

    def label_in(self, language: str) -> str:
        """The label in ``language``, else English, else the field name."""
        return _pick(self.label, language) or self.name

    def hint_in(self, language: str) -> str:
        """The hint in ``language`` (empty when none)."""
        return _pick(self.hint, language)

    def choice_values(self) -> frozenset[str]:
        """The codes a select accepts."""
        return frozenset(c.value for c in self.choices or ())

    @property
    def is_container(self) -> bool:
        """True for groups and repeats."""
        return self.type in CONTAINER_TYPES

    @property
    def is_select(self) -> bool:
        """True for select_one, select_multiple and yes_no_unknown."""
        return self.type in SELECT_TYPES


class FormSpec(BaseModel):
    """A whole form: identity, version, languages, choice lists and its field tree."""

    model_config = ConfigDict(extra="forbid")

    id: str
    version: str
    title: dict[str, str] = Field(default_factory=dict)
    description: dict[str, str] = Field(default_factory=dict)
    languages: tuple[str, ...] = ("en",)
    default_language: str = "en"
    choice_lists: dict[str, tuple[Choice, ...]] = Field(default_factory=dict)
    children: tuple[FormField, ...] = ()
    source: str | None = Field(default=None, exclude=True)

    _index: dict[str, FormField] = PrivateAttr(default_factory=dict)
    _parents: dict[str, tuple[FormField, ...]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        """Index fields by name once; lookups happen on every keystroke."""
        self._index = {}
        self._parents = {}
        self._build_index(self.children, ())

    def _build_index(self, nodes: tuple[FormField, ...], parents: tuple[FormField, ...]) -> None:
        for node in nodes:
            self._index.setdefault(node.name, node)
            self._parents.setdefault(node.name, parents)
            if node.fields:
                self._build_index(node.fields, (*parents, node))

    def walk(self) -> Iterator[FormField]:
        """Every node in document order, groups and repeats included."""
        yield from _walk(self.children)

    def fields(self) -> Iterator[FormField]:
        """Every field in document order, inside groups and repeats too (groups themselves excluded)."""
        return (f for f in _walk(self.children) if f.type is not FieldType.GROUP)

    def field(self, name: str) -> FormField:
        """The field called ``name``; KeyError when the form has none."""
        return self._index[name]

    def has_field(self, name: str) -> bool:
        """True when the form has a node called ``name``."""
        return name in self._index

    def parents(self, name: str) -> tuple[FormField, ...]:
        """The groups and repeats enclosing ``name``, outermost first."""
        return self._parents[name]

    def repeat_of(self, name: str) -> FormField | None:
        """The innermost repeat holding ``name``, or None at the top level."""
        for parent in reversed(self._parents.get(name, ())):
            if parent.type is FieldType.REPEAT:
                return parent
        return None

    def identity_fields(self) -> set[str]:
        """Names of fields the store keeps apart from case context (identifiers and free text)."""
        keep = {Sensitivity.DIRECT_IDENTIFIER, Sensitivity.FREE_TEXT}
        return {f.name for f in self.fields() if f.sensitivity in keep}

    def by_role(self, role: str) -> FormField | None:
        """The first field tagged with ``role``, or None."""
        return next((f for f in self.fields() if f.role == role), None)

    def roles(self) -> dict[str, str]:
        """Role → field name for every tagged field (first one wins)."""
        found: dict[str, str] = {}
        for f in self.fields():
            if f.role and f.role not in found:
                found[f.role] = f.name
        return found

    def title_in(self, language: str) -> str:
        """The title in ``language``, else English, else the id."""
        return _pick(self.title, language) or self.id


def _walk(nodes: tuple[FormField, ...]) -> Iterator[FormField]:
    for node in nodes:
        yield node
        if node.fields:
            yield from _walk(node.fields)


def _pick(texts: dict[str, str], language: str) -> str:
    if not texts:
        return ""
    return texts.get(language) or texts.get("en") or next(iter(texts.values()))


FormField.model_rebuild()
