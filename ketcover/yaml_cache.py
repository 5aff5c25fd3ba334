"""Rule files' parsed YAML kept on disk between runs, keyed by each file's bytes (the command line only).

Once the compiled regexes are kept (regex_cache.py), building Python objects from the rule files' YAML
is most of the rule set's load (PyYAML's constructor is Python code: 20,000 nodes), on the path before
the first PDF is read. The parsed data (mappings, lists, strings, numbers) depends only on the file's
bytes and the YAML library, so it is kept as marshal data under the SHA-256 of both; the rule set is
then validated from it exactly as from a fresh parse (every check still runs, so a broken rule file is
still reported before any PDF is read). A file not yet kept, damaged, or of another PyYAML is parsed as
usual; a file that does not parse is never kept. Kept beside the regexes (regex_cache.compiled_dir, the
package's __pycache__), the most recent 64, not written under -B. Off unless `enable()` was called (cli.main), so
library users and tests parse as before; KETCOVER_REGEX_CACHE=0 turns it off with the regex cache.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from typing import Callable

from ketcover.regex_cache import may_write, read_checked, write_checked

FORMAT = 1
KEEP = 64  # parsed files kept at most (a rule set is 11 files)
_enabled: list[bool] = []


def enable() -> None:
    if os.environ.get("KETCOVER_REGEX_CACHE", "1") != "0" and not _enabled:
        _enabled.append(True)


def disable() -> None:
    _enabled.clear()


def _path(content: bytes):
    import yaml

    from ketcover.regex_cache import compiled_dir

    key = hashlib.sha256(repr((FORMAT, yaml.__version__, getattr(yaml, "__with_libyaml__", None))).encode()
                         + b"\0" + content).hexdigest()[:32]
    return compiled_dir() / f"ketcover-rules.{key}.marshal"


def _prune(folder, keep: int = KEEP) -> None:
    """Edited rule files leave their old parses behind: keep the most recently written `keep`."""
    kept = sorted(folder.glob("ketcover-rules.*.marshal"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[keep:]:
        old.unlink(missing_ok=True)


def parsed(content: bytes, parse: Callable[[], object]):
    """parse()'s result for a rule file of these bytes: kept from an earlier run when it can be."""
    if not _enabled:
        return parse()
    path = None
    try:
        path = _path(content)
        kept = read_checked(path)
        if kept is not None:
            return kept
    except Exception:  # no cache folder to be had: parsed as usual
        pass
    data = parse()  # raises for a file that does not parse: nothing is kept
    if path is not None and may_write():
        try:
            if marshal.loads(marshal.dumps(data)) == data:  # only plain data is kept
                write_checked(path, data)
                _prune(path.parent)
        except (OSError, ValueError, TypeError):
            pass  # a cache that cannot be written only costs speed
    return data
