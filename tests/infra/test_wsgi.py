"""What the WSGI module leaves behind once it has loaded the site."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_loading_the_site_freezes_what_it_made_out_of_the_collectors_reach():
    """Every object made while the site loads lives as long as the process:
    frozen, a full collection no longer reads them all again."""
    script = (
        "import gc; import forum.wsgi; "
        "print(gc.get_freeze_count(), len(gc.get_objects()))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": "wsgi-test-secret-key-0123456789abcdefghijklmnopqrstuv",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    frozen, tracked = map(int, done.stdout.split())
    # Django and the site's modules: tens of thousands of objects, and
    # nearly none left for the collector.
    assert frozen > 20_000
    assert tracked < frozen // 20
