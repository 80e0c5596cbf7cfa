"""Dates as the knowledge base writes them.

Sources and quotes often give only a month or a year ("published June 2021"). The contract forbids
inventing the missing day, so a date here keeps its precision: `PartialDate` compares by the first
and last day it could mean, and prints exactly as it was written.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
MONTH_PATTERN = r"^\d{4}-\d{2}(-\d{2})?$"
YEAR_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@dataclass(frozen=True, order=False, slots=True)
class PartialDate:
    """A date known to the day, the month or the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(
        cls, value: Any, *, allow_month: bool = True, allow_year: bool = False
    ) -> PartialDate:
        """Read a YAML value (a `date`, or a string such as '2021-06'); raise ValueError if bad."""
        if isinstance(value, dt.datetime):
            raise ValueError("give a date without a time, as YYYY-MM-DD")
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if not isinstance(value, str):
            raise ValueError(f"expected a date as YYYY-MM-DD, got {type(value).__name__}")
        match = _PATTERN.match(value.strip())
        if not match:
            raise ValueError(
                f"'{value}' is not a date: write it as {_shapes(allow_month, allow_year)}"
            )
        year, month, day = (int(part) if part else None for part in match.groups())
        if month is None and not allow_year:
            raise ValueError(
                f"'{value}' needs at least a month: write {_shapes(allow_month, False)}"
            )
        if day is None and month is not None and not allow_month:
            raise ValueError(f"'{value}' needs a day: write it as YYYY-MM-DD")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{value}' has month {month}; months run 01 to 12")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"'{value}' has day {day}; that month has {last} days")
        return cls(year, month, day)

    @property
    def first_day(self) -> dt.date:
        """The earliest day this date could mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The latest day this date could mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    @property
    def is_full(self) -> bool:
        return self.day is not None

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def human(self) -> str:
        """'10 June 2021', 'June 2021' or '2021': what a reader sees."""
        if self.month is None:
            return str(self.year)
        month_name = calendar.month_name[self.month]
        if self.day is None:
            return f"{month_name} {self.year}"
        return f"{self.day} {month_name} {self.year}"


def _shapes(allow_month: bool, allow_year: bool) -> str:
    shapes = ["YYYY-MM-DD"]
    if allow_month:
        shapes.append("YYYY-MM")
    if allow_year:
        shapes.append("YYYY")
    return " or ".join(shapes)


def parse_day(value: Any) -> dt.date:
    """A full date (YYYY-MM-DD) as `datetime.date`; raise ValueError if bad or partial."""
    return PartialDate.parse(value, allow_month=False).first_day


def human_day(day: dt.date) -> str:
    return PartialDate(day.year, day.month, day.day).human()
