"""Cascading lists: every select offers exactly ``FormState.choices`` and follows the answers it reads.

A country → province → district cascade where the province list is longer than the
radio-button limit (so it is a drop-down), and the XLSForm from pyxform's own tests
(state → county → city, radio buttons, a county code repeated under two states).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tipintake.forms import load_form_file, load_form_text
from tipintake.forms.spec import FormSpec
from tipintake.ui import forms_catalog
from tipintake.ui.form_view import FormWindow
from tipintake.ui.widgets.choices import RADIO_LIMIT, SelectMultipleField, SelectOneField

XLSFORM = Path(__file__).parents[1] / "forms" / "xlsforms" / "pyxform_choice_filter_test.xlsx"

PROVINCES = {
    "th": ["bangkok", "chiang_mai", "chiang_rai", "tak", "songkhla"],
    "kh": ["phnom_penh", "siem_reap", "battambang", "koh_kong"],
    "mm": ["yangon", "mandalay", "shan"],
}

CASCADE_FORM = """
id: cascade_test
version: "1"
title: Cascade test
languages: [en]
choices:
  countries:
    - {value: th, label: Thailand}
    - {value: kh, label: Cambodia}
    - {value: mm, label: Myanmar}
  provinces:
""" + "".join(
    f"    - {{value: {p}, label: {p.replace('_', ' ').title()}, country: {c}}}\n"
    for c, provinces in PROVINCES.items() for p in provinces
) + """
  districts:
    - {value: bang_rak, label: Bang Rak, province: bangkok}
    - {value: dusit, label: Dusit, province: bangkok}
    - {value: mae_sot, label: Mae Sot, province: tak}
    - {value: daun_penh, label: Daun Penh, province: phnom_penh}
fields:
  - name: country
    type: select_one countries
    label: Country of exploitation
    sensitivity: quasi_identifier
  - name: province
    type: select_one provinces
    label: Province
    sensitivity: quasi_identifier
    choice_filter: "country = ${country}"
  - name: districts
    type: select_multiple districts
    label: Districts
    sensitivity: quasi_identifier
    choice_filter: "province = ${province}"
