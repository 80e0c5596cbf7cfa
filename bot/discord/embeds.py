"""Answers as Discord embeds that always fit Discord's limits.

Limits (discord.com/developers/docs/resources/message#embed-object-embed-limits): title 256,
description 4,096, 25 fields of name 256 and value 1,024, footer 2,048, 6,000 characters in all.
Text is shortened at word boundaries with an ellipsis; sources are never cut in half: a source
line that does not fit in a field starts the next field, and a single source that is longer than a
field loses title words, never its URL.
"""

from __future__ import annotations

import discord

from bot.answering import Answer
from bot.knowledge.model import Entry, Source
from bot.rendering import (
    UPDATES_HEADING,
    guess_note,
    quote_attribution,
    update_line,
)
from bot.service import StaleEntry
from bot.state.records import Update

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_VALUE_MAX = 1024
FIELD_NAME_MAX = 256
FIELDS_MAX = 25
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000

COLOUR_ANSWER = discord.Colour.blurple()
COLOUR_STALE = discord.Colour.orange()
COLOUR_DECLINE = discord.Colour.light_grey()
COLOUR_UPDATE = discord.Colour.green()
COLOUR_RETRACTED = discord.Colour.red()


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and add an ellipsis; never longer than `limit`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "\u2026"


def clean(text: str) -> str:
    """User-typed text made inert: no markdown, no mentions (python-discord #1432)."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def source_markdown(source: Source, limit: int = FIELD_VALUE_MAX) -> str:
    """'[Title](url), Publisher, June 2021': the title shrinks before the URL is ever touched."""
    tail = ", ".join(
        part
        for part in (source.publisher, source.published.human() if source.published else None)
        if part
    )
    archive = f" ([archived]({source.archived_url}))" if source.archived_url else ""
    if source.url:
        room = limit - len(source.url) - len(tail) - len(archive) - 8
        title = shorten(
            discord.utils.escape_markdown(source.title).replace("]", "\\]"), max(room, 8)
        )
        line = f"[{title}]({source.url}), {tail}{archive}"
    else:
        line = f"{discord.utils.escape_markdown(source.title)}, {tail}{archive}"
    return shorten("- " + line, limit)


def _pack(lines: list[str], limit: int = FIELD_VALUE_MAX) -> list[str]:
    """Group whole lines into chunks of at most `limit` characters."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                chunks.append(current)
            current = line[:limit]
    if current:
        chunks.append(current)
    return chunks


class EmbedBuilder:
    """Adds fields while keeping count of Discord's per-embed limits."""

    def __init__(self, embed: discord.Embed) -> None:
        self.embed = embed

    def used(self) -> int:
        return len(self.embed)

    def add(self, name: str, value: str) -> bool:
        name = shorten(name, FIELD_NAME_MAX)
        value = shorten(value, FIELD_VALUE_MAX)
        if (
            len(self.embed.fields) >= FIELDS_MAX - 1
            or self.used() + len(name) + len(value) > EMBED_TOTAL_MAX - 200
        ):
            return False
        self.embed.add_field(name=name, value=value, inline=False)
        return True

    def add_lines(self, name: str, lines: list[str], *, continued: str | None = None) -> int:
        """Add lines across as many fields as needed; returns how many lines did not fit."""
        chunks = _pack(lines)
        placed = 0
        for number, chunk in enumerate(chunks):
            if not self.add(name if number == 0 else (continued or f"{name} (cont.)"), chunk):
                break
            placed += chunk.count("\n") + 1
        return len(lines) - placed


def body_markdown(entry: Entry) -> str:
    if entry.quote is None:
        return entry.answer or ""
    quoted = "\n".join(f"> {line}" for line in entry.quote.text.splitlines())
    parts = [f"{quoted}\n\u2014 **{quote_attribution(entry)}**"]
    if entry.quote.context:
        parts.append(f"*{entry.quote.context}*")
    if entry.answer:
        parts.append(entry.answer)
    return "\n\n".join(parts)


