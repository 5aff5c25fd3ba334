"""The terminal (rich, imported only here, and only on a terminal): the comparison as tables that fit the window, and the batch's progress bar."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from ketcover import __version__
from ketcover.compare import NO_COST_NOTE, Comparison, file_names, plan_state
from ketcover.render.escape import terminal_safe

MIN_COLUMN = 24  # a plan column narrower than this reads badly: the plans go on to the next table
TITLE_COLUMN = 22
MIN_PAGES = 5  # a shorter file is read before a bar would be seen


def _text(value: str):
    from rich.text import Text

    # Text, not a markup string: "[...]" in a plan name or a quote is shown as written.
    return Text(terminal_safe(value))


def print_comparison(comparison: Comparison, stream=None) -> None:
    """The comparison on a terminal: a legend of the plans, then tables of as many plans as fit side by side."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream or sys.stdout, highlight=False, emoji=False)
    width = console.width
    plans = list(comparison.plans)
    per_table = max(1, (width - TITLE_COLUMN - 4) // (MIN_COLUMN + 3))
    console.print(_text(f"ketcover {__version__}: {len(plans)} plan(s) compared; every answer cites its page(s)."))
    console.print()
    for number, plan in enumerate(plans, 1):
        console.print(_text(f"  [{number}] {plan.name}"))
        console.print(_text(f"      {file_names(plan.file)}: {plan_state(plan)}"))
    console.print()
    for first in range(0, len(plans), per_table):
        group = list(range(first, min(first + per_table, len(plans))))
        title = f"Plans {group[0] + 1}-{group[-1] + 1} of {len(plans)}" if len(plans) > per_table else None
        table = Table(title=title, box=box.ROUNDED, show_lines=True, header_style="bold", expand=False)
        table.add_column("Plan", min_width=12, max_width=TITLE_COLUMN, style="bold", overflow="fold")
        for index in group:
            table.add_column(_text(f"[{index + 1}] {plans[index].name}"), min_width=MIN_COLUMN, ratio=1, overflow="fold")
        table.add_row(_text("Document"), *(_text(plan_state(plans[i])) for i in group))
        for row in comparison.rows:
            table.add_row(_text(row.title), *(_text(row.cells[i].answer) for i in group))
        console.print(table)
        console.print()
    console.print(_text(NO_COST_NOTE))


class Progress:
    """The pages read of each file, as bars on stderr; only when stderr is a terminal (pipes and logs stay clean)."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._bars = None
        self._tasks: dict[str, int] = {}  # a file's path -> its bar
        self._finished: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, name: str, done: int, total: int) -> None:
        if not self.enabled or total < MIN_PAGES:
            return
        with self._lock:  # files are read on several threads (--jobs): one display, one set of bars
            self._update(name, done, total)

    def _update(self, name: str, done: int, total: int) -> None:
        if self._bars is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bars, TextColumn

            self._bars = Bars(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), TextColumn("pages"),
                              console=Console(file=self.stream), transient=True,
                              redirect_stdout=False, redirect_stderr=False)
            self._bars.start()
        if name in self._finished:
            return  # the reader may report its last page more than once
        if name not in self._tasks:
            self._tasks[name] = self._bars.add_task(terminal_safe(Path(name).name[:40]), total=total)
        self._bars.update(self._tasks[name], completed=done, total=total)
        if done >= total:
            self._bars.remove_task(self._tasks.pop(name))
            self._finished.add(name)

    def close(self) -> None:
        """Stop the bars (and clear them): the report follows on the same terminal."""
        with self._lock:
            if self._bars is not None:
                self._bars.stop()
                self._bars = None
