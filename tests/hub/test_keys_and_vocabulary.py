"""Hub keys at rest, the vocabulary file, and agreement with the forms' CTDC mapping."""

from __future__ import annotations

import json

import pytest

from tipintake.errors import UserError, WrongPassphrase
from tipintake.hub.keys import KEYS_FILE, RECIPIENT_FILE, init_keys, unlock_keys
from tipintake.hub.vocabulary import load_vocabulary


def test_keys_are_encrypted_at_rest_and_open_only_with_the_passphrase(tmp_path):
    keys = init_keys(tmp_path, "twelve chars at least")
    stored = (tmp_path / KEYS_FILE).read_text()
    assert "AGE-SECRET-KEY" not in stored.upper()
    assert (tmp_path / KEYS_FILE).stat().st_mode & 0o077 == 0
    assert (tmp_path / RECIPIENT_FILE).read_text().strip() == keys.recipient
    assert unlock_keys(tmp_path, "twelve chars at least").key_id == keys.key_id
    with pytest.raises(WrongPassphrase):
        unlock_keys(tmp_path, "not the passphrase")


def test_weakening_the_stored_kdf_parameters_is_detected(tmp_path):
    init_keys(tmp_path, "twelve chars at least")
    document = json.loads((tmp_path / KEYS_FILE).read_text())
    document["kdf"]["time_cost"] = 1
    (tmp_path / KEYS_FILE).write_text(json.dumps(document))
    with pytest.raises(WrongPassphrase):
        unlock_keys(tmp_path, "twelve chars at least")


def test_init_refuses_short_passphrases_and_existing_keys(tmp_path):
    with pytest.raises(UserError):
        init_keys(tmp_path, "short")
    init_keys(tmp_path, "twelve chars at least")
    with pytest.raises(UserError, match="already has keys"):
        init_keys(tmp_path, "twelve chars at least")


def test_an_invalid_vocabulary_file_is_refused_with_a_sentence(tmp_path):
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text("version: 1\nk: 11\nmissing_values: []\nidentifiers: [gender]\n"
                   "elements:\n  - {name: gender, kind: code, values: [Male], released: true}\n")
    with pytest.raises(UserError, match="identifiers"):
        load_vocabulary(bad)
    bad.write_text("version: 1\nk: 11\nmissing_values: []\nidentifiers: []\n"
                   "elements:\n  - {name: gender, kind: code, released: true}\n")
    with pytest.raises(UserError, match="invalid"):
        load_vocabulary(bad)


def test_direct_identifiers_are_caught_whatever_their_case():
    vocabulary = load_vocabulary()
    assert "direct identifier" in vocabulary.problem({"PRS_firstname": "x"})
    assert "direct identifier" in vocabulary.problem({"gender": "Male", "phone": "x"})
    assert vocabulary.problem({"gender": "Male", "isForcedLabour": None, "citizenship": "refused"}) is None


def test_the_hub_accepts_every_value_the_further_generalisation_can_produce():
    ladder = pytest.importorskip("tipintake.deid.ladder")
    vocabulary = load_vocabulary()
    for name in ladder.region_names():
        assert vocabulary.problem({"citizenship": name, "CountryOfExploitation": name}) is None
    for band in (ladder.MINOR, ladder.ADULT):
        assert vocabulary.problem({"ageBroad": band}) is None
    assert vocabulary.problem({"citizenship": "Atlantis"}) is not None
    assert vocabulary.problem({"gender": "Asia"}) is not None  # regions are countries only


def test_released_variables_are_the_forms_ctdc_columns():
    ctdc = pytest.importorskip("tipintake.forms.ctdc")
    assert load_vocabulary().released == list(ctdc.CTDC_COLUMNS)


def test_a_row_from_the_forms_ctdc_mapping_is_accepted():
    ctdc = pytest.importorskip("tipintake.forms.ctdc")
    loader = pytest.importorskip("tipintake.forms.loader")
    spec = loader.load_form("tip_intake")
    answers = {
        "registration_date": "2025-03-01", "birth_date": "2005-06-01", "gender": "Feminine",
        "citizenship": "KH", "country_of_exploitation": "TH",
        "means_of_control": "DebtBondage WithholdsDocuments", "exploitation_types": "ForcedLabour",
        "recruiter_relation": "Friend", "recruitment_method": "Abduction",
    }
    row = ctdc.to_ctdc_row(spec, answers)
    assert load_vocabulary().problem(row) is None
