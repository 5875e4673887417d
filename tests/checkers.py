"""The checking tools the project takes from npm (package.json): axe-core for
accessibility, the Nu HTML checker (vnu-jar, run with Java) for valid HTML.

`make install` fetches them with `npm ci`; when they are missing and npm is
there, the first test that needs them runs it. Outside CI a missing tool skips
its tests with the reason; under CI=true it fails them.
"""

import functools
import json
import shutil
import subprocess
from pathlib import Path

from tests.support import require_service

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A document with one known error, checked with the others: a checker that
# read nothing would report nothing, and the pages would seem valid.
CANARY = '<!doctype html><html lang="fr"><title>t</title><p><span aria-label="x">1'


@functools.cache
def _npm_ci() -> str:
    """Install package.json's tools once; what went wrong, or ""."""
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed"
    # --ignore-scripts: vnu-jar's install script would download a Java
    # runtime; the machine's Java runs the jar.
    result = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        return f"npm ci failed: {result.stderr[-500:]}"
    return ""


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        problem = _npm_ci()
        require_service(path.exists(), f"{what} is missing ({problem or path})")
    return path


def axe_script() -> Path:
    return _require(AXE, "axe-core (npm ci)")


def nu_errors(documents: dict[str, str], tmp_path: Path) -> list[str]:
    """The Nu HTML checker's errors on each named document, as
    "name: line N: message"."""
    jar = _require(VNU, "The Nu HTML checker (npm ci)")
    java = shutil.which("java")
    require_service(java is not None, "Java is not installed: it runs the Nu checker")
    files = {}
    for name, html in {**documents, "canary": CANARY}.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files[f"file:{path}"] = name
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always"]
        + [url.removeprefix("file:") for url in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{files.get(message.get('url'), message.get('url'))}: "
        f"line {message.get('lastLine')}: {message['message']}"
        for message in messages
        if message["type"] == "error"
    ]
    canary = [error for error in errors if error.startswith("canary: ")]
    assert canary, f"the Nu checker read nothing: {result.stderr[-500:]}"
    return [error for error in errors if error not in canary]
