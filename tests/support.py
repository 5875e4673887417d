"""Helpers shared by tests that need a service outside the process."""

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_service(available: bool, reason: str) -> None:
    """Skip outside CI when a service is missing; fail under CI=true."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure)")
    pytest.skip(reason)


def committed():
    """Run what waits for the commit (the queued tasks, in-process) when the
    block ends, as a real commit would: each test runs in a transaction that
    is rolled back, so its on_commit callbacks never run by themselves."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
