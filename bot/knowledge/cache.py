"""Loading a knowledge folder with its search index, from an on-disk cache when it is current.

Parsing, validating and indexing 100,000 entries takes tens of seconds; reading back the result
takes a few. The cache key is a hash of every knowledge file's path and *contents* plus the code
that reads them (this package's source, and the versions of Python and the libraries involved),
so an edited file or an upgraded bot always rebuilds: a stale index is never served. Any problem
reading the cache means "rebuild", never "fail".

The cache is plain data in `marshal` format (strings, numbers, tuples, dicts and the index's
arrays as bytes), not pickle: reading it cannot run code, and writing it needs no memo of every
object (pickle's memo alone took hundreds of megabytes at 100,000 entries).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import logging
import marshal
import os
import platform
import sys
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from bot.knowledge.index import SearchIndex
from bot.knowledge.loader import TOPICS_FILE, KnowledgeBase, knowledge_files, load_knowledge

log = logging.getLogger(__name__)

CACHE_FORMAT = 2
_LIBRARIES = ("bm25s", "numpy", "pydantic", "PyStemmer", "rapidfuzz", "PyYAML")


def load_indexed(
    root: Path | str, *, today: dt.date | None = None, cache_dir: Path | str | None = None
) -> tuple[KnowledgeBase, SearchIndex]:
    """The validated knowledge base and its index; KnowledgeError lists every problem.

    With `cache_dir`, a current cache is used when there is one, and written when there is not.
    """
    root = Path(root)
    if cache_dir is None:
        return _build(root, today)
    cache_path = Path(cache_dir) / f"knowledge-{cache_key(root)}.cache"
    cached = _read(cache_path)
    if cached is not None:
        return cached
    knowledge, index = _build(root, today)
    _write(cache_path, (knowledge, index))
    return knowledge, index


def _build(root: Path, today: dt.date | None) -> tuple[KnowledgeBase, SearchIndex]:
    with _collector_paused():
        knowledge = load_knowledge(root, today=today)
        return knowledge, SearchIndex(knowledge)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Building allocates millions of objects that all stay alive; the cyclic garbage collector
    would scan them again and again for nothing (about half the load time at 100,000 entries).
    Reference counting still frees everything temporary; the collector resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cache_key(root: Path) -> str:
    """A hash of the knowledge files (paths and contents) and of the code that reads them."""
    digest = hashlib.sha256()
    digest.update(_code_fingerprint().encode())
    digest.update(str(root.resolve()).encode())
    topics = root / TOPICS_FILE
    for path in [topics, *knowledge_files(root)]:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()[:40]


_CODE: str | None = None


def _code_fingerprint() -> str:
    global _CODE
    if _CODE is None:
        digest = hashlib.sha256(f"{CACHE_FORMAT} {sys.version} {platform.machine()}".encode())
        for library in _LIBRARIES:
            with contextlib.suppress(metadata.PackageNotFoundError):
                digest.update(f"{library}={metadata.version(library)}".encode())
        package = Path(__file__).resolve().parent.parent
        for source in sorted(package.rglob("*.py")):
            digest.update(source.read_bytes())
        _CODE = digest.hexdigest()
    return _CODE


_END = "end"


def _read(path: Path) -> tuple[KnowledgeBase, SearchIndex] | None:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None
    except OSError:
        log.warning("cannot read the knowledge cache %s; rebuilding", path, exc_info=True)
        return None
    try:
        with handle, _collector_paused():
            if marshal.load(handle) != {"format": CACHE_FORMAT}:
                return None
            records = _records(handle)
            knowledge = KnowledgeBase.from_records(records)
            index = SearchIndex.from_records(records)
            return knowledge, index
    except Exception:  # a damaged or foreign cache is only ever a reason to rebuild
        log.warning("ignoring unreadable knowledge cache %s; rebuilding", path, exc_info=True)
        return None


def _records(handle: BinaryIO) -> Iterator[Any]:
    """Each marshal record in turn, up to the end marker (a truncated file raises EOFError)."""
    while (record := marshal.load(handle)) != _END:
        yield record


def _write(path: Path, value: tuple[KnowledgeBase, SearchIndex]) -> None:
    """Atomically, record by record, and only ever as a best effort: a read-only disk must not
    stop the bot."""
    knowledge, index = value
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".knowledge-", dir=path.parent)
        with os.fdopen(descriptor, "wb") as handle:
            marshal.dump({"format": CACHE_FORMAT}, handle)
            for record in knowledge.to_records():
                marshal.dump(record, handle)
            for record in index.to_records():
                marshal.dump(record, handle)
            marshal.dump(_END, handle)
        os.replace(temporary, path)
        temporary = None
        for old in path.parent.glob("knowledge-*"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
    except (OSError, ValueError):
        log.warning("could not write the knowledge cache in %s", path.parent, exc_info=True)
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
