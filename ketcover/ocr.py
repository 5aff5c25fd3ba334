"""Optical character recognition of image-only pages with the tesseract command, if installed."""

from __future__ import annotations

import os
import shutil
import subprocess

from ketcover.shutdown import die_with_parent


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_png(png: bytes, *, timeout: float = 120.0) -> str:
    """Text of one page image (PNG bytes); empty when tesseract finds nothing, fails or times out."""
    env = dict(os.environ)
    # tesseract 5.3's OpenMP threads fight over 2 cores: one thread measured ~6x faster here.
    env["OMP_THREAD_LIMIT"] = "1"
    try:
        result = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "3"],
            input=png,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
            # The reader worker is killed when a page times out; tesseract must not outlive it.
            preexec_fn=die_with_parent,
        )
    except (subprocess.TimeoutExpired, OSError):  # tesseract gone, unrunnable or stuck
        return ""
    if result.returncode != 0:
        return ""
    return result.stdout.decode("utf-8", "replace")
