"""The knowledge-base contract as pydantic models: entries, quotes, sources and topics.

These models are the single statement of the format in DESIGN.md. The loader validates YAML with
them and `knowledge/schema.json` is generated from them. Once valid, an entry becomes the compact
runtime `bot.knowledge.model.Entry`: pydantic instances cost over a kilobyte each in bookkeeping,
which at 100,000 entries is most of the bot's memory.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from bot.knowledge.dates import DAY_PATTERN, MONTH_PATTERN, YEAR_PATTERN, PartialDate, parse_day
from bot.knowledge.model import ANSWER_MAX_CHARS

ID_PATTERN = r"^[a-z0-9-]+$"
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _check_url(value: str) -> str:
    if not _URL_RE.match(value):
        raise ValueError(f"'{value}' is not a web address: it must start with http:// or https://")
    return value


def _date_field(*, allow_month: bool, allow_year: bool, pattern: str, example: str):
    return Annotated[
        PartialDate,
        BeforeValidator(partial(PartialDate.parse, allow_month=allow_month, allow_year=allow_year)),
        PlainSerializer(str, return_type=str),
        WithJsonSchema({"type": "string", "pattern": pattern, "examples": [example]}),
    ]


MonthDate = _date_field(
    allow_month=True, allow_year=False, pattern=MONTH_PATTERN, example="2021-06"
)
"""YYYY-MM-DD or YYYY-MM: `as_of`."""

LooseDate = _date_field(allow_month=True, allow_year=True, pattern=YEAR_PATTERN, example="2021-06")
"""YYYY-MM-DD, YYYY-MM or YYYY: when a source or quote gives only the year."""

Day = Annotated[
    dt.date,
    BeforeValidator(parse_day),
    PlainSerializer(lambda day: day.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "pattern": DAY_PATTERN, "examples": ["2026-11-26"]}),
]
"""A full YYYY-MM-DD date: `last_verified`."""

Url = Annotated[
    str, AfterValidator(_check_url), WithJsonSchema({"type": "string", "pattern": "^https?://"})
]
Slug = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=100)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    """Unknown fields are errors (a misspelt `last_verifed` must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Strict):
    """Where a fact or quote can be checked."""

    title: Text
    publisher: Text
    url: Url | None = None
    published: LooseDate | None = None
    archived_url: Url | None = None


class Quote(_Strict):
    """A verbatim quote with who said it, in what role and when."""

    text: Text = Field(description="verbatim from the source")
    speaker: Text
    role: Text | None = None
    said_on: LooseDate | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    context: Text | None = None


class Topic(_Strict):
    """A topic from topics.yaml. Without `review_every_days`, its entries use their kind's
    default (fact 180 days, quote 730) unless they set their own."""

    title: Text
    description: Text
    review_every_days: int | None = Field(default=None, gt=0, le=3650)


class Entry(_Strict):
    """One fact or quote: the unit the bot answers with."""

    id: Slug
    kind: Literal["fact", "quote"]
    question: Text
    also_asked: list[Text] = Field(default_factory=list)
    answer: Text | None = None
    quote: Quote | None = None
    topics: list[Slug] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    as_of: MonthDate
    last_verified: Day
    review_every_days: int | None = Field(default=None, gt=0, le=3650)
    related: list[Slug] = Field(default_factory=list)
    superseded_by: Slug | None = None

    @model_validator(mode="after")
    def _kind_has_its_body(self) -> Entry:
        if self.kind == "fact":
            if self.answer is None:
                raise ValueError("a fact needs an `answer`")
            if self.quote is not None:
                raise ValueError("a fact cannot have a `quote`: set `kind: quote` or remove it")
        if self.kind == "quote" and self.quote is None:
            raise ValueError("a quote entry needs a `quote` with `text` and `speaker`")
        if self.answer is not None and len(self.answer) > ANSWER_MAX_CHARS:
            raise ValueError(
                f"`answer` is {len(self.answer):,} characters; the limit is {ANSWER_MAX_CHARS:,}: "
                "shorten it or split it into related entries"
            )
        return self


def entry_file_schema() -> dict:
    """JSON Schema for one knowledge file: a single entry or a list of entries."""
    entry_schema = Entry.model_json_schema(mode="validation")
    definitions = entry_schema.pop("$defs", {})
    definitions["Entry"] = entry_schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Oversight knowledge file",
        "description": "One entry (a mapping) or a list of entries. Generated from "
        "bot/knowledge/schema.py by `oversight kb schema`; do not edit by hand.",
        "anyOf": [
            {"$ref": "#/$defs/Entry"},
            {"type": "array", "items": {"$ref": "#/$defs/Entry"}},
        ],
        "$defs": definitions,
    }
