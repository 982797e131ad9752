"""Smoke test of the built bundle: does dist/tipintake/ start, show three scripts, and ship clean?

    make smoke                               # after `make bundle`
    .venv/bin/python packaging/smoke.py [--bundle dist/tipintake] [--no-xvfb] [--runs 3] [--json out.json]

Steps, each a pass or a problem:

1. Scan the folder (``scan.py``): no test data, secrets, plaintext store, catalog sources,
   virtualenv paths or test modules.
2. Size: the folder in MB and as a .tar.gz.
3. ``tipintake init`` creates a store in a fresh data folder (TIPINTAKE_USER and a random
   TIPINTAKE_PASSPHRASE), with HOME and the XDG folders pointed into a temporary folder and
   fontconfig shown no system font, so only the bundled fonts can draw Thai, Khmer, Burmese.
4. ``tipintake gui --smoke-test`` offscreen, then under Xvfb (``xvfb-run -a``, the xcb
   platform): unlock window, unlock, the intake form in th, km, my with no missing glyph,
   clean exit with status 0 (``src/tipintake/ui/smoke.py`` does the checking inside).
5. Start-up: time to the unlock window and to exit (``--smoke-test=startup``), median of
   ``--runs``, beside two baselines measured now: ``python -c "import PySide6.QtWidgets"``
   and the unbundled ``tipintake`` from the checkout's virtualenv.
6. Afterwards: the bundle folder is unchanged and the data folder holds no plaintext database.

Exit status 0 when every step passed. This is separate from the test suite (a build takes
minutes); the fast checks of the spec are in tests/packaging/test_spec.py.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan import scan_bundle  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / ("Scripts" if os.name == "nt" else "bin")
RUN_TIMEOUT_S = 300
USER = "smoke-admin"


@dataclass
class Run:
    """One process: exit status, seconds to each ``smoke:`` marker and to exit, its output."""

    status: int
    exit_s: float
    markers: dict[str, float] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    stderr: str = ""


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bundle", type=Path, default=ROOT / "dist" / "tipintake")
    p.add_argument("--no-xvfb", action="store_true", help="skip the run under Xvfb")
    p.add_argument("--runs", type=int, default=3, help="start-up timings to take the median of")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    return p.parse_args()


def executables(bundle: Path) -> tuple[Path, Path]:
    """(the GUI executable, the command-line one): the same file except on Windows."""
    if os.name == "nt":
        return bundle / "tipintake.exe", bundle / "tipintake-cli.exe"
    return bundle / "tipintake", bundle / "tipintake"


def folder_bytes(folder: Path) -> int:
    """Bytes of the files in ``folder`` (links counted once, as links)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def targz_bytes(folder: Path, work: Path) -> tuple[int, float]:
    """(size of ``folder`` as a .tar.gz, seconds it took to make)."""
    started = time.perf_counter()
    out = work / f"{folder.name}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=folder.name)
    size = out.stat().st_size
    out.unlink()
    return size, time.perf_counter() - started


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path in ``folder`` with size and mtime, to see whether a run wrote into it."""
    return {p.relative_to(folder).as_posix(): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in folder.rglob("*")}


def isolated_env(work: Path, passphrase: str) -> dict[str, str]:
    """An environment with a fresh home, no system fonts and the smoke user's credentials."""
    home = work / "home"
    for sub in ("", ".config", ".local/share", ".cache", "no-fonts", "fc-cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    fonts_conf = work / "fonts.conf"
    fonts_conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{home / 'no-fonts'}</dir>\n  <cachedir>{home / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n", encoding="utf-8")
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TEMP", "TMP", "TMPDIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({
        "HOME": str(home), "USERPROFILE": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"), "XDG_RUNTIME_DIR": str(home),
        "FONTCONFIG_FILE": str(fonts_conf),
        "TIPINTAKE_USER": USER, "TIPINTAKE_PASSPHRASE": passphrase,
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Run ``cmd``, timing each ``smoke: <marker>`` line on its stdout and the exit."""
    started = time.perf_counter()
    err_path = cwd / f"stderr-{time.monotonic_ns()}.txt"
    markers: dict[str, float] = {}
    result = None
    with err_path.open("w+", encoding="utf-8", errors="replace") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, cwd=cwd,
                                text=True, encoding="utf-8", errors="replace")
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("smoke: "):
                word = line[len("smoke: "):].split(" ", 1)[0].strip()
                markers[word] = time.perf_counter() - started
                if word == "result":
                    result = json.loads(line.split(" ", 2)[2])
        try:
            status = proc.wait(timeout=RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            status = -9
        exit_s = time.perf_counter() - started
        err.seek(0)
        stderr = err.read()
    err_path.unlink()
    return Run(status, exit_s, markers, result, stderr)


def timed(cmd: list[str], env: dict[str, str], cwd: Path, runs: int) -> list[Run]:
    """``runs`` runs of ``cmd`` (start-up figures are noisy on a shared machine)."""
    return [run(cmd, env, cwd) for _ in range(runs)]


def median(values: list[float]) -> float:
    """Median, rounded for a report."""
    return round(statistics.median(values), 2) if values else float("nan")


def check_gui_run(name: str, result: Run, problems: list[str]) -> dict[str, Any]:
    """Problems of one full smoke run, and its figures."""
    if result.status != 0:
        problems.append(f"{name}: exit status {result.status}")
    if result.result is None:
        problems.append(f"{name}: no result line (crashed?)")
    else:
        problems.extend(f"{name}: {p}" for p in result.result.get("problems", []))
    for needle in ("Traceback", "Could not load the Qt platform plugin", "Segmentation"):
        if needle in result.stderr:
            problems.append(f"{name}: {needle!r} on stderr")
    languages = (result.result or {}).get("languages", {})
    return {
        "status": result.status,
        "unlock_window_s": round(result.markers.get("unlock-window", float("nan")), 2),
        "exit_s": round(result.exit_s, 2),
        "unlock_s": (result.result or {}).get("unlock_s"),
        "languages": {lang: {k: v[k] for k in ("texts", "in_script", "missing_glyphs")}
                      for lang, v in languages.items()},
    }


def main() -> int:
    args = parse_args()
    bundle = args.bundle.resolve()
    gui_exe, cli_exe = executables(bundle)
    if not gui_exe.exists():
        print(f"smoke: no bundle at {bundle}: run `make bundle` first", file=sys.stderr)
        return 2
    problems: list[str] = []
    figures: dict[str, Any] = {"bundle": str(bundle)}

    print(f"smoke: scanning {bundle}")
    problems += scan_bundle(bundle, tests_dir=ROOT / "tests", executable=gui_exe,
                            build_paths=[str(ROOT), str(ROOT / ".venv"), str(Path.home())])
    before = listing(bundle)

    with tempfile.TemporaryDirectory(prefix="tipintake-smoke-") as tmp:
        work = Path(tmp)
        size = folder_bytes(bundle)
        packed, pack_s = targz_bytes(bundle, work)
        figures["size_mb"] = round(size / 1e6, 1)
        figures["targz_mb"] = round(packed / 1e6, 1)
        print(f"smoke: size {figures['size_mb']} MB, {figures['targz_mb']} MB as .tar.gz "
              f"({pack_s:.0f} s to pack)")

        env = isolated_env(work, secrets.token_urlsafe(18))
        data = work / "data"
        init = run([str(cli_exe), "init", "--data-dir", str(data), "--organisation",
                    "Smoke test shelter"], env, work)
        figures["init_s"] = round(init.exit_s, 2)
        if init.status != 0 or not (data / "tipintake.db").exists():
            problems.append(f"init: exit status {init.status}: {init.stderr.strip()[-300:]}")
            return report(figures, problems, args.json)
        print(f"smoke: store created in {init.exit_s:.1f} s")

        gui = [str(gui_exe), "gui", "--data-dir", str(data), "--smoke-test"]
        offscreen = dict(env, QT_QPA_PLATFORM="offscreen")
        figures["offscreen"] = check_gui_run("offscreen", run(gui, offscreen, work), problems)
        print(f"smoke: offscreen run: {json.dumps(figures['offscreen'], ensure_ascii=False)}")

        if not args.no_xvfb:
            if shutil.which("xvfb-run") is None:
                problems.append("xvfb: xvfb-run is not installed (scripts/test-prereqs.sh installs it)")
            else:
                xcb = dict(env, QT_QPA_PLATFORM="xcb")
                cmd = ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", *gui]
                figures["xvfb"] = check_gui_run("xvfb", run(cmd, xcb, work), problems)
                print(f"smoke: Xvfb run: {json.dumps(figures['xvfb'], ensure_ascii=False)}")

        startup = timed([*gui[:-1], "--smoke-test=startup"], offscreen, work, args.runs)
        bad = [r for r in startup if r.status != 0 or "unlock-window" not in r.markers]
        if bad:
            problems.append(f"start-up runs failed: {[r.status for r in bad]}")
        figures["startup"] = {
            "unlock_window_s": median([r.markers.get("unlock-window", 0.0) for r in startup]),
            "exit_s": median([r.exit_s for r in startup]),
        }
        figures["baseline"] = baselines(offscreen, data, work, args.runs)
        print(f"smoke: start-up (median of {args.runs}): {figures['startup']}; "
              f"baselines: {figures['baseline']}")

        for path in data.rglob("*"):
            if path.is_file() and path.read_bytes()[:16] == b"SQLite format 3\x00":
                problems.append(f"data folder: {path.name} is a plaintext SQLite file")
    changed = sorted(set(before.items()) ^ set(listing(bundle).items()))
    if changed:
        problems.append(f"the runs wrote into the bundle: {[c[0] for c in changed][:5]}")
    return report(figures, problems, args.json)


def baselines(env: dict[str, str], data: Path, work: Path, runs: int) -> dict[str, float]:
    """What the same machine takes, now, without the bundle."""
    out: dict[str, float] = {}
    python = VENV_BIN / ("python.exe" if os.name == "nt" else "python")
    python = python if python.exists() else Path(sys.executable)
    qt = timed([str(python), "-c", "import PySide6.QtWidgets"], env, work, runs)
    if all(r.status == 0 for r in qt):
        out["import_qtwidgets_s"] = median([r.exit_s for r in qt])
    unbundled = VENV_BIN / ("tipintake.exe" if os.name == "nt" else "tipintake")
    if unbundled.exists():
        rs = timed([str(unbundled), "gui", "--data-dir", str(data), "--smoke-test=startup"],
                   env, work, runs)
        if all(r.status == 0 for r in rs):
            out["unbundled_unlock_window_s"] = median([r.markers.get("unlock-window", 0.0) for r in rs])
            out["unbundled_exit_s"] = median([r.exit_s for r in rs])
    return out


def report(figures: dict[str, Any], problems: list[str], json_path: Path | None) -> int:
    """Print the verdict; write the figures as JSON when asked."""
    figures["problems"] = problems
    if json_path is not None:
        json_path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for problem in problems:
        print(f"smoke: PROBLEM {problem}")
    print("smoke: " + ("FAILED" if problems else "passed") + f" ({len(problems)} problems)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
