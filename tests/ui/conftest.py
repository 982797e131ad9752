"""UI test fixtures: offscreen Qt, a fresh encrypted store per test, the test form."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tipintake.i18n import set_language  # noqa: E402
from tipintake.store.session import Store  # noqa: E402

ADMIN = "admin"
ADMIN_PASS = "correct horse battery staple"
FORM_FILE = Path(__file__).parent / "forms" / "ui_test.yaml"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def controller(qapp, data_dir):
    """The app's controller on an empty data folder; everything locked and closed afterwards."""
    from tipintake.ui import operations
    from tipintake.ui.app import AppController, make_app

    make_app()
    ctl = AppController(qapp, data_dir)
    yield ctl
    operations.wait_all()
    qapp.processEvents()
    if ctl.session is not None:
        ctl.lock()
    if ctl.window is not None:
        ctl.window.close()
        ctl.window.deleteLater()
    ctl.switcher.switch("en")
    set_language("en")
    qapp.processEvents()


@pytest.fixture
def store(data_dir) -> Store:
    """A store with one admin, locked."""
    st = Store(data_dir)
    session, _recovery = st.init("Test shelter", ADMIN, ADMIN_PASS)
    session.lock()
    return st


@pytest.fixture
def test_form():
    """The tests' form, offered by the app beside the shipped ones."""
    from tipintake.forms import load_form_file
    from tipintake.ui import forms_catalog

    spec = load_form_file(FORM_FILE)
    forms_catalog.register(spec)
    yield spec
    forms_catalog.unregister(spec.id)


@pytest.fixture
def main_window(controller, store, test_form, qtbot):
    """Signed in as the admin: the main window."""
    window = controller.open_session(store.unlock(ADMIN, ADMIN_PASS))
    return window


def wait_ops(qtbot) -> None:
    """Wait until every background operation has reported back."""
    from tipintake.ui import operations

    qtbot.waitUntil(lambda: not operations.busy(), timeout=15000)
