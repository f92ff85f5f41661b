#!/usr/bin/env python3
"""The project's two entry points for people: `python3 dev.py serve` and `python3 dev.py test`.

Standard library only, because it runs before anything is installed: it creates `.venv`, installs the
locked dependencies (requirements.lock) and the project itself, then serves or tests. Re-running is
cheap: the install is skipped while the lock file and pyproject.toml are unchanged.

    python3 dev.py serve        # build demo data if there is no database, then streamlit run
    python3 dev.py test         # lint, types, unit + AppTest + browser tests
    python3 dev.py lock         # re-resolve requirements.lock from pyproject.toml (maintainers)
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".installed"
# What the features need at run time (chart images and the PDF report: chromium, CJK fonts, Pango for
# WeasyPrint), and what only the tests need (LibreOffice renders the exported .pptx, poppler reads PDFs).
RUNTIME_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "fonts-noto-cjk": "/usr/share/fonts/opentype/noto",
    "libpango-1.0-0": "/usr/lib/x86_64-linux-gnu/libpango-1.0.so.0",
    "libpangoft2-1.0-0": "/usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0",
}
TEST_PACKAGES = {
    "libreoffice-impress-nogui": "/usr/bin/soffice",
    "libreoffice-calc-nogui": "/usr/lib/libreoffice/program/libsclo.so",  # member sheets as LibreOffice saves them
    "poppler-utils": "/usr/bin/pdftoppm",
    "postgresql": "/usr/lib/postgresql",  # the store tests run on a throwaway cluster too (tests/pgcluster.py)
    "nginx-light": "/usr/sbin/nginx",  # two instances behind deploy/nginx.conf (tests/e2e/test_scale_out.py)
}


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def run(cmd: list[str], **kw) -> None:  # type: ignore[no-untyped-def]
    subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def fingerprint() -> str:
    h = hashlib.sha256()
    for p in (LOCK, ROOT / "pyproject.toml"):
        h.update(p.read_bytes())
    return h.hexdigest()


def ensure_venv() -> None:
    """Create .venv and install the locked dependencies when the lock or pyproject changed."""
    if not PY.exists():
        say("creating .venv")
        run([sys.executable, "-m", "venv", str(VENV)])
    want = fingerprint()
    if STAMP.exists() and STAMP.read_text() == want:
        return
    say("installing locked dependencies (requirements.lock)")
    pip = [str(PY), "-m", "pip", "--disable-pip-version-check", "-q"]
    env = {**os.environ, "PIP_CONSTRAINT": ""}  # the lock is the only constraint we follow
    run([*pip, "install", "-r", str(LOCK)], env=env)
    run([*pip, "install", "--no-deps", "-e", str(ROOT)], env=env)
    STAMP.write_text(want)


def _installed(pkg: str, path: str) -> bool:
    if Path(path).exists():
        return True
    if "/lib/" in path and shutil.which("dpkg-query"):  # a library's path differs by architecture
        got = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        return "install ok installed" in got.stdout
    return False


def ensure_packages(packages: dict[str, str], what: str) -> None:
    """Install the Debian packages that are missing when we are root (apt-get); else say what is missing."""
    missing = [pkg for pkg, path in packages.items() if not _installed(pkg, path)]
    if not missing:
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        say(f"installing Debian packages: {' '.join(missing)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update", "-qq"], env=env)
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)
    else:
        say(f"{what} need: apt-get install {' '.join(missing)}")


def db_target(args: list[str]) -> str:
    """The store `serve` will use: `-- --db X` after the streamlit options, else CPPCC_DB, else data/."""
    app_args = args[args.index("--") + 1 :] if "--" in args else []
    for n, a in enumerate(app_args):
        if a == "--db" and n + 1 < len(app_args):
            return app_args[n + 1]
        if a.startswith("--db="):
            return a.split("=", 1)[1]
    return os.environ.get("CPPCC_DB", str(ROOT / "data" / "cppcc.duckdb"))


def is_url(target: str) -> bool:
    """postgresql://… (any scheme://): a URL, never a path."""
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", target) is not None


def serve(args: list[str]) -> int:
    ensure_venv()
    ensure_packages(RUNTIME_PACKAGES, "chart images and the PDF report")
    db = db_target(args)
    if not is_url(db) and not Path(db).exists():  # a PostgreSQL store is made with `cppcc --db URL init`
        say(f"no database at {db}: building the demo data there")
        run([str(BIN / "cppcc"), "--db", db, "demo"])
    cmd = [str(BIN / "streamlit"), "run", "app.py", *args]  # dashboard.py with the sign-in routes
    say(" ".join(cmd[1:]))
    os.chdir(ROOT)
    os.execv(cmd[0], cmd)
    return 0


def workers(args: list[str]) -> list[str]:
    """pytest-xdist on every core (the browser tests start a server per worker), unless -n is given."""
    if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args):
        return []
    return ["-n", str(max(1, min(os.cpu_count() or 1, 4)))]


def test(args: list[str]) -> int:
    ensure_venv()
    ensure_packages({**RUNTIME_PACKAGES, **TEST_PACKAGES}, "the browser and export tests")
    steps = [
        ("ruff check", [str(BIN / "ruff"), "check", "."]),
        ("ruff format", [str(BIN / "ruff"), "format", "--check", "."]),
        ("mypy", [str(BIN / "mypy")]),
        ("import layers", [str(BIN / "lint-imports"), "--no-cache"]),
        ("pytest", [str(PY), "-m", "pytest", *workers(args), *args]),
    ]
    for name, cmd in steps:
        say(name)
        if subprocess.run(cmd, cwd=ROOT).returncode != 0:
            say(f"FAILED: {name}")
            return 1
    return 0


def lock(_: list[str]) -> int:
    """Resolve pyproject's dependencies (with dev extras) in a scratch venv and pin them."""
    scratch = ROOT / ".venv-lock"
    shutil.rmtree(scratch, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(scratch)])
    spy = scratch / "bin" / "python"
    env = {**os.environ, "PIP_CONSTRAINT": ""}
    run([str(spy), "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]"], env=env)
    frozen = subprocess.run(
        [str(spy), "-m", "pip", "freeze", "--exclude-editable"], check=True, capture_output=True, text=True
    ).stdout
    LOCK.write_text(
        "# Generated by `python3 dev.py lock` from pyproject.toml; do not edit by hand.\n" + frozen
    )
    shutil.rmtree(scratch)
    say(f"wrote {LOCK.name}")
    return 0


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before the venv exists
        sys.exit("需要 Python 3.11 或更新版本 (Python >= 3.11 is required)")
    commands = {"serve": serve, "test": test, "lock": lock}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
