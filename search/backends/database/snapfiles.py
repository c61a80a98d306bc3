"""One copy of the search snapshot per machine: generation-stamped ``.npy`` files.

The first process that needs a generation's snapshot builds it and writes its arrays
to ``<SEARCH_SNAPSHOT_DIR>/<database key>/<generation>/``: into a temporary
directory first, renamed into place in one step, so a reader sees all the files or
none. Every process then ``np.load(mmap_mode="r")``s them: the pages are shared
through the operating system's page cache instead of each process holding its own
copy (at a million listings that was about 1.9 GB per process).

Files that are missing, damaged or from another version are never fatal: the
loader logs why (no personal data: only the generation and the kind of error) and
the caller builds the snapshot in memory. Old generations are removed once they
are older than ``SEARCH_SNAPSHOT_GRACE_SECONDS`` (a process that mapped them keeps
its mapping; the grace covers one that is between opening two files).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection

from .columns import DTYPES, Columns, check_columns

log = logging.getLogger(__name__)

#: Bumped whenever the arrays' meaning changes: files of another format are ignored.
FORMAT = 4
DEFAULT_GRACE_SECONDS = 600
#: Generations kept regardless of age (the newest ones).
KEEP_NEWEST = 2


def directory() -> Path | None:
    """This database's snapshot directory, or None when files are turned off."""
    root = getattr(settings, "SEARCH_SNAPSHOT_DIR", None)
    if not root:
        return None
    db = connection.settings_dict
    # Which database, not how to reach it: never the password.
    identity = f"{connection.vendor}|{db.get('HOST')}|{db.get('PORT')}|{db.get('NAME')}"
    return Path(root) / hashlib.sha256(identity.encode()).hexdigest()[:16]


def load(generation: int) -> tuple[Columns, int] | None:
    """The memory-mapped arrays of ``generation`` and the changelog seq they were
    built at, or None (logged unless simply not written yet)."""
    root = directory()
    if root is None:
        return None
    path = root / str(generation)
    if not path.is_dir():
        return None
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("generation") != generation:
            raise ValueError("format or generation mismatch")
        cols = {name: _load_array(path / f"{name}.npy") for name in DTYPES}
        check_columns(cols)
        if meta.get("listings") != len(cols["ids"]):
            raise ValueError("listing count mismatch")
        return cols, int(meta["last_seq"])
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        log.warning(
            "search snapshot files for generation %s unusable (%s: %s); building in memory",
            generation,
            type(exc).__name__,
            str(exc)[:200],
        )
        # Only a complete copy is ever renamed into place, so this one is damaged:
        # removed, so that the build that follows can share a good one.
        shutil.rmtree(path, ignore_errors=True)
        return None


def _load_array(path: Path) -> np.ndarray:
    array = np.load(path, mmap_mode="r", allow_pickle=False)
    # A plain ndarray over the same mapped buffer (no memmap subclass per slice).
    return np.asarray(array)


def newest() -> int | None:
    """The generation of the newest base on disk (by changelog seq), if any: a
    process starting after a small write maps it and applies the delta."""
    root = directory()
    if root is None or not root.is_dir():
        return None
    best: tuple[int, float, int] | None = None
    try:
        for entry in root.iterdir():
            if entry.name.startswith("."):
                continue
            try:
                meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
                candidate = (int(meta["last_seq"]), entry.stat().st_mtime, int(meta["generation"]))
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if meta.get("format") == FORMAT and (best is None or candidate > best):
                best = candidate
    except OSError:
        return None
    return None if best is None else best[2]


def save(generation: int, cols: Columns, last_seq: int) -> bool:
    """Write ``generation``'s arrays for every process on this machine; True when
    they are there (written now or by another process first)."""
    root = directory()
    if root is None:
        return False
    final = root / str(generation)
    if final.is_dir():
        return True
    tmp: Path | None = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{generation}-", dir=root))
        tmp.chmod(0o755)  # mkdtemp's 0700 would hide it from the other processes' users
        for name in DTYPES:
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(cols[name]), allow_pickle=False)
        meta = {
            "format": FORMAT,
            "generation": generation,
            "listings": len(cols["ids"]),
            "last_seq": last_seq,
        }
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        os.rename(tmp, final)
    except OSError as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if final.is_dir():  # another process renamed its copy first
            return True
        log.warning(
            "could not write search snapshot files for generation %s (%s)",
            generation,
            type(exc).__name__,
        )
        return False
    prune(root, keep=final)
    return True


# ------------------------------------------------------------------ text bitmaps
# A base's bitmaps (``textbits``) live in its generation's directory, so they go
# with it; each is ``<key>.npy`` with the expression beside it in ``<key>.expr``
# (what the next base's build reads to compute the same ones again).


def _bits_path(generation: int, expression: str) -> Path | None:
    root = directory()
    if root is None:
        return None
    key = hashlib.sha256(expression.encode()).hexdigest()[:32]
    return root / str(generation) / "bits" / key


def load_bits(generation: int, expression: str, size: int) -> np.ndarray | None:
    """The shared bitmap of ``expression`` over base ``generation`` (``size`` rows),
    or None when no process on this machine has written it."""
    path = _bits_path(generation, expression)
    if path is None:
        return None
    try:
        bits = _load_array(path.with_suffix(".npy"))
    except (OSError, ValueError, EOFError):
        return None
    if bits.dtype != np.uint8 or bits.shape != ((size + 7) // 8,):
        return None
    return bits


def save_bits(generation: int, expression: str, bits: np.ndarray) -> None:
    """Share a bitmap with the machine's other processes (best effort: only into a
    base directory that exists; a file is renamed into place whole)."""
    path = _bits_path(generation, expression)
    if path is None or not path.parent.parent.is_dir():
        return
    try:
        path.parent.mkdir(exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npy", dir=path.parent)
        with os.fdopen(handle, "wb") as out:
            np.save(out, np.ascontiguousarray(bits, dtype=np.uint8), allow_pickle=False)
        os.chmod(tmp, 0o644)
        path.with_suffix(".expr").write_text(expression, encoding="utf-8")
        os.rename(tmp, path.with_suffix(".npy"))
    except OSError as exc:
        log.warning("could not share a search bitmap (%s)", type(exc).__name__)


def bit_expressions(generation: int) -> list[str]:
    """The expressions whose bitmaps base ``generation`` has on this machine."""
    path = _bits_path(generation, "")
    if path is None or not path.parent.is_dir():
        return []
    found = []
    for entry in path.parent.glob("*.expr"):
        try:
            found.append(entry.read_text(encoding="utf-8"))
        except OSError:
            continue
    return sorted(found)


def prune(root: Path, keep: Path) -> None:
    """Remove generations (and abandoned temporary directories) older than the
    grace period, except ``keep`` and the newest few."""
    grace = float(getattr(settings, "SEARCH_SNAPSHOT_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))
    now = time.time()
    try:
        entries = [(e.stat().st_mtime, e) for e in root.iterdir() if e != keep]
    except OSError:
        return
    entries.sort(reverse=True)
    generations = [e for e in entries if not e[1].name.startswith(".")]
    protected = {e for _, e in generations[: KEEP_NEWEST - 1]}
    for mtime, entry in entries:
        if entry not in protected and now - mtime > grace:
            shutil.rmtree(entry, ignore_errors=True)