"""


def _open(main_window, spec: FormSpec) -> FormWindow:
    forms_catalog.register(spec)
    window = main_window.open_form(spec.id)
    assert isinstance(window, FormWindow)
    return window


@pytest.fixture
def cascade(main_window):
    spec = load_form_text(CASCADE_FORM, "cascade.yaml")
    yield _open(main_window, spec)
    forms_catalog.unregister(spec.id)


def offered(widget: SelectOneField | SelectMultipleField) -> list[str]:
    """The codes a person can pick now, read from the widget itself."""
    if isinstance(widget, SelectOneField) and widget.combo is not None:
        return [widget.combo.itemData(i) for i in range(1, widget.combo.count())]
    buttons = widget.radios if isinstance(widget, SelectOneField) else widget.boxes
    return [c.value for c, b in zip(widget.choices, buttons, strict=True) if not b.isHidden()]


def pick_radio(widget: SelectOneField, code: str) -> None:
    """Click the shown radio button of ``code``, as a person would."""
    radio = next(r for c, r in zip(widget.choices, widget.radios, strict=True)
                 if c.value == code and not r.isHidden())
    radio.click()


def pick_combo(widget: SelectOneField, code: str) -> None:
    """Choose ``code`` in the drop-down."""
    assert widget.combo is not None
    widget.combo.setCurrentIndex(widget.combo.findData(code))


def test_a_long_list_is_a_drop_down_that_follows_the_country(cascade, qtbot):
    window = cascade
    country, province = window.widget("country"), window.widget("province")
    assert len(province.choices) > RADIO_LIMIT and province.combo is not None
    # Nothing chosen yet: the filter allows nothing, and the drop-down offers exactly that.
    assert offered(province) == [c.value for c in window.state.choices("province")] == []
    pick_radio(country, "th")
    assert offered(province) == PROVINCES["th"]
    assert offered(province) == [c.value for c in window.state.choices("province")]
    assert province.combo.itemText(1) == "Bangkok"
    pick_combo(province, "tak")
    assert window.state.value("province") == "tak"
    assert province.notice.isHidden()
    # Another country: the province no longer fits, so it goes, and the question says so.
    pick_radio(country, "kh")
    assert offered(province) == PROVINCES["kh"]
    assert province.value() == "" and window.state.value("province") is None
    assert province.notice.isVisibleTo(window)
    assert "Tak" in province.notice.text() and "cleared" in province.notice.text()
    # Choosing again hides the line.
    pick_combo(province, "siem_reap")
    assert window.state.value("province") == "siem_reap"
    assert province.notice.isHidden()


def test_an_answer_still_allowed_is_kept_and_clearing_cascades(cascade, qtbot):
    window = cascade
    country, province, districts = (window.widget(n) for n in ("country", "province", "districts"))
    pick_radio(country, "th")
    pick_combo(province, "bangkok")
    assert offered(districts) == ["bang_rak", "dusit"]
    districts.boxes[0].click()  # Bang Rak
    assert window.state.value("districts") == ["bang_rak"]
    # Re-choosing the same country changes nothing below it.
    pick_radio(country, "th")
    assert window.state.value("province") == "bangkok"
    assert window.state.value("districts") == ["bang_rak"]
    assert province.notice.isHidden() and districts.notice.isHidden()
    # A new country clears the province, and through it the districts: two levels down.
    pick_radio(country, "mm")
    assert window.state.value("province") is None and window.state.value("districts") is None
    assert offered(districts) == [] and districts.value() == []
    assert districts.notice.isVisibleTo(window) and "Bang Rak" in districts.notice.text()
    # What was cleared is not kept in the draft either.
    draft = window.answers_for_draft()
    assert "province" not in draft and "districts" not in draft


def test_a_draft_opens_with_the_lists_filtered(main_window, qtbot):
    spec = load_form_text(CASCADE_FORM, "cascade.yaml")
    window = _open(main_window, spec)
    try:
        pick_radio(window.widget("country"), "kh")
        pick_combo(window.widget("province"), "phnom_penh")
        assert window.save_draft(force=True)
        draft_id = window.draft_id
        window.finished = True
        window.close()
        resumed = main_window.open_form(spec.id, draft_id=draft_id)
        province = resumed.widget("province")
        assert offered(province) == PROVINCES["kh"]
        assert province.value() == "phnom_penh" and province.notice.isHidden()
        assert offered(resumed.widget("districts")) == ["daun_penh"]
        resumed.finished = True
        resumed.close()
    finally:
        forms_catalog.unregister(spec.id)


def test_imported_xlsform_cascade_with_a_code_under_two_parents(main_window, qtbot):
    spec = load_form_file(XLSFORM)
    window = _open(main_window, spec)
    try:
        state, county, city = (window.widget(n) for n in ("state", "county", "city"))
        pick_radio(state, "texas")
        assert offered(county) == [c.value for c in window.state.choices("county")] == ["king", "cameron"]
        pick_radio(county, "cameron")
        assert offered(city) == ["brownsville", "harlingen"]
        pick_radio(city, "harlingen")
        pick_radio(state, "washington")
        assert offered(county) == ["king", "pierce"]
        assert window.state.value("county") is None and window.state.value("city") is None
        assert county.notice.isVisibleTo(window) and city.notice.isVisibleTo(window)
        # "king" exists under both states: the answer survives a change of state.
        pick_radio(county, "king")
        assert window.state.value("county") == "king"
        pick_radio(state, "texas")
        assert window.state.value("county") == "king" and county.notice.isHidden()
        shown_king = [r for c, r in zip(county.choices, county.radios, strict=True)
                      if c.value == "king" and not r.isHidden()]
        assert len(shown_king) == 1 and shown_king[0].isChecked()
        window.finished = True
        window.close()
    finally:
        forms_catalog.unregister(spec.id)
