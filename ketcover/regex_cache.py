"""Compiled regular expressions kept on disk between command-line runs, as Python keeps compiled modules.

A command-line analysis compiles about 660 regular expressions before its first match: the rule set's
(set-aside reasons, keywords, candidate vocabulary), spaCy's and its tokenizer's (affixes of every
script), the document kinds'. Compiling them is a fifth of the process's CPU until the rules are ready,
the pole the PDF readers run beside. Python's `re` turns a pattern into a list of integers (its code)
and hands that to `_sre.compile`; that list depends only on the pattern, its flags and the interpreter,
so it is kept here, keyed by (pattern, flags), in a file named by everything the code depends on
(interpreter build, sre's MAGIC and code size, the Unicode database). A later run hands the kept code to
`_sre.compile` directly: the same Pattern (pattern objects compare equal when their pattern, flags and
code are; a kept entry is stored only after checking that), none of the parsing.

Safe by construction: a pattern that is not in the file (a changed rule, a new version of ketcover or
spaCy) is compiled as usual, so a stale file cannot change a match, only miss; a bad pattern still raises
`re.error`, since only patterns that compiled are kept; another interpreter reads another file; a file
that is damaged, unreadable or fails its checksum is ignored (and rewritten); code that sre refuses is
compiled as usual. Only the process that installed the cache writes it (forked workers never do), atomically,
and only when the run compiled something new. The file sits beside ketcover's bytecode (`__pycache__`,
or KETCOVER_COMPILED_DIR) and, like bytecode, is not written under -B / PYTHONDONTWRITEBYTECODE; it holds
patterns only, never document text, so `--no-cache` (the reports' cache) does not concern it.
KETCOVER_REGEX_CACHE=0 turns it off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import contextlib
from array import array
import threading

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # not CPython: nothing to keep
    _sre = _compiler = _parser = None

FORMAT = 3  # 2: start-up patterns only (recording()); 3: code as bytes
MAX_ENTRIES = 4000  # above this, a run keeps only the patterns it used itself

_CODE = "I"  # an unsigned int: sre's code unit (CODESIZE 4); install() checks
_lock = threading.RLock()
_state: dict = {}  # installed: pid, path, entries, new, used
_recording = threading.local()


@contextlib.contextmanager
def recording():
    """Patterns first compiled on this thread inside the block are kept: the start-up's (the rule set,
    spaCy, the tokenizer, the data files), never one made later from a document's text (a quote's
    pattern), which would put document text on disk. Outside, kept patterns are still served."""
    previous = getattr(_recording, "on", False)
    _recording.on = True
    try:
        yield
    finally:
        _recording.on = previous


def _identity() -> str:
    """What the code of a pattern depends on, besides the pattern and its flags."""
    import unicodedata

    material = repr((FORMAT, sys.implementation.name, sys.version, sys.hexversion, _sre.MAGIC, _sre.CODESIZE,
                     _sre.MAXREPEAT, _sre.MAXGROUPS, unicodedata.unidata_version))
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def compiled_dir():
    """Where compiled artifacts are kept: beside ketcover's own bytecode (its __pycache__), not in the
    report cache, which `--no-cache` promises not to touch; KETCOVER_COMPILED_DIR overrides it."""
    from pathlib import Path

    override = os.environ.get("KETCOVER_COMPILED_DIR")
    return Path(override) if override else Path(__file__).resolve().parent / "__pycache__"


def may_write() -> bool:
    """As Python writes bytecode: not under -B / PYTHONDONTWRITEBYTECODE."""
    return not sys.dont_write_bytecode


def cache_path():
    return compiled_dir() / f"ketcover-regex.{_identity()}.marshal"


def read_checked(path):
    """The marshal data of a kept file (this module's and yaml_cache's), or None when it is missing,
    unreadable or fails its checksum."""
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
        checksum, payload = blob[:32], blob[32:]
        if hashlib.sha256(payload).digest() != checksum:
            return None
        return marshal.loads(payload)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write_checked(path, data) -> None:
    """Keep `data` as marshal behind its checksum, atomically; a file that cannot be written only costs speed."""
    from ketcover.output import write_atomically

    try:
        payload = marshal.dumps(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, hashlib.sha256(payload).digest() + payload)
    except (OSError, ValueError):
        pass


def _read(path) -> dict:
    """The kept entries, or {} when the file is missing, damaged or not this format's."""
    entries = read_checked(path)
    return entries if isinstance(entries, dict) else {}


