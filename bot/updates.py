"""Moderator updates in the core: checking a new update, and handing open ones to maintainers.

An update is news that has not reached the knowledge base yet. It stays "open" for an entry until
a maintainer re-verifies that entry after the update; `export` writes the open ones as a YAML
snippet or a Markdown checklist so they can be folded in by pull request.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from bot.freshness import touches
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.model import Entry
from bot.state.records import MAX_UPDATE_CHARS, NewUpdate, Update

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
MAX_SOURCE_TITLE = 200
MAX_ENTRIES_PER_UPDATE = 10


class UpdateRejected(ValueError):
    """A new update cannot be accepted as given; the message says what to change."""


def parse_entry_ids(text: str | None) -> tuple[str, ...]:
    """'a, b c' -> ('a', 'b', 'c'), keeping order and dropping repeats."""
    if not text:
        return ()
    return tuple(dict.fromkeys(part for part in re.split(r"[\s,;]+", text.strip()) if part))


def check_new_update(knowledge: KnowledgeBase, new: NewUpdate) -> NewUpdate:
    """The update, tidied, or UpdateRejected saying what is wrong."""
    text = new.text.strip()
    if not text:
        raise UpdateRejected("The update has no text.")
    if len(text) > MAX_UPDATE_CHARS:
        raise UpdateRejected(
            f"The update is {len(text):,} characters; the limit is {MAX_UPDATE_CHARS:,}. "
            "Shorten it or link to the source for the details."
        )
    if new.topic is not None and new.topic not in knowledge.topics:
        raise UpdateRejected(
            f"There is no topic `{new.topic}`: pick one from the list as you type."
        )
    if len(new.entry_ids) > MAX_ENTRIES_PER_UPDATE:
        raise UpdateRejected(f"An update can name at most {MAX_ENTRIES_PER_UPDATE} entries.")
    unknown = [entry_id for entry_id in new.entry_ids if entry_id not in knowledge.entries]
    if unknown:
        names = ", ".join(f"`{entry_id[:80]}`" for entry_id in unknown[:5])
        raise UpdateRejected(
            f"Unknown entry id {names}: pick entries from the list as you type, or leave "
            "`entries` empty to attach the update to the whole topic."
        )
    if new.topic is None and not new.entry_ids:
        raise UpdateRejected("Give a topic or at least one entry, so the update reaches answers.")
    url = new.source_url.strip() if new.source_url else None
    if url and not _URL.match(url):
        raise UpdateRejected("The source URL must start with http:// or https://.")
    title = new.source_title.strip() if new.source_title else None
    if title and len(title) > MAX_SOURCE_TITLE:
        raise UpdateRejected(f"The source title is longer than {MAX_SOURCE_TITLE} characters.")
    return NewUpdate(text, new.topic, new.entry_ids, new.author_hash, url or None, title or None)


@dataclass(frozen=True)
class OpenItem:
    """An entry with the live updates it has not been re-verified against."""

    entry: Entry
    updates: tuple[Update, ...]


def open_updates(
    knowledge: KnowledgeBase, updates: list[Update], since: dt.date | None = None
) -> list[OpenItem]:
    """Entries with updates newer than their last check, in knowledge-base order."""
    live = [u for u in updates if not u.retracted and (since is None or u.posted_on >= since)]
    items = []
    for entry in knowledge.entries.values():
        pending = tuple(u for u in live if touches(u, entry) and u.posted_on > entry.last_verified)
        if pending:
            items.append(OpenItem(entry, pending))
    return items


def export_yaml(knowledge: KnowledgeBase, items: list[OpenItem]) -> str:
    """A YAML snippet per entry: where it is, what changed, and sources ready to complete."""
    header = (
        "# Open moderator updates, grouped by entry. For each: fold the news into the entry,\n"
        "# add the source (fill in its publisher: the bot does not guess one), re-check, then run\n"
        "#   oversight kb verify ID\n"
    )
    documents = []
    for item in items:
        location = knowledge.locations.get(item.entry.id)
        sources = []
        for update in item.updates:
            if update.source_url or update.source_title:
                source = {"title": update.source_title or "TITLE", "publisher": "PUBLISHER"}
                if update.source_url:
                    source["url"] = update.source_url
                source["published"] = update.posted_on.isoformat()
                sources.append(source)
        documents.append(
            {
                "id": item.entry.id,
                "question": item.entry.question,
                "file": f"{location.path}:{location.line}" if location else None,
                "last_verified": item.entry.last_verified.isoformat(),
                "updates": [
                    {
                        "id": u.id,
                        "posted": u.posted_on.isoformat(),
                        "text": u.text,
                        **({"source_url": u.source_url} if u.source_url else {}),
                    }
                    for u in item.updates
                ],
                "sources_to_add": sources,
            }
        )
    if not documents:
        return header + "[]\n"
    return header + yaml.safe_dump(documents, sort_keys=False, allow_unicode=True, width=100)


def export_markdown(knowledge: KnowledgeBase, items: list[OpenItem]) -> str:
    lines = ["# Moderator updates to fold into the knowledge base", ""]
    if not items:
        lines.append("No open updates: every entry has been re-verified since its latest update.")
    for item in items:
        location = knowledge.locations.get(item.entry.id)
        where = f" ({location.path}:{location.line})" if location else ""
        lines.append(f"## `{item.entry.id}`: {item.entry.question}{where}")
        lines.append("")
        for update in item.updates:
            source = ""
            if update.source_url:
                source = f" [{update.source_title or 'source'}]({update.source_url})"
            elif update.source_title:
                source = f" ({update.source_title})"
            text = " ".join(update.text.split())
            lines.append(f"- [ ] {update.id}, {update.posted_on.isoformat()}: {text}{source}")
        lines.append(f"- [ ] re-check the entry, then `oversight kb verify {item.entry.id}`")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
