"""What reading one file may cost: wall time, time per page, memory, pages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """What one file may cost: wall time for the file and for one page, memory, pages."""

    timeout: float = 600.0
    page_timeout: float = 60.0
    max_memory_mb: int = 2048
    max_pages: int = 5000
