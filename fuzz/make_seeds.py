"""Writes the fuzz seed corpus (fuzz/seeds/) from the hostile-input builders in tests/pdf_builders.py."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import pdf_builders  # noqa: E402

MAX_SEED_BYTES = 16_000  # small seeds mutate faster; the 1 MB bomb stays in the tests


def main() -> None:
    seeds = HERE / "seeds"
    seeds.mkdir(exist_ok=True)
    for name, data in sorted(pdf_builders.seed_cases().items()):
        if len(data) <= MAX_SEED_BYTES:
            (seeds / name).write_bytes(data)
    print(f"{len(list(seeds.iterdir()))} seeds in {seeds}")


if __name__ == "__main__":
    main()
