"""The gettext facade: English without compiled catalogs, run-time switching, per-thread override."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

import tipintake.i18n as i18n
from tipintake.i18n.formtext import field_text


@pytest.fixture
def locales(tmp_path, monkeypatch):
    """A locales folder with a tiny compiled Thai catalog."""
    catalog = Catalog(locale="th", domain=i18n.DOMAIN)
    catalog.add("Save", "บันทึก")
    catalog.add("Age in years", "อายุ (ปี)", context="mini:age:label")
    catalog.add(("{count} record", "{count} records"), ("{count} รายการ",))
    mo = tmp_path / "th" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    mo.parent.mkdir(parents=True)
    with mo.open("wb") as fh:
        write_mo(fh, catalog)
    monkeypatch.setattr(i18n, "project_dir", lambda name: tmp_path)
    i18n.reload_catalogs()
    yield tmp_path
    i18n.set_language("en")
    i18n.reload_catalogs()


def test_english_fallback_when_nothing_is_compiled(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "project_dir", lambda name: tmp_path / "empty")
    i18n.reload_catalogs()
    i18n.set_language("km")
    try:
        assert i18n._("Save") == "Save"
        assert i18n.pgettext("x:y:label", "Name") == "Name"
        assert i18n.ngettext("{count} record", "{count} records", 2) == "{count} records"
    finally:
        i18n.set_language("en")
        i18n.reload_catalogs()


def test_switching_language_at_run_time(locales):
    i18n.set_language("th")
    assert i18n._("Save") == "บันทึก"
    assert i18n.ngettext("{count} record", "{count} records", 1).format(count=1) == "1 รายการ"
    i18n.set_language("en")
    assert i18n._("Save") == "Save"
    i18n.set_language("xx")  # unknown: English
    assert i18n.current_language() == "en"


def test_interview_language_can_differ_from_the_interface(locales):
    i18n.set_language("en")
    with i18n.use_language("th"):
        assert i18n._("Save") == "บันทึก"
    assert i18n._("Save") == "Save"
    assert i18n.gettext_in("th", "Save") == "บันทึก"


class _Field:
    name = "age"
    label = {"en": "Age in years", "km": "អាយុ"}
    choice_list = None


class _Spec:
    id = "mini"

    def parents(self, name):  # noqa: ANN001, ANN201
        return ()


def test_form_text_prefers_the_catalog_then_the_form_then_english(locales):
    assert field_text(_Spec(), _Field(), "label", "th") == "อายุ (ปี)"
    assert field_text(_Spec(), _Field(), "label", "km") == "អាយុ"
    assert field_text(_Spec(), _Field(), "label", "id") == "Age in years"
    assert field_text(_Spec(), _Field(), "hint", "th") == ""
