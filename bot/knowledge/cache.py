"""Loading a knowledge folder together with its search index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.knowledge.index import SearchIndex
from bot.knowledge.loader import KnowledgeBase, load_knowledge


def load_indexed(
    root: Path | str, *, today: dt.date | None = None
) -> tuple[KnowledgeBase, SearchIndex]:
    """The validated knowledge base and its index; KnowledgeError lists every problem."""
    knowledge = load_knowledge(root, today=today)
    return knowledge, SearchIndex(knowledge)
