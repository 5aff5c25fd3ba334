"""Reading an input file safely: regular files only, its bytes, its hash, and what it is if not a PDF."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from ketcover.errors import ReadError

SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)

def describe_non_pdf(head: bytes) -> str | None:
    """What the file is when it is not a PDF, or None when it looks like one."""
    # Magic numbers first: a ZIP that stores a PDF uncompressed has "%PDF-" near its start too.
    for signature, what in SIGNATURES:
        if head.startswith(signature):
            return what
    if b"%PDF-" in head[:1024]:
        return None
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "an HTML web page, perhaps a download or login page saved by mistake"
    try:
        head[:512].decode("utf-8")
        return "a plain text file"
    except UnicodeDecodeError:
        return "an unknown binary file"


def read_input(path: Path) -> tuple[bytes, str]:
    """The file's bytes and SHA-256, or a ReadError for missing, empty and non-PDF files."""
    try:
        # A FIFO or device (/dev/zero, a named pipe) would block or never end: only regular files.
        if not stat.S_ISREG(path.stat().st_mode) and not path.is_dir():
            raise ReadError("IO_ERROR", reason="it is not a regular file")
        data = path.read_bytes()
    except IsADirectoryError:
        raise ReadError("IO_ERROR", reason="it is a folder, not a file") from None
    except FileNotFoundError:
        raise ReadError("IO_ERROR", reason="no such file") from None
    except PermissionError:
        raise ReadError("IO_ERROR", reason="permission denied") from None
    except OSError as exc:
        raise ReadError("IO_ERROR", reason=exc.strerror or "operating system error") from None
    if not data:
        raise ReadError("EMPTY_FILE")
    what = describe_non_pdf(data[:2048])
    if what:
        raise ReadError("NOT_A_PDF", what=what)
    return data, hashlib.sha256(data).hexdigest()
