"""Helpers for the resource-list tests (the staff and ``listings`` fixtures they
share with the console tests are in tests/conftest.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def zbar_decode(png: Path) -> list[str]:
    """Decode every QR code in a PNG with zbarimg (Debian zbar-tools)."""
    exe = shutil.which("zbarimg")
    if exe is None:
        pytest.skip("zbarimg (Debian package zbar-tools) is not installed")
    result = subprocess.run(
        [exe, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        check=False,
    )
    return [line for line in result.stdout.splitlines() if line]
