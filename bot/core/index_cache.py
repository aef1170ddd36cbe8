"""The compiled index: the costly parts of a Matcher saved once per knowledge version, loaded in milliseconds.

A cache entry is two files named by its key: `<key>.npz` (numpy arrays only, read with allow_pickle=False, so a
cache file can never run code) and `<key>.json`, a small manifest with the format, the key, the npz's SHA-256 and
the scalar or short metadata of each part. The key hashes the knowledge files' contents (learned.yaml and the
configured deadlines file included) and the source of the modules that build the index, so any edit, even of one
phrasing, gives a new key. Files are written to a temporary name and moved into place (os.replace) under a lock
file, so two processes starting at once never see half a file; a missing, corrupt, truncated or foreign entry is
ignored and rebuilt.

Parts are stored as named groups of arrays; lists of strings are packed as NUL-separated UTF-8 bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from sys import intern
from typing import Any, BinaryIO

import numpy as np

FORMAT = "tdkt-index/3"  # 3: the signature terms (bot.core.signature_terms)
# The code that decides what the index (and a result remembered with it) holds: every module of bot.core.
_CORE = Path(__file__).resolve().parent
_SEPARATOR = "\0"


def default_folder() -> Path:
    """The user's cache folder: $XDG_CACHE_HOME/tdkt-bot, else ~/.cache/tdkt-bot."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tdkt-bot"


def pack_strings(items: Sequence[str]) -> np.ndarray:
    """A list of strings as one uint8 array (NUL-separated UTF-8); raises ValueError on a NUL inside one."""
    if any(_SEPARATOR in s for s in items):
        raise ValueError("a string holds a NUL character")
    data = (_SEPARATOR.join(items)).encode("utf-8")
    # A leading count tells an empty list from a list of one empty string.
    return np.frombuffer(len(items).to_bytes(8, "little") + data, dtype=np.uint8)


def unpack_strings(array: np.ndarray) -> list[str]:
    raw = array.tobytes()
    count = int.from_bytes(raw[:8], "little")
    if count == 0:
        return []
    items = raw[8:].decode("utf-8").split(_SEPARATOR)
    if len(items) != count:
        raise ValueError("string count does not match")
    return items


def pack_token_lists(lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Lists of words as (packed words, offsets): list i is words[offsets[i]:offsets[i + 1]]."""
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(words) for words in lists], out=offsets[1:])
    return pack_strings([w for words in lists for w in words]), offsets


def unpack_token_lists(words: np.ndarray, offsets: np.ndarray) -> list[list[str]]:
    flat = [intern(word) for word in unpack_strings(words)]  # repeated words share one string object
    bounds = offsets.tolist()
    if bounds[-1] != len(flat):
        raise ValueError("offsets do not match the words")
    return [flat[a:b] for a, b in pairwise(bounds)]


def source_digest() -> str:
    """SHA-256 of the source of bot.core, which builds the index (and the versions of Python and numpy)."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version_info[:2]}|{np.__version__}".encode())
    for path in sorted(_CORE.glob("*.py")):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _sha256(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.name).encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class Compiled:
    """The parts of one cache entry: loaded ones to reuse, built ones to save."""

    def __init__(self, key: str, arrays: dict[str, np.ndarray] | None = None, meta: dict[str, Any] | None = None):
        self.key = key
        self.loaded = arrays is not None
        self._arrays: dict[str, np.ndarray] = dict(arrays or {})
        self._meta: dict[str, Any] = dict(meta or {})
        self.dirty = False

    def get(self, part: str) -> tuple[dict[str, np.ndarray], Any] | None:
        """(arrays, metadata) of a part, or None when the entry lacks it."""
        if part not in self._meta:
            return None
        prefix = f"{part}/"
        return {k[len(prefix) :]: v for k, v in self._arrays.items() if k.startswith(prefix)}, self._meta[part]

    def put(self, part: str, arrays: dict[str, np.ndarray], meta: Any = None) -> None:
        for name, array in arrays.items():
            self._arrays[f"{part}/{name}"] = np.ascontiguousarray(array)
        self._meta[part] = meta
        self.dirty = True


