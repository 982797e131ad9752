"""Map a record to the CTDC first-generation columns (one row per registered victim).

Driven by each field's declared ``standard.ctdc`` and ``role``, never by field names, so
any form that declares its standards maps. Flags are 1, 0 or None: None means missing
(unanswered, unknown, refused, not asked) and is never written as 0. Vocabularies are
mapped explicitly (HTCDS → CTDC tables below), never by label. See
shared/reference/ctdc.md for the columns and where the mapping loses information.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tipintake.forms import values as v
from tipintake.forms.spec import MISSING_CODES, FormSpec

MEANS = ("DebtBondage", "TakesEarnings", "RestrictsFinancialAccess", "Threats", "PsychologicalAbuse",
         "PhysicalAbuse", "SexualAbuse", "FalsePromises", "PsychoactiveSubstances", "RestrictsMovement",
         "RestrictsMedicalCare", "ExcessiveWorkingHours", "UsesChildren", "ThreatOfLawEnforcement",
         "WithholdsNecessities", "WithholdsDocuments", "Other", "NotSpecified")
EXPLOITS = ("ForcedLabour", "SexualExploit", "OtherExploit", "SexAndLabour", "ForcedMarriage",
            "ForcedMilitary", "OrganRemoval", "SlaveryAndPractices")
LABOURS = ("Agriculture", "Aquafarming", "Begging", "Construction", "DomesticWork", "Hospitality",
           "IllicitActivities", "Manufacturing", "MiningOrDrilling", "Peddling", "Transportation",
           "Other", "NotSpecified")
SEXES = ("Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices")
RELATIONS = ("IntimatePartner", "Friend", "Family", "Other", "Unknown")

CTDC_COLUMNS: tuple[str, ...] = (
    "yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus",
    "majorityStatusAtExploit", "majorityEntry", "citizenship",
    *(f"meansOfControl{m}" for m in MEANS), "meansOfControlConcatenated",
    *(f"is{e}" for e in EXPLOITS), "typeOfExploitConcatenated",
    *(f"typeOfLabour{t}" for t in LABOURS), "typeOfLabourConcatenated",
    *(f"typeOfSex{t}" for t in SEXES), "typeOfSexConcatenated",
    "isAbduction", *(f"recruiterRelation{r}" for r in RELATIONS), "RecruiterRelationship",
    "CountryOfExploitation",
)

# Column families a field may name in ``standard.ctdc`` besides the plain columns.
CTDC_FAMILIES = frozenset({"meansOfControl", "typeOfExploit", "typeOfLabour", "typeOfSex",
                           "recruiterRelation", "traffickMonths"})
CTDC_NAMES = frozenset(CTDC_COLUMNS) | CTDC_FAMILIES

DATASOURCE = "Case Management"
AGE_BANDS = ((0, 8, "0--8"), (9, 17, "9--17"), (18, 20, "18--20"), (21, 23, "21--23"), (24, 26, "24--26"),
             (27, 29, "27--29"), (30, 38, "30--38"), (39, 47, "39--47"), (48, 200, "48+"))

# HTCDS prs_Gender → CTDC v1 (Male | Female). Gender identity decides; categories v1
# cannot express (non-conforming, unknown) are missing rather than guessed.
GENDER_V1 = {"Feminine": "Female", "Masculine": "Male", "TransgenderFeminine": "Female",
             "TransgenderMasculine": "Male"}
# HTCDS vic_MethodsOfControl → CTDC meansOfControl* (plus the two CTDC-only codes we offer).
MEANS_MAP = {"PhysicalThreats": "Threats", "ThreatsLawEnforcement": "ThreatOfLawEnforcement",
             "ThreatensChildrenFamily": "Threats", "DebtBondage": "DebtBondage",
             "FalsePromises": "FalsePromises", "PhysicalAbuse": "PhysicalAbuse",
             "SexualAbuse": "SexualAbuse", "TakesEarnings": "TakesEarnings",
             "RestrictsFinancialAccess": "RestrictsFinancialAccess",
             "RestrictsMedicalCare": "RestrictsMedicalCare", "WithholdsNecessities": "WithholdsNecessities",
             "PsychologicalAbuse": "PsychologicalAbuse", "PsychoactiveSubstance": "PsychoactiveSubstances",
             "ExcessiveWorkingHours": "ExcessiveWorkingHours", "WithholdsDocuments": "WithholdsDocuments",
             "RestrictsMovement": "RestrictsMovement", "UsesChildren": "UsesChildren", "Other": "Other"}
# HTCDS vic_TypeOfExploitation → CTDC is* (the rest of HTCDS's list is "other exploitation").
EXPLOIT_MAP = {"ForcedLabour": "ForcedLabour", "SexualExploitation": "SexualExploit",
               "ForcedMarriage": "ForcedMarriage", "ForcedMilitaryByNonStateActors": "ForcedMilitary",
               "OrganRemoval": "OrganRemoval", "Servitude": "SlaveryAndPractices",
               "ChildLabour": "OtherExploit", "ForcedBegging": "OtherExploit",
               "ForcedAdoption": "OtherExploit", "Surrogacy": "OtherExploit", "Other": "OtherExploit"}
# ISIC v4 sections (HTCDS vic_ForcedLabourIndustry) → CTDC typeOfLabour*. Lossy: fishing
# falls under Agriculture unless the finer CTDC-coded question is answered too.
ISIC_MAP = {"A": "Agriculture", "B": "MiningOrDrilling", "C": "Manufacturing", "F": "Construction",
            "H": "Transportation", "I": "Hospitality", "T": "DomesticWork"}


@dataclass(slots=True)
class _Plan:
    """Which fields feed which columns, for one form (computed once)."""

    single: dict[str, str] = field(default_factory=dict)  # column or family → field name
    labour: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)


_plans: dict[int, tuple[FormSpec, _Plan]] = {}


def _plan(spec: FormSpec) -> _Plan:
    hit = _plans.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    plan = _Plan(roles=spec.roles())
    for f in spec.fields():
        ctdc = f.standard.ctdc
        if not ctdc:
            continue
        if ctdc == "typeOfLabour":
            plan.labour.append(f.name)
        else:
            plan.single.setdefault(ctdc, f.name)
    if len(_plans) > 64:
        _plans.clear()
    _plans[id(spec)] = (spec, plan)
    return plan


def _known(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value not in MISSING_CODES


def age_band(age: float | None) -> str | None:
    """CTDC ageBroad band for an age in years (None when unknown)."""
    if age is None or age != age or age < 0:
        return None
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return None


def _years_between(born: date | None, at: date | None) -> int | None:
    if born is None or at is None or at < born:
        return None
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))


def _majority(age: int | float | None) -> str | None:
    if age is None:
        return None
    return "Minor" if age < 18 else "Adult"


def _flags(names: tuple[str, ...], chosen: set[str] | None) -> dict[str, int | None]:
    if chosen is None:
        return dict.fromkeys(names)
    return {n: int(n in chosen) for n in names}


def _multi(answers: Mapping[str, Any], name: str | None) -> list[str] | None:
    """The chosen codes, or None when missing (blank, unknown, refused, not asked)."""
    if name is None:
        return None
    raw = answers.get(name)
    if not _known(raw):
        return None
    chosen = v.selected_values(raw)
    if not chosen or any(c in MISSING_CODES for c in chosen):
        return None
    return chosen


def _concat(flags: dict[str, int | None]) -> str | None:
    if all(x is None for x in flags.values()):
        return None
    return "; ".join(k for k, x in flags.items() if x)


def to_ctdc_row(spec: FormSpec, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The CTDC first-generation row for one record's clean answers (missing stays None)."""
    plan = _plan(spec)
    roles = plan.roles
    row: dict[str, Any] = dict.fromkeys(CTDC_COLUMNS)
    row["Datasource"] = DATASOURCE

    def by_role(role: str) -> Any:
        name = roles.get(role)
        value = answers.get(name) if name else None
        return value if _known(value) else None

    registered = v.parse_date(by_role("registration_date") or answers.get(plan.single.get("yearOfRegistration", ""), ""))
    row["yearOfRegistration"] = registered.year if registered else None
    gender = answers.get(plan.single.get("gender") or roles.get("gender", ""))
    row["gender"] = GENDER_V1.get(gender) if isinstance(gender, str) else None

    born = v.parse_date(by_role("birth_date"))
    age = by_role("age")
    age_now = int(age) if isinstance(age, int | float) and not isinstance(age, bool) else _years_between(born, registered)
    row["ageBroad"] = age_band(age_now)
    row["majorityStatus"] = _majority(age_now)
    first = by_role("age_when_trafficked")
    first_age = int(first) if isinstance(first, int | float) and not isinstance(first, bool) else None
    at_exploit = _years_between(born, v.parse_date(by_role("exploitation_date")))
    at_entry = _years_between(born, v.parse_date(by_role("recruitment_date")))
    row["majorityStatusAtExploit"] = _majority(at_exploit if at_exploit is not None else first_age)
    row["majorityEntry"] = _majority(at_entry if at_entry is not None else first_age)

    row["citizenship"] = _country(by_role("citizenship"))
    row["CountryOfExploitation"] = _country(
        by_role("country_of_exploitation") or answers.get(plan.single.get("CountryOfExploitation", ""))
    )

    _means(row, answers, plan)
    exploit = _exploitation(row, answers, plan)
    _labour(row, answers, plan, exploit)
    _sex(row, answers, plan, exploit)
    _recruitment(row, answers, plan)
    return row


