"""Property tests: junk never escapes as anything but FormError; expressions cannot reach code or files."""

from __future__ import annotations

import builtins
import io
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipintake.errors import FormError
from tipintake.forms import load_form_file, load_form_text, validate
from tipintake.forms.expr import Context, ExprError, parse

FIELD_KEYS = ["name", "type", "label", "sensitivity", "relevant", "constraint", "choices", "fields",
              "required", "calculation", "role", "standard", "hint", "allow_missing"]
TYPES = ["text", "integer", "select_one", "select_multiple l", "group", "repeat", "calculate", "date", "note", "bogus"]
EXPR_ATOMS = ["${a}", "${b}", ".", "1", "'x'", "today()", "selected(${a}, 'y')", "${nope}", "(", ")", "and",
              "+", "div", "=", "<", "if(", ",", "regex(", "string-length(", "-", "/", "..", "[", "'", "$", "{"]

XLS_WORDS = ["type", "name", "label", "list_name", "relevant", "constraint", "text", "integer", "select_one l",
             "begin group", "end group", "begin repeat", "calculate", "${a}", "label::Thai (th)", "required", "yes"]
scalars = st.one_of(st.text(max_size=20), st.sampled_from(TYPES), st.sampled_from(["a", "b", "yes", "NO", "1", ""]),
                    st.integers(), st.none(), st.booleans())
expressions = st.lists(st.sampled_from(EXPR_ATOMS), max_size=12).map(" ".join)


def field_dicts(depth: int = 0) -> st.SearchStrategy:
    values = st.one_of(scalars, expressions)
    if depth < 2:
        values = st.one_of(values, st.lists(st.deferred(lambda: field_dicts(depth + 1)), max_size=3))
    return st.dictionaries(st.sampled_from(FIELD_KEYS), values, max_size=8)


forms = st.fixed_dictionaries(
    {"id": st.sampled_from(["f", "", "Bad Id", "x1"]), "version": st.sampled_from(["1", ""]),
     "fields": st.lists(field_dicts(), max_size=5)},
    optional={"choices": st.dictionaries(st.sampled_from(["l", "yes_no", "bad name"]),
                                         st.lists(st.one_of(scalars, st.dictionaries(st.sampled_from(["value", "label", "x"]), scalars)), max_size=3)),
              "languages": st.one_of(st.lists(st.sampled_from(["en", "th", "xx-YY", "English", "1"])), scalars)},
)


def to_yaml(data: object) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(forms)
def test_structured_junk_forms_raise_only_form_error(data):
    try:
        spec = load_form_text(to_yaml(data), "junk.yaml")
    except FormError as exc:
        assert str(exc).startswith("junk.yaml") and "\n" not in str(exc).strip()
        return
    validate(spec, {"a": "1", "b": ["x"]})


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_arbitrary_text_raises_only_form_error(text):
    try:
        load_form_text(text, "junk.yaml")
    except FormError:
        pass


@settings(max_examples=100)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_as_a_spreadsheet_raise_only_form_error(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("xls") / "junk.xlsx"
    path.write_bytes(b"PK\x03\x04" + blob if blob[:1] == b"\x00" else blob)
    with pytest.raises(FormError):
        load_form_file(path)


@settings(max_examples=40)
@given(st.lists(st.lists(st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=15),
                                   st.sampled_from(XLS_WORDS), st.integers(), st.none()), max_size=6), max_size=8),
       st.sampled_from(["survey", "choices", "settings", "Sheet1"]))
def test_arbitrary_spreadsheet_cells_raise_only_form_error(tmp_path_factory, rows, sheet):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    path = tmp_path_factory.mktemp("xls") / "cells.xlsx"
    book.save(path)
    try:
        load_form_file(path)
    except FormError as exc:
        assert "\n" not in str(exc)


SAFE_IMPORTS = frozenset({"time", "math", "re", "datetime", "_strptime"})


def _forbid(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("an expression tried to reach code, a file or a process")


@settings(max_examples=400)
@given(st.text(max_size=80) | expressions)
def test_no_expression_can_run_code_or_touch_files(text):
    saved = (builtins.open, builtins.__import__, builtins.eval, builtins.exec, os.system, subprocess.Popen, io.open, Path.open)
    ctx = Context({"a": "__import__('os').system('x')", "b": ["open"]}, current="/etc/passwd")
    try:
        try:
            expr = parse(text)
        except ExprError:
            return
        builtins.open = io.open = Path.open = builtins.eval = builtins.exec = os.system = subprocess.Popen = _forbid  # type: ignore[assignment]
        # date.today() imports "time" under the hood; nothing else may be imported.
        builtins.__import__ = lambda name, *a, **k: _forbid() if name not in SAFE_IMPORTS else saved[1](name, *a, **k)  # type: ignore[assignment]
        expr.evaluate(ctx)
    finally:
        (builtins.open, builtins.__import__, builtins.eval, builtins.exec, os.system, subprocess.Popen, io.open, Path.open) = saved


@settings(max_examples=300)
@given(st.recursive(st.one_of(st.text(max_size=10), st.integers(), st.floats(allow_nan=True), st.none(), st.booleans()),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=10))
def test_validate_never_raises_on_any_answer_value(value):
    from tipintake.forms import load_form

    spec = load_form("tip_intake")
    answers = {name: value for name in ("registration_date", "stated_age", "means_of_control", "gender", "agee")}
    result = validate(spec, answers)
    assert isinstance(result.errors, dict)