class Remembered:
    """Results computed from one knowledge version (the check's collisions), kept in its compiled entry."""

    def __init__(self, cache: IndexCache | None = None, compiled: Compiled | None = None) -> None:
        self._cache, self._compiled = cache, compiled

    def lines(self, name: str, compute: Callable[[], list[str]]) -> list[str]:
        """The lines `compute()` gave for this knowledge version before, or computed now and saved."""
        if self._compiled is None:
            return compute()
        part = f"remembered/{name}"
        saved = self._compiled.get(part)
        if saved is not None:
            with contextlib.suppress(KeyError, ValueError, UnicodeDecodeError):
                return unpack_strings(saved[0]["lines"])
        lines = compute()
        try:
            self._compiled.put(part, {"lines": pack_strings(lines)})
        except ValueError:
            return lines
        if self._cache is not None:
            self._cache.save(self._compiled)
        return lines


class IndexCache:
    """A folder of compiled indexes, one entry per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def key(self, knowledge_files: Iterable[Path]) -> str:
        return hashlib.sha256(f"{files_digest(knowledge_files)}|{source_digest()}".encode()).hexdigest()[:32]

    def open(self, key: str) -> Compiled:
        """The entry for `key`: loaded when a sound one is on disk, else empty (to be filled and saved)."""
        loaded = self._read(key)
        if loaded is None:
            return Compiled(key)
        arrays, meta = loaded
        return Compiled(key, arrays, meta)

    def _read(self, key: str) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
        try:
            manifest = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("key") != key:
                return None
            meta = manifest.get("parts")
            if not isinstance(meta, dict):
                return None
            # Hashed and read through one open file (the very bytes checked, even if a writer replaces the file
            # meanwhile), streamed: at 10,000 entries a copy of the file in memory would be 60 MiB more.
            with open(self.folder / f"{key}.npz", "rb") as handle:
                if _sha256(handle) != manifest.get("sha256"):
                    return None
                handle.seek(0)
                with np.load(handle, allow_pickle=False) as npz:
                    arrays = {name: npz[name] for name in npz.files}
            if any(array.dtype.hasobject for array in arrays.values()):
                return None
            return arrays, meta
        except Exception:  # zip, numpy, JSON and OS errors alike
            # Anything unreadable is a miss: the index is rebuilt and the entry written again.
            return None

    def save(self, compiled: Compiled) -> None:
        """Write the entry atomically; a cache folder that cannot be written is not an error (nothing is saved)."""
        if not compiled.dirty:
            return
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            # The arrays go straight to a temporary file (no copy of them in memory), hashed as they are read back.
            fd, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{compiled.key}.npz.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w+b") as handle:
                    np.savez(handle, **compiled._arrays)
                    handle.flush()
                    os.fsync(handle.fileno())
                    handle.seek(0)
                    digest = _sha256(handle)
                manifest = {"format": FORMAT, "key": compiled.key, "sha256": digest, "parts": compiled._meta}
                with self._locked(compiled.key):
                    os.replace(temp, self.folder / f"{compiled.key}.npz")
                    self._write(
                        self.folder / f"{compiled.key}.json", json.dumps(manifest, ensure_ascii=False).encode()
                    )
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
            compiled.dirty = False
            release_freed_memory()  # the zip writer's buffers

    def _write(self, path: Path, data: bytes) -> None:
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    @contextlib.contextmanager
    def _locked(self, key: str):  # type: ignore[no-untyped-def]
        """An exclusive lock while the two files are replaced, so readers never pair one writer's npz with
        another's manifest (a mismatch would only be a miss anyway: the manifest holds the npz's hash)."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on Linux
            yield
            return
        with open(self.folder / f".{key}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def release_freed_memory() -> None:
    """Hand the heap a build (or a save) freed back to the system: glibc keeps it otherwise (~200 MiB after
    10,000 entries)."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
