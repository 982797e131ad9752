"""How a form is cut into pages, and what the interview flow needs to know (no Qt).

Top-level groups are pages; top-level questions between groups share a page. The
page holding the consent to interview always comes first. A page is "sensitive"
when it asks sensitive questions or for the person's own story, so the interviewer
may skip it (answers that allow it become "not asked") or come back to it later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tipintake.forms.spec import MISSING_CODES, FieldType, FormField, FormSpec, Sensitivity

CONSENT_ROLES = ("consent_interview", "child_assent", "guardian_consent")


@dataclass
class FormPage:
    """One page: a top-level group, or the loose questions between groups."""

    key: str
    group: FormField | None
    fields: list[FormField] = field(default_factory=list)  # top-level units on this page

    def questions(self) -> list[FormField]:
        """Every question on the page, inside nested groups too."""
        out: list[FormField] = []
        stack = list(reversed(self.fields))
        while stack:
            f = stack.pop()
            if f.type is FieldType.GROUP:
                stack.extend(reversed(f.fields))
            else:
                out.append(f)
        return out

    @property
    def has_consent(self) -> bool:
        """Whether the page asks for the consent to interview."""
        return any(f.role == "consent_interview" for f in self.questions())

    @property
    def sensitive(self) -> bool:
        """Whether the page may be skipped or deferred."""
        if any(f.role in CONSENT_ROLES for f in self.questions()):
            return False
        keep = (Sensitivity.SENSITIVE, Sensitivity.FREE_TEXT)
        return any(f.sensitivity in keep for f in self.questions())


def pages_of(spec: FormSpec) -> list[FormPage]:
    """The form's pages, the consent page first."""
    pages: list[FormPage] = []
    loose: FormPage | None = None
    for node in spec.children:
        if node.type is FieldType.GROUP:
            loose = None
            pages.append(FormPage(node.name, node, list(node.fields)))
        else:
            if loose is None:
                loose = FormPage(f"_{len(pages)}", None, [])
                pages.append(loose)
            loose.fields.append(node)
    consent = next((p for p in pages if any(f.role == "consent_interview" for f in p.questions())), None)
    if consent is not None:
        pages.remove(consent)
        pages.insert(0, consent)
    return pages


def consent_refused(spec: FormSpec, values: Mapping[str, Any]) -> bool:
    """True when the person (or, for a child, the child or guardian) said no to the interview."""
    for role in CONSENT_ROLES:
        f = spec.by_role(role)
        if f is not None and values.get(f.name) == "no":
            return True
    return False


def consent_given(spec: FormSpec, values: Mapping[str, Any]) -> bool:
    """True once the consent to interview is yes (or the form asks for none)."""
    f = spec.by_role("consent_interview")
    return f is None or (values.get(f.name) == "yes" and not consent_refused(spec, values))


def not_asked_answers(page: FormPage) -> dict[str, str]:
    """Answers that mark the page's questions as not asked, where a question allows it."""
    out: dict[str, str] = {}
    for f in page.questions():
        if f.type in (FieldType.NOTE, FieldType.CALCULATE, FieldType.REPEAT):
            continue
        codes = {c.value for c in f.choices or ()} if f.is_select else set(MISSING_CODES if f.allow_missing else ())
        if "not_asked" in codes:
            out[f.name] = "not_asked"
    return out