def answer_embed(answer: Answer) -> discord.Embed:
    """The embed for an answered question (or an entry picked by id or suggestion)."""
    assert answer.entry is not None
    entry = answer.entry
    stale = answer.stale
    embed = discord.Embed(
        title=shorten(entry.question, TITLE_MAX),
        description=shorten(body_markdown(entry), DESCRIPTION_MAX - 200),
        colour=COLOUR_STALE if stale else COLOUR_ANSWER,
    )
    builder = EmbedBuilder(embed)
    if stale and answer.freshness is not None:
        builder.add(
            "\u26a0\ufe0f May be out of date",
            "\n".join(f"- {reason}" for reason in answer.freshness.reason_texts),
        )
    if answer.updates:
        builder.add_lines(UPDATES_HEADING, [f"- {_update_markdown(u)}" for u in answer.updates])
    left_out = builder.add_lines("Sources", [source_markdown(s) for s in entry.sources])
    if left_out:
        builder.add("More sources", f"{left_out} more: see `/entry id:{entry.id}`")
    builder.add("As of", f"{entry.as_of.human()} (last verified {entry.last_verified.isoformat()})")
    note = guess_note(answer)
    footer = f"entry: {entry.id}"
    if answer.matched_by == "ranked":
        footer += " \u00b7 best match for your question"
    if note:
        footer += f" \u00b7 {note}"
    embed.set_footer(text=shorten(footer, FOOTER_MAX))
    return embed


def _update_markdown(update: Update) -> str:
    line = update_line(update)
    return discord.utils.escape_mentions(line)


def decline_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(
        title="I don't know that one yet",
        colour=COLOUR_DECLINE,
        description=(
            "I couldn't find a confident answer in the knowledge base."
            + ("\nDid you mean one of these? Pick one below." if answer.alternatives else "")
        ),
    )
    for number, suggestion in enumerate(answer.alternatives, start=1):
        embed.add_field(
            name=f"{number}.", value=shorten(suggestion.question, FIELD_VALUE_MAX), inline=False
        )
    return embed


def update_embed(update: Update, topic_title: str | None) -> discord.Embed:
    """A moderator update as posted in the updates channel (and edited on retraction)."""
    embed = discord.Embed(
        title=shorten(
            f"Update {update.id}" + (f": {topic_title}" if topic_title else ""), TITLE_MAX
        ),
        description=shorten(discord.utils.escape_mentions(update.text), DESCRIPTION_MAX - 500),
        colour=COLOUR_RETRACTED if update.retracted else COLOUR_UPDATE,
        timestamp=update.posted_at,
    )
    if update.retracted:
        embed.title = shorten(f"RETRACTED: {embed.title}", TITLE_MAX)
        embed.add_field(
            name="Retracted",
            value=shorten(
                discord.utils.escape_mentions(update.retracted_reason or "no reason given"),
                FIELD_VALUE_MAX,
            ),
            inline=False,
        )
    if update.entry_ids:
        embed.add_field(
            name="Entries",
            value=shorten(", ".join(f"`{e}`" for e in update.entry_ids), FIELD_VALUE_MAX),
            inline=False,
        )
    if update.source_url:
        title = discord.utils.escape_markdown(update.source_title or update.source_url).replace(
            "]", "\\]"
        )
        embed.add_field(
            name="Source",
            value=shorten(f"[{title}]({update.source_url})", FIELD_VALUE_MAX),
            inline=False,
        )
    elif update.source_title:
        embed.add_field(
            name="Source", value=shorten(clean(update.source_title), FIELD_VALUE_MAX), inline=False
        )
    if update.edits:
        embed.set_footer(text=f"update {update.id} \u00b7 edited {len(update.edits)}\u00d7")
    else:
        embed.set_footer(text=f"update {update.id}")
    return embed


def stale_lines(stale: list[StaleEntry]) -> list[str]:
    lines = []
    for item in stale:
        asked = f", asked {item.asked}\u00d7" if item.asked else ""
        reasons = "; ".join(item.freshness.reason_texts)
        lines.append(shorten(f"**`{item.entry.id}`**{asked}: {reasons}", 400))
    return lines
