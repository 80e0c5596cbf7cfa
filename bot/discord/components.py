"""Buttons, selects and modals that keep working after the bot restarts.

Each is a discord.py `DynamicItem`: everything it needs (the entry, the kind of vote, the page) is
in its custom id, so an answer posted last month still takes feedback today. Custom ids are at most
100 characters; an entry id too long to fit is carried as a short hash and looked up again.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.discord.embeds import answer_embed, decline_embed, shorten
from bot.discord.errors import report_error, send_private
from bot.state.records import MAX_NOTE_CHARS

if TYPE_CHECKING:
    from bot.answering import Answer
    from bot.discord.client import OversightBot
    from bot.knowledge.model import Entry

MAX_REF = 80


def entry_ref(entry_id: str) -> str:
    """The entry id, or '#' and a hash of it when the id is too long for a custom id."""
    if len(entry_id) <= MAX_REF:
        return entry_id
    return "#" + hashlib.sha1(entry_id.encode()).hexdigest()[:16]


def resolve_ref(bot: OversightBot, ref: str) -> Entry | None:
    entries = bot.service.knowledge.entries
    if not ref.startswith("#"):
        return entries.get(ref)
    return next((e for i, e in entries.items() if entry_ref(i) == ref), None)


def _bot(interaction: discord.Interaction) -> OversightBot:
    return interaction.client  # type: ignore[return-value]


def answer_message(answer: Answer) -> dict[str, Any]:
    """Keyword arguments for sending an answer: its embed and the right view."""
    if answer.entry is not None:
        return {"embed": answer_embed(answer), "view": FeedbackView(answer.entry.id)}
    message: dict[str, Any] = {"embed": decline_embed(answer)}
    if answer.alternatives:
        message["view"] = SuggestionView(answer)
    return message


async def show_entry(
    interaction: discord.Interaction, entry: Entry, *, ephemeral: bool = False
) -> None:
    """Reply with one entry, rendered like an answer, with feedback buttons."""
    bot = _bot(interaction)
    answer = bot.service.show(entry)
    await interaction.response.send_message(**answer_message(answer), ephemeral=ephemeral)
    await bot.off_loop(bot.service.record, answer)


# -- paging --------------------------------------------------------------------------------------

PAGE_TAGS = {"Previous": "prev", "Next": "next"}
PAGE_LABELS = {tag: label for label, tag in PAGE_TAGS.items()}


def page_button(prefix: str, page: int, label: str, *, disabled: bool) -> discord.ui.Button:
    """A Previous/Next button whose custom id carries the page it leads to, so paging works on
    messages posted before a restart. `prefix` identifies the list (`ov:topic:ring-and-police`)."""
    return discord.ui.Button(
        label=label,
        style=discord.ButtonStyle.secondary,
        custom_id=f"{prefix}:{max(page, 0)}:{PAGE_TAGS[label]}",
        disabled=disabled,
    )


# -- feedback ------------------------------------------------------------------------------------

FEEDBACK_KINDS = {
    "h": ("helpful", "Helpful", discord.ButtonStyle.success),
    "n": ("not_helpful", "Not helpful", discord.ButtonStyle.secondary),
    "o": ("outdated", "Outdated or wrong", discord.ButtonStyle.danger),
}
THANKS = {
    "helpful": "Thanks! Glad it helped.",
    "not_helpful": "Thanks for telling us. The maintainers see these counts.",
    "outdated": "Thanks for the report. The maintainers will re-check this entry.",
}


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"ov:fb:(?P<kind>[hno]):(?P<ref>#?[a-z0-9-]+)",
):
    """Helpful / Not helpful / Outdated or wrong, on every answer."""

    def __init__(self, kind: str, ref: str) -> None:
        _, label, style = FEEDBACK_KINDS[kind]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"ov:fb:{kind}:{ref}")
        )
        self.kind = kind
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> FeedbackButton:
        return cls(match["kind"], match["ref"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        entry = resolve_ref(bot, self.ref)
        if entry is None:
            await send_private(interaction, "That entry is no longer in the knowledge base.")
            return
        verdict = bot.feedback_limiter.hit(interaction.user.id)
        if not verdict.allowed:
            await send_private(
                interaction,
                f"That's a lot of clicks: try again in {verdict.retry_after:.0f} seconds.",
            )
            return
        kind = FEEDBACK_KINDS[self.kind][0]
        if kind == "outdated":
            await interaction.response.send_modal(OutdatedModal(entry))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        counted = (
            await bot.off_loop(
                bot.service.store.record_feedback, entry.id, kind, bot.user_hash(interaction.user)
            )
            if bot.service.store
            else False
        )
        await interaction.followup.send(
            THANKS[kind]
            if counted
            else "You already gave this feedback on this entry: one vote each.",
            ephemeral=True,
        )

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error, "feedback button")


class OutdatedModal(discord.ui.Modal, title="Outdated or wrong?"):
    """Asks, optionally, what is out of date; the note goes to the maintainers."""

    note: discord.ui.TextInput[OutdatedModal] = discord.ui.TextInput(
        label="What's out of date or wrong? (optional)",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=MAX_NOTE_CHARS,
        placeholder="A newer figure, a correction, a link to a source...",
        custom_id="note",
    )

    def __init__(self, entry: Entry) -> None:
        super().__init__(custom_id=f"ov:report:{entry_ref(entry.id)}")
        self.entry = entry

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        counted = False
        if bot.service.store is not None:
            counted = await bot.off_loop(
                bot.service.store.record_feedback,
                self.entry.id,
                "outdated",
                bot.user_hash(interaction.user),
                note=self.note.value.strip() or None,
            )
            await bot.off_loop(bot.service.refresh)
        await interaction.followup.send(
            THANKS["outdated"] if counted else "You already reported this entry; thanks again.",
            ephemeral=True,
        )

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error, "outdated report")


class FeedbackView(discord.ui.View):
    def __init__(self, entry_id: str) -> None:
        super().__init__(timeout=None)
        ref = entry_ref(entry_id)
        for kind in FEEDBACK_KINDS:
            self.add_item(FeedbackButton(kind, ref))


# -- picking an entry from a list ----------------------------------------------------------------


class PickSelect(
    discord.ui.DynamicItem[discord.ui.Select], template=r"ov:pick(?::(?P<tag>[a-z0-9-]+))?"
):
    """A menu of entries (did-you-mean suggestions, quote results, a topic page); picking one
    shows it."""

    def __init__(self, options: list[discord.SelectOption] | None = None, tag: str = "") -> None:
        custom_id = f"ov:pick:{tag}" if tag else "ov:pick"
        super().__init__(
            discord.ui.Select(
                custom_id=custom_id,
                placeholder="Pick a question to see its answer",
                options=options or [discord.SelectOption(label="-", value="-")],
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str]
    ) -> PickSelect:
        picked = cls(tag=match["tag"] or "")
        picked.item = item
        return picked

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        values = (interaction.data or {}).get("values") or self.item.values
        entry = resolve_ref(bot, values[0]) if values else None
        if entry is None:
            await send_private(interaction, "That entry is no longer in the knowledge base.")
            return
        await show_entry(interaction, entry)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error, "entry menu")


def entry_options(entries: list[Entry]) -> list[discord.SelectOption]:
    return [
        discord.SelectOption(
            label=shorten(entry.question, 100),
            value=entry_ref(entry.id),
            description=shorten(entry.id, 100),
        )
        for entry in entries[:25]
    ]


class SuggestionView(discord.ui.View):
    """The did-you-mean menu under a declined question."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(timeout=None)
        options = [
            discord.SelectOption(label=shorten(s.question, 100), value=entry_ref(s.entry_id))
            for s in answer.alternatives
        ]
        self.add_item(PickSelect(options))
