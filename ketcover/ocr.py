"""Optical character recognition of image-only pages with the tesseract command, if installed."""

from __future__ import annotations

import os
import shutil
import subprocess


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_png(png: bytes, *, timeout: float = 120.0) -> str:
    """Text of one page image (PNG bytes); empty when tesseract finds nothing."""
    env = dict(os.environ)
    # tesseract 5.3's OpenMP threads fight over 2 cores: one thread measured ~6x faster here.
    env["OMP_THREAD_LIMIT"] = "1"
    result = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "3"],
        input=png,
        capture_output=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        return ""
    return result.stdout.decode("utf-8", "replace")
