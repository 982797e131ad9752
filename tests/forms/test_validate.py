"""validate(): clean answers and one sentence per failing field."""

from __future__ import annotations

import random
from datetime import date

from tipintake.forms import load_form_text, validate
from tipintake.forms.synthetic import TODAY, synthetic_answers

FORM = """\
id: t
version: "1"
fields:
  - {name: consent, type: select_one yes_no, sensitivity: sensitive, required: true}
  - name: age
    type: integer
    sensitivity: quasi_identifier
    relevant: "${consent} = 'yes'"
    required: true
    allow_missing: true
    constraint: ". >= 0 and . <= 120"
    constraint_message: The age must be between 0 and 120.
  - {name: tags, type: select_multiple tags, sensitivity: sensitive}
  - {name: seen, type: yes_no_unknown, sensitivity: sensitive}
  - {name: when, type: date, sensitivity: sensitive}
  - name: people
    type: repeat
    fields:
      - {name: person_age, type: integer, sensitivity: quasi_identifier, required: true, constraint: ". < 200"}
choices:
  yes_no: [{value: "yes"}, {value: "no"}]
  tags: [{value: a}, {value: b}]
"""


def spec():
    return load_form_text(FORM)


def test_required_type_constraint_and_choice_errors():
    result = validate(spec(), {"consent": "yes", "age": "200", "tags": ["a", "zz"], "when": "31/12/2024"})
    assert not result.ok
    assert result.errors == {
        "age": "The age must be between 0 and 120.",
        "tags": "'zz' is not one of the answers to this question.",
        "when": "Enter a date as YYYY-MM-DD.",
    }
    assert validate(spec(), {"consent": "maybe"}).errors == {"consent": "'maybe' is not one of the answers to this question."}
    assert validate(spec(), {}).errors == {"consent": "This question needs an answer."}
    assert validate(spec(), {"consent": "yes", "age": "abc"}).errors == {"age": "Enter a whole number."}


def test_answers_to_questions_that_are_not_relevant_are_dropped():
    result = validate(spec(), {"consent": "no", "age": 40})
    assert result.ok and "age" not in result.answers and result.relevance["age"] is False


def test_native_digits_become_ascii():
    result = validate(spec(), {"consent": "yes", "age": "២៥", "when": "๒๕๖๗-๐๑-๐๒"})
    assert result.ok
    assert result.answers["age"] == 25 and result.answers["when"] == "2567-01-02"
    assert validate(spec(), {"consent": "yes", "age": "၁၂"}).answers["age"] == 12


def test_unknown_refused_and_not_asked_stay_distinct_from_no():
    for code in ("unknown", "refused", "not_asked"):
        result = validate(spec(), {"consent": "yes", "age": code, "seen": code})
        assert result.ok, result.errors
        assert result.answers["age"] == code and result.answers["seen"] == code
    assert validate(spec(), {"consent": "yes", "age": 1, "seen": "no"}).answers["seen"] == "no"


def test_unknown_question_is_reported_not_silently_dropped():
    result = validate(spec(), {"consent": "no", "agee": 3})
    assert "agee" in result.errors and "agee" not in result.answers


def test_repeat_instances_are_checked_each():
    result = validate(spec(), {"consent": "no", "people": [{"person_age": 3}, {}, {"person_age": 300}]})
    assert result.errors == {
        "people[2].person_age": "This question needs an answer.",
        "people[3].person_age": "This answer breaks the form's rule: . < 200",
    }
    assert result.answers["people"][0] == {"person_age": 3}


def test_complete_synthetic_intake_validates(intake):
    rng = random.Random(7)
    for _ in range(200):
        result = validate(intake, synthetic_answers(intake, rng), today=TODAY)
        assert result.ok, result.errors


def test_future_dates_fail_against_today(intake):
    answers = synthetic_answers(intake, random.Random(1))
    answers["registration_date"] = "2031-01-01"
    assert "registration_date" in validate(intake, answers, today=date(2026, 11, 1)).errors


def test_extended_fields_off_are_never_required():
    text = FORM.replace("{name: when, type: date, sensitivity: sensitive}",
                        "{name: when, type: date, sensitivity: sensitive, required: true, extended: true}")
    form = load_form_text(text)
    assert "when" in validate(form, {"consent": "no"}).errors
    assert validate(form, {"consent": "no"}, extended=False).ok
