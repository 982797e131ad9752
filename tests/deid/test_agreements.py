"""Partner agreements: validation with file/line/field, storage in the data folder, shown and audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.deid.helpers import agreement, loader
from tipintake.deid.agreements import (
    AgreementError,
    AgreementNotShown,
    add_agreement,
    list_agreements,
    load_agreement,
    load_agreement_file,
    mark_shown,
    parse_agreement,
    was_shown,
)
from tipintake.deid.share import prepare_share
from tipintake.errors import NotFound, UserError

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "partner-agreement.yaml"


def test_the_documented_example_is_valid():
    a = load_agreement_file(EXAMPLE)
    assert a.name == "regional-hub"
    assert a.generalisation.k == 5
    assert a.hub is not None and a.hub.url.startswith("https://")
    assert a.generalisation.further == ("age_to_majority", "country_to_region")


def test_the_further_generalisation_ladder_defaults_on_and_can_be_switched_off():
    assert agreement().generalisation.further == ("age_to_majority", "country_to_region")
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "further: [age_to_majority, country_to_region]", "further: []")
    assert parse_agreement(text).generalisation.further == ()


def test_agreements_are_added_listed_and_loaded_from_the_data_folder(tmp_path):
    data = tmp_path / "data"
    add_agreement(data, EXAMPLE)
    assert (data / "partners" / "regional-hub.yaml").is_file()
    assert [a.name for a in list_agreements(data)] == ["regional-hub"]
    assert load_agreement(data, "regional-hub").sha256() == load_agreement_file(EXAMPLE).sha256()
    with pytest.raises(UserError):
        add_agreement(data, EXAMPLE)  # exists: --replace needed
    add_agreement(data, EXAMPLE, replace=True)
    with pytest.raises(NotFound):
        load_agreement(data, "nobody")


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old,new,field", [
    ("  k: 5 ", "  k: 1 ", "generalisation.k"),
    ("date_precision: year ", "date_precision: day ", "generalisation.date_precision"),
    ("  - age1smcg8", "  - notakey", "recipients"),
    ("name: regional-hub", "name: Regional Hub!", "name"),
    ("schedule:", "cadence:", "cadence"),
    ("url: https://hub.example.org/", "url: http://hub.example.org/", "hub.url"),
    ("further: [age_to_majority, country_to_region]", "further: [age_to_majority, city_to_moon]",
     "generalisation.further"),
    ("further: [age_to_majority, country_to_region]", "further: [age_to_majority, age_to_majority]",
     "generalisation.further"),
    ("suppression_limit: 0.05", "suppression_limit: 1.5", "generalisation.suppression_limit"),
])
def test_a_mistake_names_the_file_line_and_field(tmp_path, old, new, field):
    path = _broken(tmp_path, old, new)
    with pytest.raises(AgreementError) as info:
        load_agreement_file(path)
    err = info.value
    assert err.path == str(path) and err.field is not None and err.field.startswith(field)
    line = next(i for i, text_ in enumerate(path.read_text().splitlines(), 1) if new.strip() in text_)
    assert err.line == line
    assert str(path) in str(err) and f"line {line}" in str(err)


def test_a_quasi_identifier_must_be_shared():
    with pytest.raises(AgreementError, match="not listed in 'shares'"):
        agreement(quasi="yearOfRegistration, nationalityTypo")


def test_not_yaml_or_not_a_mapping():
    with pytest.raises(AgreementError, match="line"):
        parse_agreement("name: [unclosed", "x.yaml")
    with pytest.raises(AgreementError):
        parse_agreement("- a list", "x.yaml")


def test_a_usb_only_partner_has_no_hub():
    text_ = EXAMPLE.read_text(encoding="utf-8")
    a = parse_agreement(text_[: text_.index("\nhub:")] + "\n", "usb.yaml")
    assert a.hub is None


def test_sharing_needs_the_agreement_shown_and_showing_is_audited_with_its_hash(session):
    a = agreement()
    with pytest.raises(AgreementNotShown):
        prepare_share(session, a, form_loader=loader)
    mark_shown(session, a)
    assert was_shown(session, a)
    with session.engine.connect() as conn:
        action, detail = conn.execute(text(
            "SELECT action, detail FROM audit WHERE action = 'agreement_shown'")).one()
    assert json.loads(detail)["sha256"] == a.sha256()
    prepare_share(session, a, form_loader=loader)
    changed = agreement(k=7)  # a changed agreement must be shown again
    assert changed.sha256() != a.sha256()
    with pytest.raises(AgreementNotShown):
        prepare_share(session, changed, form_loader=loader)
