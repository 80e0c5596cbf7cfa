"""An answer as plain text: what the console prints and what `ask --json` calls `text`.

The Discord front end builds embeds from the same pieces (`quote_attribution`, `source_line`,
`as_of_line`, `stale_warning`) so every front end says the same thing in the same words.
"""

from __future__ import annotations

from bot.answering import Answer
from bot.knowledge.dates import human_day
from bot.knowledge.model import Entry, Source
from bot.state.records import Update

DECLINE = "I don't know that one yet."
NO_QUESTION = (
    "Ask me a question about surveillance-technology policy, for example: "
    '"When did San Francisco ban facial recognition?"'
)


def quote_attribution(entry: Entry) -> str:
    """'Evan Greer, Director, Fight for the Future, 10 June 2021'."""
    assert entry.quote is not None
    parts = [entry.quote.speaker]
    if entry.quote.role:
        parts.append(entry.quote.role)
    if entry.quote.said_on:
        parts.append(entry.quote.said_on.human())
    return ", ".join(parts)


def body_text(entry: Entry) -> str:
    """The answer, or the quote with its speaker, role, date and context."""
    if entry.quote is None:
        return entry.answer or ""
    lines = [f"\u201c{entry.quote.text}\u201d", f"\u2014 {quote_attribution(entry)}"]
    if entry.quote.context:
        lines.append(f"({entry.quote.context})")
    if entry.answer:
        lines.append(entry.answer)
    return "\n".join(lines)


def source_line(source: Source) -> str:
    """'Title, Publisher, June 2021: https://...'."""
    parts = [source.title, source.publisher]
    if source.published:
        parts.append(source.published.human())
    line = ", ".join(parts)
    if source.url:
        line += f": {source.url}"
    if source.archived_url:
        line += f" (archived: {source.archived_url})"
    return line


def as_of_line(entry: Entry) -> str:
    return f"As of {entry.as_of.human()} (last verified {entry.last_verified.isoformat()})."


def update_line(update: Update) -> str:
    """'26 November 2026: Boston repealed ... (Source title: https://...)'."""
    line = f"{human_day(update.posted_on)}: {update.text}"
    if update.source_url:
        line += f" ({update.source_title or 'source'}: {update.source_url})"
    elif update.source_title:
        line += f" ({update.source_title})"
    if update.edits:
        line += " [edited]"
    return line


UPDATES_HEADING = "Since this was last verified:"


def stale_warning(answer: Answer) -> str | None:
    if not answer.stale or answer.freshness is None:
        return None
    return "Warning: this entry may be out of date: " + "; ".join(answer.freshness.reason_texts)


def guess_note(answer: Answer) -> str | None:
    """Say when a fuzzy guess was made, so readers know to check (python-discord #231)."""
    if not answer.corrections:
        return None
    pairs = ", ".join(f'"{typed}" as "{meant}"' for typed, meant in answer.corrections)
    return f"(I read {pairs}.)"


def render_text(answer: Answer) -> str:
    """The whole answer as a reader sees it."""
    if answer.entry is None:
        return decline_text(answer)
    entry = answer.entry
    blocks = [body_text(entry)]
    blocks.append("Sources:\n" + "\n".join(f"- {source_line(s)}" for s in entry.sources))
    blocks.append(as_of_line(entry))
    if answer.updates:
        blocks.append(
            UPDATES_HEADING + "\n" + "\n".join(f"- {update_line(u)}" for u in answer.updates)
        )
    warning = stale_warning(answer)
    if warning:
        blocks.append(warning)
    note = guess_note(answer)
    if note:
        blocks.append(note)
    return "\n\n".join(blocks)


def decline_text(answer: Answer) -> str:
    if not answer.alternatives and not answer.question.strip():
        return NO_QUESTION
    lines = [DECLINE]
    if answer.alternatives:
        lines.append("Did you mean:")
        lines += [f"- {suggestion.question}" for suggestion in answer.alternatives]
    return "\n".join(lines)
