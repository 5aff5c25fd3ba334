"""Ending cleanly: on SIGTERM or SIGINT no reader works on and no temporary folder stays behind."""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
import signal
import sys
import threading

_INSTALLED = threading.Event()
# Set when a SIGTERM or SIGINT arrives: a reader whose child was killed for it must not take the
# lost page for a damaged one and start a new child on the next page.
_STOPPING = threading.Event()


def stopping() -> bool:
    """Whether the run is ending on a signal (readers start no new child then)."""
    return _STOPPING.is_set()


def install_signal_cleanup() -> None:
    """Kill the readers and remove multiprocessing's folder (/tmp/pymp-*, which holds the fork
    server's socket) before a SIGTERM or SIGINT takes effect.

    SIGTERM ends Python without running its exit handlers, so the folder stayed behind and a
    reader went on with its page. After the clean-up, whatever the signal did before happens
    (the default: end; Ctrl-C: KeyboardInterrupt; a handler installed earlier: that handler).
    Handlers can only be set from the main thread; from another thread this does nothing.
    """
    if _INSTALLED.is_set() or threading.current_thread() is not threading.main_thread():
        return
    _INSTALLED.set()
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)
        if previous in (signal.SIG_IGN, None):
            continue  # ignored (a background job's SIGINT) or set outside Python: leave it
        signal.signal(signum, functools.partial(_on_signal, previous))


def _on_signal(previous, signum: int, frame) -> None:
    _STOPPING.set()
    started = "multiprocessing" in sys.modules  # otherwise no reader and no folder exist
    if started:
        import multiprocessing

        for child in multiprocessing.active_children():
            child.kill()  # their reading threads see the pipe close and end at once
    if callable(previous):
        # The process goes on (or exits through an exception): multiprocessing's own exit
        # handler removes the folder then.
        previous(signum, frame)
        return
    if started:
        import multiprocessing.util

        shutil.rmtree(multiprocessing.util.get_temp_dir(), ignore_errors=True)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def die_with_parent() -> None:
    """Have Linux kill this process when its parent ends (a reader when the fork server goes,
    tesseract when its reader is killed), so no orphan works on after the run is over."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
