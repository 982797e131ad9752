"""A small fixed data set in a real encrypted store, with every figure computable by hand.

Seven intake cases (A–G) and one follow-up revision (F). The expected figures in the
tests are counted from the dicts below; keep them in step when a case changes.
"""

from __future__ import annotations

import pytest

from tipintake.reports import clear_cache
from tipintake.store.session import Store

ADMIN, ADMIN_PASS = "admin", "correct horse battery staple"
VIEWER, VIEWER_PASS = "viewer", "viewer passphrase long"
FORM, VERSION = "tip_intake", "1.0.0"


# name → (identity, context). Only the answers the figures read are given.
CASES: dict[str, tuple[dict, dict]] = {
    "A": ({"given_name": "Somchai", "family_name": "Jaidee", "phone": "+66812345678"},
          {"registration_date": "2024-01-15", "gender": "Feminine", "citizenship": "MM",
           "country_of_exploitation": "TH", "exploitation_types": ["ForcedLabour"],
           "means_of_control": ["DebtBondage", "WithholdsDocuments"], "birth_date": "2000-05-01",
           "age_years": 23, "age_when_trafficked": 25, "needs": ["Health", "Legal"],
           "referral_reason": "AdditionalServicesRequired"}),
    "B": ({"given_name": "Sok", "family_name": "Dara"},
          {"registration_date": "2024-01-20", "gender": "Masculine", "citizenship": "KH",
           "country_of_exploitation": "TH", "exploitation_types": ["SexualExploitation", "ForcedLabour"],
           "means_of_control": ["unknown"], "birth_date": "unknown", "stated_age": 16, "age_years": 16,
           "is_minor": "yes", "needs": ["Health"]}),
    "C": ({"given_name": "Thida", "family_name": "Win"},
          {"registration_date": "2024-02-03", "gender": "Feminine", "citizenship": "MM",
           "country_of_exploitation": "MY", "exploitation_types": ["refused"],
           "means_of_control": ["PhysicalAbuse", "DebtBondage"], "birth_date": "1990-02-10",
           "age_years": 33, "recruitment_date": "2023-05-01", "exploitation_date": "2023-04-01"}),
    "D": ({"given_name": "SOMCHAI", "family_name": "jaidee", "phone": "0812345678"},
          {"registration_date": "2024-03-10", "citizenship": "TH", "country_of_exploitation": "TH",
           "exploitation_types": ["ForcedLabour"], "means_of_control": ["DebtBondage"],
           "birth_date": "2010-01-01", "age_years": 14, "is_minor": "yes",
           "guardian_consent": "not_possible", "needs": ["Education"]}),
    "E": ({"given_name": "Aung", "family_name": "Kyaw"},
          {"registration_date": "2024-03-12", "gender": "Masculine", "citizenship": "MM",
           "country_of_exploitation": "TH", "exploitation_types": ["ForcedLabour"],
           "means_of_control": ["PhysicalThreats"], "birth_date": "1985-07-07", "age_years": 30,
           "needs": ["Health"]}),
    "F": ({"given_name": "Siti", "family_name": "Aminah"},
          {"registration_date": "2024-02-28", "gender": "Feminine", "citizenship": "ID",
           "country_of_exploitation": "MY", "exploitation_types": ["ForcedMarriage"],
           "means_of_control": ["FalsePromises"], "birth_date": "not_asked", "age_years": 45,
           "needs": ["SocialCare"]}),
    "G": ({"given_name": "win", "family_name": "THIDA"},
          {"registration_date": "2024-03-20", "gender": "Feminine", "citizenship": "MM",
           "country_of_exploitation": "MY", "exploitation_types": ["ForcedLabour"],
           "means_of_control": ["DebtBondage"], "birth_date": "1990-02-10", "age_years": 34}),
}
# Case A's first revision said more about control; the second (latest) is what counts.
A_FIRST_MEANS = ["DebtBondage", "WithholdsDocuments"]
A_LATEST_MEANS = ["DebtBondage"]
# The shipped follow_up form: services as a list, referrals one per repeat entry.
F_FOLLOW_UP = {"followup_date": "2024-04-01", "services_provided": ["Livelihood", "SocialCare"],
               "referred_out": "yes",
               "referrals_out": [{"referral_consent_confirmed": "yes", "referred_organisation": "Partner NGO",
                                  "referral_reason": "MigrationOrChangeOfLocation"}]}


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One store per test module: Argon2id set-up is the slow part, the cases are read-only."""
    return Store(tmp_path_factory.mktemp("reports") / "data")


@pytest.fixture(scope="module")
def session(store):
    """Admin session on a store holding cases A–G; ``session.ids`` maps letters to case ids."""
    s, _recovery = store.init("Test shelter", ADMIN, ADMIN_PASS)
    s.users.add(VIEWER, VIEWER_PASS, "viewer")
    ids: dict[str, str] = {}
    for letter, (identity, context) in CASES.items():
        first = dict(context, means_of_control=A_FIRST_MEANS) if letter == "A" else context
        ids[letter], _n = s.cases.save(form_id=FORM, form_version=VERSION, kind=FORM,
                                       identity=identity, context=first)
    s.cases.save(form_id=FORM, form_version=VERSION, kind=FORM, identity=CASES["A"][0],
                 context=dict(CASES["A"][1], means_of_control=A_LATEST_MEANS), case_id=ids["A"])
    s.cases.save(form_id="follow_up", form_version="1.0.0", kind="follow_up", identity={},
                 context=F_FOLLOW_UP, case_id=ids["F"])
    s.ids = ids  # type: ignore[attr-defined]
    yield s
    s.lock()


@pytest.fixture(scope="module")
def viewer(store, session):
    """A viewer's session on the same store (figures yes; identity and exports no)."""
    v = store.unlock(VIEWER, VIEWER_PASS)
    yield v
    v.lock()