def _country(value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 2 and value.isalpha() and value.isupper():
        return value
    return None


def _means(row: dict[str, Any], answers: Mapping[str, Any], plan: _Plan) -> None:
    name = plan.single.get("meansOfControl")
    raw = answers.get(name) if name else None
    chosen = _multi(answers, name)
    if chosen is None and raw is not None and "unknown" in v.selected_values(raw):
        flags: dict[str, int | None] = dict.fromkeys(MEANS)
        flags["NotSpecified"] = 1
    else:
        flags = _flags(MEANS, None if chosen is None else {MEANS_MAP[c] for c in chosen if c in MEANS_MAP})
    row.update({f"meansOfControl{k}": x for k, x in flags.items()})
    row["meansOfControlConcatenated"] = _concat(flags)


def _exploitation(row: dict[str, Any], answers: Mapping[str, Any], plan: _Plan) -> set[str] | None:
    chosen = _multi(answers, plan.single.get("typeOfExploit"))
    mapped = None if chosen is None else {EXPLOIT_MAP.get(c, "OtherExploit") for c in chosen}
    flags = _flags(EXPLOITS, mapped)
    if mapped is not None:
        flags["SexAndLabour"] = int({"ForcedLabour", "SexualExploit"} <= mapped)
    row.update({f"is{k}": x for k, x in flags.items()})
    row["typeOfExploitConcatenated"] = _concat(flags)
    return mapped


def _labour(row: dict[str, Any], answers: Mapping[str, Any], plan: _Plan, exploit: set[str] | None) -> None:
    found: set[str] | None = None
    for name in plan.labour:  # a CTDC-coded answer is finer than an ISIC section: it wins
        value = answers.get(name)
        if not _known(value):
            continue
        codes = v.selected_values(value)
        direct = {c for c in codes if c in LABOURS}
        if direct:
            found = direct
            break
        sections = {ISIC_MAP.get(c.split("_", 1)[0], "Other") for c in codes if "_" in c}
        if sections and found is None:
            found = sections
    if found is None and exploit is not None and not exploit & {"ForcedLabour", "OtherExploit", "SlaveryAndPractices"}:
        found = set()  # known not to be labour exploitation: every labour type is 0
    flags = _flags(LABOURS, found)
    row.update({f"typeOfLabour{k}": x for k, x in flags.items()})
    row["typeOfLabourConcatenated"] = _concat(flags)


def _sex(row: dict[str, Any], answers: Mapping[str, Any], plan: _Plan, exploit: set[str] | None) -> None:
    chosen = _multi(answers, plan.single.get("typeOfSex"))
    found = None if chosen is None else {c for c in chosen if c in SEXES}
    if found is None and exploit is not None and "SexualExploit" not in exploit:
        found = set()
    flags = _flags(SEXES, found)
    row.update({f"typeOfSex{k}": x for k, x in flags.items()})
    row["typeOfSexConcatenated"] = _concat(flags)


def _recruitment(row: dict[str, Any], answers: Mapping[str, Any], plan: _Plan) -> None:
    methods = _multi(answers, plan.single.get("isAbduction"))
    row["isAbduction"] = None if methods is None else int("Abduction" in methods)
    name = plan.single.get("recruiterRelation")
    value = answers.get(name) if name else None
    codes = set(v.selected_values(value)) if _known(value) else set()
    codes &= set(RELATIONS)
    if not codes:
        flags: dict[str, int | None] = dict.fromkeys(RELATIONS)
    elif codes == {"Unknown"}:
        flags = dict.fromkeys(RELATIONS)
        flags["Unknown"] = 1
    else:
        flags = _flags(RELATIONS, codes)
    row.update({f"recruiterRelation{k}": x for k, x in flags.items()})
    row["RecruiterRelationship"] = "; ".join(r for r in RELATIONS if flags[r]) or None
