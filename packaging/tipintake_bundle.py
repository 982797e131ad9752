"""What goes into the desktop bundle: the data files, the modules, and what stays out.

``tipintake.spec`` (PyInstaller) imports this module, and so does the fast test
``tests/packaging/test_spec.py``, which checks the lists without building. Nothing
here imports PyInstaller at module level, so the test runs without it.

The contract with the app (``src/tipintake/paths.py``): the top-level ``forms/``,
``locales/`` and ``migrations/`` folders sit at the bundle's root (``sys._MEIPASS``);
files shipped inside the Python package (fonts, the HTCDS field list) keep their place
under ``tipintake/``. Only compiled catalogs (``.mo``) are shipped, never ``.po``
sources; the hub (a partner's server) and the development tools stay out.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "tipintake"
APP_NAME = "tipintake"
LANGUAGES = ("en", "th", "km", "my", "id", "ms")  # as tipintake.i18n.LANGUAGES

# The partner hub is a server a partner installs with pip, not part of the laptop app;
# the development and test tools never ship. (Imports of these are left unresolved.)
EXCLUDED_MODULES = (
    "tipintake.hub",
    "starlette", "uvicorn", "psycopg", "psycopg_binary", "psycopg_c", "psycopg_pool",
    "pytest", "_pytest", "pytestqt", "xdist", "hypothesis", "schemathesis", "ruff",
    "IPython", "tkinter", "_tkinter", "numpy", "pandas", "matplotlib", "PIL",
    "setuptools", "pkg_resources", "pip", "PyInstaller",
    # httpx's command-line client only (httpx falls back without it)
    "rich", "pygments", "markdown_it", "mdurl", "click",
)

# Qt plugins the app loads, by plugin folder and base name (no "lib" prefix, no suffix).
# The Windows and macOS names are here so the same spec works on those systems.
QT_PLUGINS: dict[str, tuple[str, ...]] = {
    "platforms": ("qoffscreen", "qxcb", "qminimal", "qwindows", "qcocoa", "qdirect2d"),
    # PNG is built into QtGui; ICO lets Windows show the app icon in dialogs.
    "imageformats": ("qico",),
    # ibus and compose: how Linux users type Thai, Khmer and Burmese.
    "platforminputcontexts": ("ibusplatforminputcontextplugin", "composeplatforminputcontextplugin"),
    "xcbglintegrations": ("qxcb-glx-integration", "qxcb-egl-integration"),
    "styles": ("qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"),
}


def plugin_stem(file_name: str) -> str:
    """``libqxcb.so`` → ``qxcb``; ``qwindows.dll`` → ``qwindows``."""
    stem = file_name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


class BundleError(RuntimeError):
    """The checkout is not ready to be bundled (e.g. catalogs not compiled)."""


# -- the app's own files ------------------------------------------------------------

def compiled_catalogs(root: Path = ROOT) -> list[Path]:
    """The compiled catalogs ``locales/<lang>/LC_MESSAGES/tipintake.mo``, one per language."""
    found = [root / "locales" / lang / "LC_MESSAGES" / "tipintake.mo" for lang in LANGUAGES]
    return [path for path in found if path.is_file()]


def app_data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, folder in the bundle) for forms, catalogs, migrations, fonts and package data."""
    src = root / "src" / "tipintake"
    catalogs = compiled_catalogs(root)
    missing = sorted(set(LANGUAGES) - {p.parents[1].name for p in catalogs})
    if missing:
        raise BundleError(
            f"compiled catalogs are missing for {', '.join(missing)}: run `make catalogs-compile` first"
        )
    pairs: list[tuple[str, str]] = []

    def add(files: Iterable[Path], base: Path, dest: str) -> None:
        for path in sorted(files):
            rel_dir = path.parent.relative_to(base).as_posix()
            pairs.append((str(path), dest if rel_dir == "." else f"{dest}/{rel_dir}"))

    forms = root / "forms"
    add([p for p in forms.iterdir() if p.suffix in (".yaml", ".yml", ".xlsx")], forms, "forms")
    add(catalogs, root / "locales", "locales")
    migrations = root / "migrations"
    add([migrations / "env.py", migrations / "script.py.mako"], migrations, "migrations")
    add((migrations / "versions").glob("*.py"), migrations, "migrations")
    # Files inside the package that code opens by path: fonts, licence, field lists.
    package_files = [
        p for p in src.rglob("*")
        if p.is_file() and p.suffix in (".ttf", ".txt", ".yaml", ".json")
        and "__pycache__" not in p.parts and not _is_excluded_module_path(p, src)
    ]
    add(package_files, src, "tipintake")
    return pairs


def _is_excluded_module_path(path: Path, src: Path) -> bool:
    dotted = ".".join(("tipintake", *path.relative_to(src).with_suffix("").parts))
    return any(dotted == ex or dotted.startswith(ex + ".") for ex in EXCLUDED_MODULES)


