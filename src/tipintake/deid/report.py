"""The risk report shown before every share (command line and app alike).

Plain data: counts of cases read, eligible, already shared, blocked (with reasons that
name fields, never values), suppressed and generalised; the k and l achieved; how many
records were unique on the quasi-identifiers before treatment; the fields that never
leave and why. ``lines()`` renders it as translated text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tipintake.deid.consent import reason_label
from tipintake.i18n import _


@dataclass(frozen=True)
class Blocked:
    """A record held back by the leak scan: the local case reference, the field and why."""

    reference: str
    field: str
    reason: str


@dataclass
class RiskReport:
    """Everything a user should see before a batch leaves."""

    partner: str
    k: int
    l: int | None  # noqa: E741 - the literature's name
    quasi_identifiers: tuple[str, ...]
    sensitive_attributes: tuple[str, ...]
    cases: int = 0
    eligible: int = 0
    ineligible: dict[str, int] = field(default_factory=dict)
    already_shared: int = 0
    candidates: int = 0
    blocked: list[Blocked] = field(default_factory=list)
    suppressed_k: int = 0
    suppressed_l: int = 0
    generalised: dict[str, int] = field(default_factory=dict)  # element → records sent generalised
    further: dict[str, int] = field(default_factory=dict)  # ladder step → records it recoded
    shared: int = 0
    withdrawals: int = 0
    unique_before: int = 0
    below_k_before: int = 0
    classes: int = 0
    k_achieved: int | None = None
    l_achieved: dict[str, int | None] = field(default_factory=dict)
    dropped_fields: dict[str, dict[str, str]] = field(default_factory=dict)  # form → field → why

    @property
    def suppressed(self) -> int:
        """Records held back by the risk check (k or l)."""
        return self.suppressed_k + self.suppressed_l

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (no personal data in it)."""
        data = asdict(self)
        data["suppressed"] = self.suppressed
        return data

    def lines(self) -> list[str]:
        """The report as lines of text in the interface language."""
        out = [
            _("Risk report for partner {partner}").format(partner=self.partner),
            _("Cases read: {n}").format(n=self.cases),
            _("Eligible (consent recorded, not withdrawn): {n}").format(n=self.eligible),
        ]
        for reason, n in sorted(self.ineligible.items()):
            out.append(_("  not eligible, {reason}: {n}").format(reason=reason_label(reason), n=n))
        out += [
            _("Already shared (this revision): {n}").format(n=self.already_shared),
            _("New or changed records checked: {n}").format(n=self.candidates),
            _("Blocked by the leak scan: {n}").format(n=len(self.blocked)),
        ]
        for b in self.blocked:
            out.append(_("  case {reference}: field '{field}' contains {what}").format(
                reference=b.reference, field=b.field, what=b.reason))
        qi = ", ".join(self.quasi_identifiers) or "-"
        out += [
            _("k-anonymity over {qi}: k = {k} required").format(qi=qi, k=self.k),
            _("  records unique on these before treatment: {n}; in groups smaller than k: {m}").format(
                n=self.unique_before, m=self.below_k_before),
        ]
        labels = {"country_to_region": _("rare countries → UN M49 sub-region or region"),
                  "age_to_majority": _("age bands → under 18 / 18 and over")}
        for step, n in self.further.items():  # in ladder order
            out.append(_("  generalised further, {step}: {n} records").format(
                step=labels.get(step, step), n=n))
        for element, n in sorted(self.generalised.items()):
            out.append(_("  generalised further: {element} in {n} records").format(element=element, n=n))
        out.append(_("  suppressed (group smaller than k): {n}").format(n=self.suppressed_k))
        if self.l:
            out.append(_("  suppressed (fewer than l = {l} sensitive values): {n}").format(
                l=self.l, n=self.suppressed_l))
        achieved = "-" if self.k_achieved is None else str(self.k_achieved)
        out.append(_("  achieved: k = {k} over {classes} groups").format(k=achieved, classes=self.classes))
        for s, lv in sorted(self.l_achieved.items()):
            out.append(_("  l-diversity of {attribute}: {l}").format(
                attribute=s, l="-" if lv is None else lv))
        out += [
            _("Records to send: {n}").format(n=self.shared),
            _("Withdrawal notices to send: {n}").format(n=self.withdrawals),
        ]
        for form, fields in sorted(self.dropped_fields.items()):
            never = sorted(f for f, why in fields.items() if why != "not in the agreement"
                           and why != "no answer")
            if never:
                out.append(_("Form {form}: never sent: {fields}").format(form=form, fields=", ".join(never)))
        return out
