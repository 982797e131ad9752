"""The bundle specification collects what the app opens at run time, without building it.

``packaging/tipintake.spec`` takes its lists from ``packaging/tipintake_bundle.py``;
these tests import that helper by path (``packaging`` is also a PyPI package's name)
and check the lists, the Qt filters, the pruning and the bundle scanner. The real
build and its smoke test are ``make bundle`` and ``make smoke``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_tipintake_packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tb = _load("tipintake_bundle")
scan = _load("scan")


def _dests(pairs: list[tuple[str, str]]) -> set[str]:
    return {f"{dest}/{Path(src).name}" for src, dest in pairs}


@pytest.fixture(scope="module")
def collected() -> set[str]:
    if len(tb.compiled_catalogs(ROOT)) < len(tb.LANGUAGES):
        pytest.skip("catalogs not compiled (make catalogs-compile)")
    return _dests(tb.app_data_files(ROOT))


def test_bundle_languages_are_the_apps_languages():
    from tipintake.i18n import LANGUAGES

    assert tb.LANGUAGES == LANGUAGES


def test_spec_collects_the_forms(collected):
    shipped = {p.name for p in (ROOT / "forms").glob("*.yaml")}
    assert shipped >= {"tip_intake.yaml", "follow_up.yaml"}
    assert {f"forms/{name}" for name in shipped} <= collected


def test_spec_collects_a_compiled_catalog_per_language_and_no_source(collected):
    for lang in tb.LANGUAGES:
        assert f"locales/{lang}/LC_MESSAGES/tipintake.mo" in collected
    assert not [d for d in collected if d.endswith((".po", ".pot", ".csv"))]


def test_spec_collects_the_migrations_where_alembic_looks(collected):
    assert "migrations/env.py" in collected
    revisions = {p.name for p in (ROOT / "migrations" / "versions").glob("*.py")}
    assert revisions and {f"migrations/versions/{name}" for name in revisions} <= collected


def test_spec_collects_the_fonts_and_their_licence_inside_the_package(collected):
    fonts = {d for d in collected if d.startswith("tipintake/i18n/fonts/")}
    for family in ("NotoSans", "NotoSansThai", "NotoSansKhmer", "NotoSansMyanmar"):
        assert f"tipintake/i18n/fonts/{family}-Regular.ttf" in fonts
        assert f"tipintake/i18n/fonts/{family}-Bold.ttf" in fonts
    assert "tipintake/i18n/fonts/OFL.txt" in fonts
    assert "tipintake/forms/data/htcds_fields.txt" in collected


def test_spec_ships_no_test_data_and_no_hub(collected):
    assert not [d for d in collected if d.startswith("tests/") or "/tests/" in d]
    assert not [d for d in collected if d.startswith("tipintake/hub/")]


def test_missing_catalogs_stop_the_build(tmp_path):
    for folder in ("forms", "locales/th/LC_MESSAGES", "migrations/versions", "src/tipintake"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "locales/th/LC_MESSAGES/tipintake.po").write_text("", encoding="utf-8")
    with pytest.raises(tb.BundleError, match="catalogs-compile"):
        tb.app_data_files(tmp_path)


def test_modules_imported_by_name_are_bundled_and_the_hub_is_not():
    from tipintake.cli import _COMMAND_MODULES
    from tipintake.ui.pages import PAGES

    modules = set(tb.app_modules(ROOT))
    assert {page.module for page in PAGES} <= modules
    assert set(_COMMAND_MODULES) <= modules
    assert {"tipintake.ui.smoke", "tipintake.store.session", "tipintake.cli"} <= modules
    assert not [m for m in modules if m.startswith("tipintake.hub")]


def test_what_the_migrations_import_is_bundled():
    assert {"alembic", "sqlalchemy", "tipintake.store.models"} <= tb.migration_imports(ROOT)


def test_qt_modules_follow_what_the_ui_imports():
    used = tb.qt_modules_used(ROOT)
    assert {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"} <= used
    charts = any("PySide6.QtCharts" in p.read_text("utf-8")
                 for p in (ROOT / "src" / "tipintake" / "ui").rglob("*.py"))
    assert ("PySide6.QtCharts" in used) == charts
    available = used | {"PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtMultimedia",
                        "PySide6.Qt3DCore", "PySide6.QtNetwork"}
    excluded = tb.qt_excludes(used, available)
    assert not set(excluded) & used
    assert {"PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtMultimedia",
            "PySide6.Qt3DCore", "PySide6.QtNetwork"} <= set(excluded)


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqminimal.so", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platforms/libqminimalegl.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ("babel/locale-data/th.dat", True),
    ("babel/locale-data/km_KH.dat", True),
    ("babel/locale-data/root.dat", True),
    ("babel/locale-data/de.dat", False),
    ("babel/global.dat", True),
    ("pyxform/validators/odk_validate/bin/ODK_Validate.jar", False),
])
def test_collected_files_are_filtered(dest, kept):
    assert tb.keep(dest) is kept


def test_libraries_only_dropped_plugins_use_are_pruned():
    binaries = [
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x/libqgtk3.so", "BINARY"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
        ("libglib-2.0.so.0", "/usr/lib/libglib-2.0.so.0", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
        ("PySide6/QtCore.abi3.so", "/x/QtCore.abi3.so", "EXTENSION"),
    ]
    links = {
        "libqgtk3.so": ["libgtk-3.so.0", "libglib-2.0.so.0", "libQt6Core.so.6"],
        "libgtk-3.so.0": ["libglib-2.0.so.0"],
        "QtCore.abi3.so": ["libQt6Core.so.6"],
        "libQt6Core.so.6": ["libglib-2.0.so.0"],
    }
    kept = tb.prune_binaries(binaries, lambda e: links.get(Path(e[1]).name, []))
    names = {Path(dest).name for dest, _src, _code in kept}
    assert names == {"libglib-2.0.so.0", "libQt6Core.so.6", "QtCore.abi3.so"}
    datas = [("libgtk-3.so.0", "libgtk-3.so.0", "SYMLINK"),
             ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
             ("babel/locale-data/de.dat", "/x/de.dat", "DATA")]
    assert [d[0] for d in tb.prune_datas(datas, kept)] == ["libQt6Core.so.6"]


def test_the_spec_file_uses_the_helper():
    source = (PACKAGING / "tipintake.spec").read_text("utf-8")
    compile(source, "tipintake.spec", "exec")
    for call in ("tb.app_data_files()", "tb.app_modules()", "tb.migration_imports()",
                 "tb.prune_binaries(", "tb.prune_datas(", "tb.qt_excludes("):
        assert call in source


# -- the scanner the smoke test runs on the built folder ------------------------------

def _clean_bundle(folder: Path) -> Path:
    (folder / "_internal" / "certifi").mkdir(parents=True)
    (folder / "_internal" / "certifi" / "cacert.pem").write_text(
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", encoding="utf-8")
    (folder / "_internal" / "locales" / "th" / "LC_MESSAGES").mkdir(parents=True)
    (folder / "_internal" / "locales" / "th" / "LC_MESSAGES" / "tipintake.mo").write_bytes(b"\xde\x12\x04\x95")
    # A library that names the PEM header as a constant is not a key.
    (folder / "_internal" / "libcrypto.so").write_bytes(b"\0-----BEGIN PRIVATE KEY-----\0AGE-SECRET-KEY-\0")
    return folder


def test_scanner_passes_a_clean_bundle(tmp_path):
    assert scan.scan_bundle(_clean_bundle(tmp_path), tests_dir=ROOT / "tests") == []


@pytest.mark.parametrize(("rel", "content", "finding"), [
    ("_internal/tests/test_x.py", b"def test(): pass\n", "tests"),
    ("_internal/data/tipintake.db", b"\0" * 100, ".db"),
    ("_internal/keyslots.json", b"{}", "keyslots.json"),
    ("_internal/locales/th/LC_MESSAGES/tipintake.po", b'msgid ""\n', ".po"),
    ("_internal/dev/server.pem", b"-----BEGIN CERTIFICATE-----\n", ".pem"),
    ("_internal/blob.bin", b"-----BEGIN EC PRIVATE KEY-----\n" + b"A" * 64, "private key"),
    ("_internal/identity.txt", b"AGE-SECRET-KEY-1" + b"Q" * 58, "age secret key"),
    ("_internal/cache.bin", b"SQLite format 3\x00" + b"\0" * 100, "plaintext SQLite"),
    ("_internal/.venv/pyvenv.cfg", b"home = /usr\n", ".venv"),
    ("_internal/forms/x.yaml", b"source: /checkout/of/dev/forms\n", "build-machine path"),
])
def test_scanner_finds_what_must_not_ship(tmp_path, rel, content, finding):
    bundle = _clean_bundle(tmp_path / "bundle")
    path = bundle / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    problems = scan.scan_bundle(bundle, build_paths=["/checkout/of/dev"])
    assert any(finding in p for p in problems), problems


def test_scanner_finds_a_copy_of_the_test_data(tmp_path):
    sample = next(p for p in sorted((ROOT / "tests").rglob("*.xlsx")))
    bundle = _clean_bundle(tmp_path / "bundle")
    (bundle / "_internal" / "renamed.bin").write_bytes(sample.read_bytes())
    problems = scan.scan_bundle(bundle, tests_dir=ROOT / "tests")
    assert any("a copy of tests/" in p for p in problems), problems


def test_scanner_rejects_test_modules_in_the_archive():
    found = scan.scan_modules(["tipintake.cli", "tests.store.conftest", "tipintake.hub.app", "pytest"])
    assert len(found) == 3
