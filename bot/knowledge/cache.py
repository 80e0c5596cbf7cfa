"""Loading a knowledge folder with its search index, from an on-disk cache when it is current.

Parsing, validating and indexing 100,000 entries takes a while; unpickling the result takes a
fraction of that. The cache key is a hash of every knowledge file's path and *contents* plus the
code that reads them (this package's source, and the versions of Python and the libraries whose
objects are pickled), so an edited file or an upgraded bot always rebuilds: a stale index is
never served. The cache holds only what the bot itself wrote, in a folder only the bot writes to
(pickle must never read untrusted files). Any problem reading it means "rebuild", not "fail".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import pickle
import platform
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from bot.knowledge.index import SearchIndex
from bot.knowledge.loader import TOPICS_FILE, KnowledgeBase, knowledge_files, load_knowledge

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
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
    cache_path = Path(cache_dir) / f"knowledge-{cache_key(root)}.pickle"
    cached = _read(cache_path)
    if cached is not None:
        return cached
    knowledge, index = _build(root, today)
    _write(cache_path, (knowledge, index))
    return knowledge, index


def _build(root: Path, today: dt.date | None) -> tuple[KnowledgeBase, SearchIndex]:
    knowledge = load_knowledge(root, today=today)
    return knowledge, SearchIndex(knowledge)


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


def _read(path: Path) -> tuple[KnowledgeBase, SearchIndex] | None:
    try:
        with path.open("rb") as handle:
            knowledge, index = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign cache is only ever a reason to rebuild
        log.warning("ignoring unreadable knowledge cache %s; rebuilding", path, exc_info=True)
        return None
    if not isinstance(knowledge, KnowledgeBase) or not isinstance(index, SearchIndex):
        return None
    return knowledge, index


def _write(path: Path, value: tuple[KnowledgeBase, SearchIndex]) -> None:
    """Atomically, and only ever as a best effort: a read-only disk must not stop the bot."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".knowledge-", dir=path.parent)
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        for old in path.parent.glob("knowledge-*.pickle"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
    except OSError:
        log.warning("could not write the knowledge cache in %s", path.parent, exc_info=True)
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temporary)
