"""`kb verify`: record that a person re-checked entries, by editing `last_verified` in place.

The edit is a line edit guided by the loader's line numbers, not a re-serialisation of the YAML:
it changes exactly the `last_verified` line of each named entry and nothing else, so comments, key
order, quoting, folding and indentation stay as the maintainer wrote them and the pull-request diff
shows only what was verified. The result is validated before it is kept.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.loader import KnowledgeBase, KnowledgeError, validate_knowledge
from bot.knowledge.yaml_source import LineList, LineMap, parse_yaml

_VALUE = re.compile(
    r"(?P<head>(?:^|[\s{,])last_verified\s*:\s*)(?P<quote>['\"]?)(?P<date>\d{4}-\d{2}-\d{2})(?P=quote)"
)


class VerifyError(Exception):
    """The entries could not be marked verified; nothing was changed."""


@dataclass(frozen=True)
class Verified:
    entry_id: str
    path: Path
    line: int
    previous: str


def mark_verified(
    knowledge: KnowledgeBase, entry_ids: list[str], day: dt.date, *, today: dt.date | None = None
) -> list[Verified]:
    """Set `last_verified: day` on each entry; all or nothing."""
    today = today or dt.date.today()
    if day > today:
        raise VerifyError(f"{day} is in the future: use the date you checked the sources")
    unknown = [entry_id for entry_id in entry_ids if entry_id not in knowledge.entries]
    if unknown:
        raise VerifyError(f"no entry has the id {', '.join(unknown)}: check `oversight kb stale`")
    for entry_id in entry_ids:
        as_of = knowledge.entries[entry_id].as_of
        if day < as_of.first_day:
            raise VerifyError(f"{day} is before {entry_id}'s as_of {as_of}")
    originals: dict[Path, str] = {}
    done: list[Verified] = []
    by_file: dict[Path, list[str]] = {}
    for entry_id in dict.fromkeys(entry_ids):
        by_file.setdefault(knowledge.locations[entry_id].path, []).append(entry_id)
    for path, ids in by_file.items():
        original = path.read_text(encoding="utf-8")
        originals[path] = original
        lines = original.splitlines(keepends=True)
        for entry_id in ids:
            line_number = _last_verified_line(original, entry_id)
            index = line_number - 1
            match = _VALUE.search(lines[index])
            if match is None:
                raise VerifyError(f"{path}:{line_number}: cannot read the last_verified value")
            lines[index] = (
                lines[index][: match.start("date")]
                + day.isoformat()
                + lines[index][match.end("date") :]
            )
            done.append(Verified(entry_id, path, line_number, match["date"]))
        path.write_text("".join(lines), encoding="utf-8")
    _, problems = validate_knowledge(knowledge.root, today=today)
    if problems:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
        raise KnowledgeError(problems)
    return done


def _last_verified_line(text: str, entry_id: str) -> int:
    data, problems = parse_yaml(text)
    if problems:
        raise VerifyError(f"the file no longer parses: {problems[0].message}")
    entries = data if isinstance(data, LineList) else [data]
    for entry in entries:
        if isinstance(entry, LineMap) and entry.get("id") == entry_id:
            line = entry.key_lines.get("last_verified")
            if line is None:
                raise VerifyError(f"entry {entry_id} has no last_verified to update")
            return line
    raise VerifyError(f"entry {entry_id} was not found where the loader saw it; reload and retry")
