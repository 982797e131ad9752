"""A record opened with a newer form version: answers map by name, misfits are listed, not lost."""

from __future__ import annotations

import random

from tipintake.forms import load_form, load_form_text, validate
from tipintake.forms.synthetic import TODAY, synthetic_answers
from tipintake.forms.versions import map_answers

V2 = """\
id: t
version: "2"
fields:
  - {name: age, type: integer, sensitivity: quasi_identifier}
  - {name: colour, type: select_one colours, sensitivity: none}
  - {name: tags, type: select_multiple colours, sensitivity: none}
  - name: visits
    type: repeat
    fields:
      - {name: visit_date, type: date, sensitivity: sensitive}
choices:
  colours: [{value: red}, {value: blue}]
"""


def test_answers_map_by_name_and_misfits_are_listed_with_their_values():
    spec = load_form_text(V2)
    old = {"age": "41", "colour": "green", "tags": ["red", "blue"], "nickname": "Dao",
           "visits": [{"visit_date": "2024-01-02", "visit_note": "x"}]}
    mapped = map_answers(old, spec, from_version="1")
    assert mapped.answers == {"age": 41, "tags": ["red", "blue"], "visits": [{"visit_date": "2024-01-02"}]}
    unfit = {u.name: u for u in mapped.unfit}
    assert set(unfit) == {"colour", "nickname", "visits[1].visit_note"}
    assert unfit["colour"].value == "green" and "green" not in unfit["colour"].reason
    assert (mapped.from_version, mapped.to_version, mapped.clean) == ("1", "2", False)


def test_type_change_that_no_longer_reads_is_listed():
    spec = load_form_text(V2)
    mapped = map_answers({"age": "about forty", "colour": ["red"]}, spec)
    assert {u.name for u in mapped.unfit} == {"age", "colour"} and mapped.answers == {}


def test_same_version_maps_cleanly(intake):
    answers = synthetic_answers(intake, random.Random(2))
    mapped = map_answers(answers, load_form("tip_intake"), from_version=intake.version)
    assert mapped.clean
    assert validate(intake, mapped.answers, today=TODAY).answers == answers