def _arguments(pattern, flags: int):
    """What re._compiler.compile hands _sre.compile for this pattern (its body, without the compile)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # The code as bytes of sre's code units: a tenth of the memory of a list of ints, and read at once.
    return (pattern, int(flags | parsed.state.flags), array(_CODE, code).tobytes(), int(parsed.state.groups - 1),
            {name: int(index) for name, index in groupindex.items()}, tuple(indexgroup))


def _sre_arguments(kept):
    pattern, flags, code, groups, groupindex, indexgroup = kept
    units = array(_CODE)
    units.frombytes(code)
    return pattern, flags, units.tolist(), groups, groupindex, indexgroup


def _compile(pattern, flags=0, _original=None):
    state = _state
    if type(pattern) not in (str, bytes) or type(flags) is not int or flags & re.DEBUG or not state:
        return _original(pattern, flags)
    key = (pattern, flags)
    if state["entries"] is None:  # read at the first compile, so a command that compiles nothing never reads it
        with _lock:
            if state["entries"] is None:
                state["entries"] = {}  # finding the folder may import (and compile): those go the usual way
                try:
                    state["path"] = cache_path()
                except Exception:  # no cache folder to be had: nothing kept, nothing written
                    state["path"] = None
                state["entries"] = _read(state["path"]) if state["path"] else {}
    arguments = state["entries"].get(key)
    if arguments is not None:
        try:
            compiled = _sre.compile(*_sre_arguments(arguments))
            if compiled.pattern == pattern:
                state["used"].add(key)
                return compiled
        except Exception:  # refused or malformed: compiled as usual below
            pass
    compiled = _original(pattern, flags)  # raises re.error for a bad pattern, as without the cache
    if not getattr(_recording, "on", False):
        return compiled
    try:
        arguments = _arguments(pattern, flags)
        if _sre.compile(*_sre_arguments(arguments)) == compiled:  # same pattern, flags and code
            with _lock:
                state["new"][key] = arguments
                state["used"].add(key)
    except Exception:  # an interpreter whose compile differs: this pattern is not kept
        pass
    return compiled


def install() -> bool:
    """Serve this process's compiles from the kept file (read at the first compile); False when not available."""
    if _sre is None or array(_CODE).itemsize != _sre.CODESIZE or _state or os.environ.get("KETCOVER_REGEX_CACHE", "1") == "0":
        return False
    original = _compiler.compile
    if getattr(original, "__module__", None) == __name__:
        return False
    _state.update(pid=os.getpid(), path=None, entries=None, new={}, used=set(), original=original)

    def compile(p, flags=0):
        return _compile(p, flags, original)

    compile.__module__ = __name__
    _compiler.compile = compile
    return True


def uninstall() -> None:
    if _state:
        _compiler.compile = _state["original"]
        _state.clear()


def save() -> None:
    """Write the kept file if this run compiled patterns it did not hold (only in the installing process)."""
    if not _state or _state["pid"] != os.getpid() or not _state["path"] or not may_write():
        return
    with _lock:
        kept = _state["entries"] or {}
        # (compiles made while the file was being found and read are in it already)
        if all(key in kept for key in _state["new"]):
            return
        entries = {**kept, **_state["new"]}
        if len(entries) > MAX_ENTRIES:
            entries = {key: entries[key] for key in _state["used"] if key in entries}
        _state["entries"], _state["new"] = entries, {}
    write_checked(_state["path"], entries)