def app_modules(root: Path = ROOT) -> list[str]:
    """Every tipintake module but the hub: pages and commands are imported by name at run time."""
    src = root / "src" / "tipintake"
    names = []
    for path in sorted(src.rglob("*.py")):
        if "__pycache__" in path.parts or _is_excluded_module_path(path, src):
            continue
        parts = ("tipintake", *path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def imports_of(paths: Iterable[Path]) -> set[str]:
    """Modules imported by these Python files (absolute imports only)."""
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
    names.discard("__future__")
    return names


def migration_imports(root: Path = ROOT) -> set[str]:
    """What alembic's env.py and the revisions import: they are data to PyInstaller, code at run time."""
    migrations = root / "migrations"
    return imports_of([migrations / "env.py", *(migrations / "versions").glob("*.py")])


# -- Qt -----------------------------------------------------------------------------

def qt_modules_used(root: Path = ROOT) -> set[str]:
    """The PySide6 modules that ``src/tipintake/ui`` imports (e.g. QtCharts once the dashboard does)."""
    used = imports_of((root / "src" / "tipintake" / "ui").rglob("*.py"))
    return {name for name in used if name.startswith("PySide6.Qt")}


def qt_modules_available() -> set[str]:
    """Every PySide6 binding installed here (Essentials and Addons), found without importing Qt."""
    import importlib.util

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return set()
    folder = Path(next(iter(spec.submodule_search_locations)))
    names = {p.name.split(".")[0] for p in folder.glob("Qt*") if p.suffix in (".so", ".pyd")}
    names |= {p.name for p in folder.glob("Qt*") if p.is_dir()}  # QtAsyncio and the like
    return {f"PySide6.{name}" for name in names}


def qt_closure(used: Iterable[str], python: str = sys.executable) -> set[str]:
    """``used`` plus the PySide6 modules they load themselves (asked of a child Python)."""
    used = sorted(used)
    code = (
        "import importlib, json, sys\n"
        f"for name in {used!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('PySide6.Qt'))))\n"
    )
    try:
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True,
                             timeout=120).stdout
        return set(used) | set(json.loads(out.strip().splitlines()[-1]))
    except (subprocess.SubprocessError, ValueError, IndexError):
        # Without a working Qt here the build fails later anyway; the base trio is always needed.
        return set(used) | {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"}


def qt_excludes(needed: set[str], available: set[str]) -> list[str]:
    """Every installed PySide6 module the app does not need (WebEngine, QML, Multimedia, 3D…)."""
    return sorted(available - needed)


def keep_qt_file(dest: str) -> bool:
    """Whether a collected file under PySide6's Qt folder belongs in the bundle.

    Plugins are kept by the allow-list above; Qt's own translations are dropped (there
    are none for th, km, my, id, ms: the app translates Qt's texts from its catalogs).
    """
    parts = Path(dest).as_posix().split("/")
    if "PySide6" not in parts:
        return True
    rest = parts[parts.index("PySide6") + 1:]
    if rest[:2] == ["Qt", "translations"] or rest[:1] == ["translations"]:
        return False
    for marker in (["Qt", "plugins"], ["plugins"]):
        if rest[:len(marker)] == marker and len(rest) > len(marker) + 1:
            folder, name = rest[len(marker)], rest[-1]
            return plugin_stem(name) in QT_PLUGINS.get(folder, ())
    return True


# -- third-party data ---------------------------------------------------------------

def keep_babel_file(dest: str) -> bool:
    """Babel's locale data only for the app's languages (and CLDR's root): ~1000 files → ~120."""
    parts = Path(dest).as_posix().split("/")
    if parts[:2] != ["babel", "locale-data"] or len(parts) != 3:
        return True
    language = parts[2].split(".")[0].split("_")[0]
    return language in ("root", *LANGUAGES)


def keep_third_party_file(dest: str) -> bool:
    """Drops the ODK Validate Java archive pyxform carries (tipintake never runs Java)."""
    return not dest.endswith(".jar")


def keep(dest: str) -> bool:
    """One filter for every collected file (binaries and data)."""
    return keep_qt_file(dest) and keep_babel_file(dest) and keep_third_party_file(dest)


# -- pruning ------------------------------------------------------------------------

Entry = tuple[str, str, str]  # PyInstaller's (destination, source, type code)


def prune_binaries(binaries: list[Entry], imports: Callable[[Entry], Iterable[str]],
                   keep_fn: Callable[[str], bool] = keep) -> list[Entry]:
    """The binaries to ship: those ``keep_fn`` keeps, less the libraries only dropped ones used.

    PyInstaller collects every Qt plugin's libraries (the GTK theme brings GTK, cairo and
    pango; the virtual keyboard brings QML and Quick; Wayland its client library) before
    the spec can drop the plugins. A library reached from a dropped file and from no kept
    one goes too. ``imports(entry)`` names the libraries a binary links to.
    """
    kept = [e for e in binaries if keep_fn(e[0])]
    dropped = [e for e in binaries if not keep_fn(e[0])]
    by_name: dict[str, set[str]] = {}
    for dest, source, _code in kept:
        for name in {Path(dest).name, Path(source).name}:
            by_name.setdefault(name, set()).add(dest)
    entries = {e[0]: e for e in kept}

    def reach(start: Iterable[Entry], stop: set[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(start)
        while todo:
            for name in imports(todo.pop()):
                for dest in by_name.get(Path(name).name, ()):
                    if dest not in seen and dest not in stop:
                        seen.add(dest)
                        todo.append(entries[dest])
        return seen

    candidates = reach(dropped, set())
    needed = reach([e for e in kept if e[0] not in candidates], set())
    orphans = candidates - needed
    return [e for e in kept if e[0] not in orphans]


def prune_datas(datas: list[Entry], binaries: list[Entry]) -> list[Entry]:
    """Data files ``keep`` keeps, less symbolic links whose target no longer ships."""
    shipped = {Path(dest).as_posix() for dest, _source, _code in binaries}
    out = []
    for entry in datas:
        dest, target, code = entry
        if code == "SYMLINK":
            # A link's target is given relative to the link's folder.
            resolved = (Path(dest).parent / target).as_posix()
            if Path(resolved).as_posix() not in shipped and Path(target).as_posix() not in shipped:
                continue
        elif not keep(dest):
            continue
        out.append(entry)
    return out
