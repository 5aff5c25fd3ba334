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


def ocr_words(png: bytes, *, timeout: float = 60.0) -> list[tuple[str, float]]:
    """The words tesseract reads in one image, each with the height of its middle (pixels), in
    reading order; empty when tesseract finds nothing, fails or times out. The image is read as
    one block of text (a strip of cropped words, not a page with columns)."""
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    try:
        result = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "6", "tsv"],
            input=png, capture_output=True, timeout=timeout, env=env, check=False,
            preexec_fn=die_with_parent,
        )
    except (subprocess.TimeoutExpired, OSError):
        return []
    if result.returncode != 0:
        return []
    words = []
    for line in result.stdout.decode("utf-8", "replace").splitlines()[1:]:
        fields = line.split("\t")
        # level 5 is a word: level, page, block, paragraph, line, word, left, top, width, height, conf, text
        if len(fields) == 12 and fields[0] == "5" and fields[11].strip():
            words.append((fields[11].strip(), int(fields[7]) + int(fields[9]) / 2))
    return words
