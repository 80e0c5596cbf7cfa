"""`oversight health`: can this deployment serve? (The container's HEALTHCHECK runs it.)

Healthy means the knowledge base loads and validates and the state store opens, is at the current
schema and its folder is writable. It does not contact Discord: a health check that fails when
Discord has an outage would restart a perfectly good bot in a loop.
"""

from __future__ import annotations

from bot.config import Settings
from bot.knowledge.loader import validate_knowledge
from bot.state import StateError, open_store


def check_health(settings: Settings) -> tuple[bool, list[str]]:
    lines: list[str] = []
    healthy = True
    knowledge, problems = validate_knowledge(settings.knowledge_path)
    if knowledge is None:
        healthy = False
        lines.append(f"knowledge: FAIL: {len(problems)} problems in {settings.knowledge_path}")
        lines += [f"  {problem}" for problem in problems[:10]]
    else:
        lines.append(
            f"knowledge: ok: {len(knowledge.entries)} entries from {settings.knowledge_path}"
        )
    try:
        store = open_store(settings.state_path)
        state_problems = list(store.check())
    except StateError as error:
        state_problems = [str(error)]
    if state_problems:
        healthy = False
        lines.append(f"state: FAIL: {'; '.join(state_problems)}")
    else:
        lines.append(f"state: ok: {settings.state_path}")
    return healthy, lines
