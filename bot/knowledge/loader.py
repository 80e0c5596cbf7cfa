"""Loading and validating a knowledge folder.

Validation reports every problem in one run, each with file, line and what to do, because a
maintainer fixing a pull request should not have to rerun the check once per mistake. Loading
succeeds only when there are no problems: the bot never serves a half-valid knowledge base.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from rapidfuzz import process, utils

from bot.knowledge import schema, text
from bot.knowledge.model import (
    DEFAULT_REVIEW_DAYS,
    Entry,
    Rebuilder,
    Topic,
    entry_from,
    entry_state,
    topic_from,
)
from bot.knowledge.yaml_source import MAX_FILE_BYTES, LineList, LineMap, line_of, parse_yaml

TOPICS_FILE = "topics.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the knowledge base, where it is, and how to fix it."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Location:
    """Where an entry is written, so tools can point at it or edit it in place."""

    path: Path
    line: int


@dataclass
class KnowledgeBase:
    """A validated knowledge base: entries by id (in file order) and topics by slug."""

    root: Path
    entries: dict[str, Entry]
    topics: dict[str, Topic]
    locations: dict[str, Location] = field(default_factory=dict)

    def review_every_days(self, entry: Entry) -> int:
        """The entry's review interval: its own, else its topics' shortest, else its kind's."""
        if entry.review_every_days is not None:
            return entry.review_every_days
        topic_days = [
            days
            for topic in entry.topics
            if topic in self.topics and (days := self.topics[topic].review_every_days) is not None
        ]
        return min(topic_days) if topic_days else DEFAULT_REVIEW_DAYS[entry.kind]

    def entries_in_topic(self, topic: str) -> list[Entry]:
        return [entry for entry in self.entries.values() if topic in entry.topics]

    def to_records(self, batch: int = 5000) -> Iterator[Any]:
        """The knowledge base as a stream of plain-data records (for the knowledge cache): a
        header, then entries in batches, so neither writing nor reading holds two copies."""
        paths = sorted({str(location.path) for location in self.locations.values()})
        number = {path: n for n, path in enumerate(paths)}
        topics = {
            slug: (t.title, t.description, t.review_every_days) for slug, t in self.topics.items()
        }
        yield {"root": str(self.root), "topics": topics, "paths": paths, "count": len(self.entries)}
        entries = list(self.entries.values())
        for start in range(0, len(entries), batch):
            yield tuple(
                (
                    entry_state(entry),
                    number[str(self.locations[entry.id].path)],
                    self.locations[entry.id].line,
                )
                for entry in entries[start : start + batch]
            )

    @classmethod
    def from_records(cls, records: Iterator[Any]) -> KnowledgeBase:
        header = next(records)
        paths = [Path(path) for path in header["paths"]]
        rebuild = Rebuilder()
        entries: dict[str, Entry] = {}
        locations: dict[str, Location] = {}
        while len(entries) < header["count"]:
            for state, path, line in next(records):
                entry = rebuild.entry(state)
                entries[entry.id] = entry
                locations[entry.id] = Location(paths[path], line)
        topics = {slug: Topic(*values) for slug, values in header["topics"].items()}
        return cls(Path(header["root"]), entries, topics, locations)


class KnowledgeError(Exception):
    """The knowledge base has problems; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"the knowledge base has {len(problems)} {noun}")

    def report(self) -> str:
        return "\n".join([str(self), *(str(problem) for problem in self.problems)])


def load_knowledge(root: Path | str, *, today: dt.date | None = None) -> KnowledgeBase:
    """Load and validate a knowledge folder; raise KnowledgeError listing every problem."""
    knowledge, problems = validate_knowledge(root, today=today)
    if problems or knowledge is None:
        raise KnowledgeError(problems)
    return knowledge


def validate_knowledge(
    root: Path | str, *, today: dt.date | None = None
) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Check a knowledge folder. Returns the knowledge base (None if any problem) and problems."""
    root = Path(root)
    today = today or dt.date.today()
    if not root.is_dir():
        return None, [Problem(str(root), None, "not a folder: give the knowledge folder's path")]
    checker = _Checker(root, today)
    checker.read_topics()
    for path in knowledge_files(root):
        checker.read_entry_file(path)
    checker.check_references()
    problems = sorted(set(checker.problems), key=lambda p: (p.path, p.line or 0, p.message))
    if problems:
        return None, problems
    return KnowledgeBase(root, checker.entries, checker.topics, checker.locations), []


def knowledge_files(root: Path) -> list[Path]:
    """Every entry file under root, any depth, in a stable order (topics.yaml excluded)."""
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix in YAML_SUFFIXES and path.is_file() and relative != Path(TOPICS_FILE):
            found.append(path)
    return sorted(found)


class _Lines:
    """The lines the cross-entry checks may need to point at, kept instead of the whole parsed
    tree (which, for 100,000 entries, is most of the loader's memory)."""

    __slots__ = ("entry", "items", "keys")
    _LISTS = ("topics", "related", "also_asked")
    _KEYS = ("question", "superseded_by")

    def __init__(self, entry: int, keys: dict[str, int], items: dict[str, list[int]]) -> None:
        self.entry = entry
        self.keys = keys
        self.items = items

    @classmethod
    def of(cls, raw: LineMap) -> _Lines:
        keys = {key: raw.key_lines[key] for key in cls._KEYS if key in raw.key_lines}
        items: dict[str, list[int]] = {}
        for key in cls._LISTS:
            value = raw.get(key)
            if isinstance(value, LineList):
                items[key] = list(value.item_lines)
            elif key in raw.key_lines:
                keys[key] = raw.key_lines[key]
        return cls(raw.line, keys, items)

    def line(self, key: str, index: int | None = None) -> int:
        if index is not None and key in self.items and index < len(self.items[key]):
            return self.items[key][index]
        return self.keys.get(key, self.entry)


class _Checker:
    """Collects entries, topics and problems across all files of one knowledge folder."""

    def __init__(self, root: Path, today: dt.date) -> None:
        self.root = root
        self.today = today
        self.problems: list[Problem] = []
        self.topics: dict[str, Topic] = {}
        self.topics_ok = False
        self.entries: dict[str, Entry] = {}
        self.locations: dict[str, Location] = {}
        self.first_place: dict[str, tuple[str, int | None]] = {}
        self.repeated: dict[str, list[tuple[str, int | None]]] = {}
        self.topic_slugs: set[str] = set()
        self.cwd = Path.cwd()
        self._shown: dict[str, str] = {}
        self.checked: list[tuple[str, _Lines, Entry]] = []

    def problem(self, path: Path | str, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.display(path), line, message))

    def display(self, path: Path | str) -> str:
        """The path as maintainers will type it: relative to where they run the command."""
        key = str(path)
        shown = self._shown.get(key)
        if shown is None:
            try:
                shown = str(Path(path).relative_to(self.cwd))
            except ValueError:
                shown = key
            self._shown[key] = shown
        return shown

    def read(self, path: Path) -> Any:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.problem(
                    path,
                    None,
                    f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}: split it into "
                    "several files",
                )
                return None
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            self.problem(path, None, f"not UTF-8 text ({error.reason}): save it as UTF-8")
            return None
        except OSError as error:
            self.problem(path, None, f"cannot read: {error.strerror}")
            return None
        data, parse_problems = parse_yaml(text)
        for parse_problem in parse_problems:
            self.problem(path, parse_problem.line, parse_problem.message)
        return None if parse_problems else data

    def read_topics(self) -> None:
        path = self.root / TOPICS_FILE
        if not path.is_file():
            self.problem(
                path,
                None,
                "missing: create it, mapping each topic slug to {title, description, "
                "review_every_days}",
            )
            return
        data = self.read(path)
        if data is None:
            return
        if not isinstance(data, LineMap):
            self.problem(path, getattr(data, "line", 1), "must map topic slugs to topics")
            return
        self.topics_ok = True
        for slug, raw in data.items():
            line = data.key_lines.get(slug)
            if not isinstance(slug, str) or not _is_slug(slug):
                self.problem(path, line, f"topic slug `{slug}` must use a-z, 0-9 and hyphens")
                continue
            self.topic_slugs.add(slug)
            try:
                self.topics[slug] = topic_from(schema.Topic.model_validate(raw))
            except ValidationError as error:
                for problem_line, message in _explain(error, raw, schema.Topic, line):
                    self.problem(path, problem_line, f"topic `{slug}`: {message}")

    def read_entry_file(self, path: Path) -> None:
        data = self.read(path)
        if data is None:
            return
        if isinstance(data, LineMap):
            items: Iterable[tuple[Any, int | None]] = [(data, data.line)]
        elif isinstance(data, list):
            items = zip(data, data.item_lines, strict=True)  # type: ignore[attr-defined]
        else:
            self.problem(path, 1, "a knowledge file holds one entry (a mapping) or a list of them")
            return
        for raw, line in items:
            if not isinstance(raw, LineMap):
                self.problem(path, line, "each entry must be a mapping of fields (id, kind, ...)")
                continue
            self.read_entry(path, raw)

    def read_entry(self, path: Path, raw: LineMap) -> None:
        raw_id = raw.get("id")
        if isinstance(raw_id, str):
            place = (self.display(path), raw.line)
            first = self.first_place.setdefault(raw_id, place)
            if first is not place:
                self.repeated.setdefault(raw_id, [first]).append(place)
        try:
            entry = entry_from(schema.Entry.model_validate(raw))
        except ValidationError as error:
            label = f"entry `{raw_id}`: " if isinstance(raw_id, str) else ""
            for line, message in _explain(error, raw, schema.Entry, raw.line):
                self.problem(path, line, label + message)
            return
        self.checked.append((self.display(path), _Lines.of(raw), entry))
        if entry.id in self.entries:
            return  # reported as a duplicate in check_references
        self.entries[entry.id] = entry
        self.locations[entry.id] = Location(path, raw.line)
        self.check_dates(path, raw, entry)

    def check_dates(self, path: Path, raw: LineMap, entry: Entry) -> None:
        line = raw.key_lines.get("last_verified", raw.line)
        if entry.last_verified > self.today:
            self.problem(
                path,
                line,
                f"entry `{entry.id}`: last_verified {entry.last_verified} is in the future "
                f"(today is {self.today}): use the date you checked the sources",
            )
        if entry.last_verified < entry.as_of.first_day:
            self.problem(
                path,
                line,
                f"entry `{entry.id}`: last_verified {entry.last_verified} is before as_of "
                f"{entry.as_of}: an entry cannot be checked before the date it describes",
            )

    def check_references(self) -> None:
        for entry_id, places in self.repeated.items():
            where = ", ".join(f"{p}:{line}" for p, line in places)
            for place, line in places:
                self.problem(
                    place,
                    line,
                    f"duplicate id `{entry_id}` (defined at {where}): ids must be unique "
                    "across all files; rename one",
                )
        known_ids = self.first_place.keys()
        # Keyed by hash, not by the text: 300,000 phrasings as dict keys cost tens of megabytes.
        # A shared hash is confirmed by comparing the texts before anything is reported.
        phrasing_owner: dict[int, tuple[int, int]] = {}
        for number, (place, lines, entry) in enumerate(self.checked):
            for index, topic in enumerate(entry.topics):
                if self.topics_ok and topic not in self.topic_slugs:
                    line = lines.line("topics", index)
                    self.problem(
                        place,
                        line,
                        f"entry `{entry.id}`: unknown topic `{topic}`"
                        f"{_suggest(topic, self.topic_slugs)}; "
                        f"add it to {TOPICS_FILE} or fix the slug",
                    )
            for index, other in enumerate(entry.related):
                self.check_pointer(place, lines, entry, ("related", index), other, known_ids)
            if entry.superseded_by is not None:
                self.check_pointer(
                    place, lines, entry, ("superseded_by",), entry.superseded_by, known_ids
                )
            for index, phrasing in enumerate(entry.phrasings):
                key = utils.default_process(text.fold(phrasing))
                if not key:
                    continue
                owner_number, owner_index = phrasing_owner.setdefault(hash(key), (number, index))
                owner = self.checked[owner_number][2]
                if owner.id == entry.id:
                    continue
                if utils.default_process(text.fold(owner.phrasings[owner_index])) == key:
                    self.problem(
                        place,
                        lines.line("question")
                        if index == 0
                        else lines.line("also_asked", index - 1),
                        f"entry `{entry.id}`: the phrasing '{phrasing}' is also used by entry "
                        f"`{owner.id}`; a phrasing must lead to one entry",
                    )

    def check_pointer(
        self,
        place: str,
        lines: _Lines,
        entry: Entry,
        path: tuple[Any, ...],
        target: str,
        known_ids: set[str],
    ) -> None:
        field_name = path[0]
        if target == entry.id:
            self.problem(place, lines.line(*path), f"entry `{entry.id}`: {field_name} names itself")
        elif target not in known_ids:
            self.problem(
                place,
                lines.line(*path),
                f"entry `{entry.id}`: {field_name} points to `{target}`, which does not exist"
                f"{_suggest(target, known_ids - {entry.id})}",
            )


def _is_slug(value: str) -> bool:
    return bool(value) and all(ch.islower() or ch.isdigit() or ch == "-" for ch in value)


def _suggest(value: str, choices: Iterable[str]) -> str:
    match = process.extractOne(value, list(choices), score_cutoff=75)
    return f" (did you mean `{match[0]}`?)" if match else ""


def _explain(
    error: ValidationError, raw: Any, model: type[BaseModel], fallback_line: int | None
) -> Iterator[tuple[int | None, str]]:
    """Turn pydantic's errors into (line, message) pairs a maintainer can act on."""
    for detail in error.errors(include_url=False):
        location = tuple(step for step in detail["loc"] if not _is_union_tag(step))
        line = line_of(raw, location) or fallback_line
        yield line, _message(detail["type"], location, detail, model)


def _is_union_tag(step: Any) -> bool:
    return isinstance(step, str) and ("[" in step or step in {"function-after", "function-before"})


def _message(kind: str, location: tuple[Any, ...], detail: dict[str, Any], model: type) -> str:
    name = _field_path(location)
    context = detail.get("ctx") or {}
    if kind == "missing":
        return f"missing required field `{name}`"
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_fields(model, location[:-1]))
        return f"unknown field `{name}` (allowed here: {allowed}); check its spelling or remove it"
    if kind == "literal_error":
        return f"`{name}` must be one of {context.get('expected', '')}"
    if kind in {"string_type", "str_type"}:
        return f"`{name}` must be text, not {_type_name(detail.get('input'))}"
    if kind == "list_type":
        return f"`{name}` must be a list (one `- item` a line)"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"`{name}` must be a mapping of fields"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"`{name}` must be a whole number"
    if kind == "greater_than":
        return f"`{name}` must be greater than {context.get('gt')}"
    if kind == "less_than_equal":
        return f"`{name}` must be at most {context.get('le')}"
    if kind == "string_pattern_mismatch":
        return f"`{name}` must use only lowercase letters, digits and hyphens (like `ring-police`)"
    if kind == "string_too_short":
        return f"`{name}` must not be empty"
    if kind == "string_too_long":
        return f"`{name}` is too long (at most {context.get('max_length')} characters)"
    if kind == "too_short":
        return f"`{name}` needs at least {context.get('min_length', 1)} item"
    if kind == "value_error":
        message = str(context.get("error", detail.get("msg", "")))
        return f"`{name}`: {message}" if name else message
    return f"`{name}`: {detail.get('msg', kind)}" if name else str(detail.get("msg", kind))


def _field_path(location: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for step in location:
        if isinstance(step, int):
            parts.append(f"[{step + 1}]")
        else:
            parts.append(("." if parts else "") + str(step))
    return "".join(parts)


def _allowed_fields(model: type, location: tuple[Any, ...]) -> list[str]:
    """The fields of the (nested) model at `location`, for 'unknown field' messages."""
    current: Any = model
    for step in location:
        if isinstance(step, int):
            continue
        info = getattr(current, "model_fields", {}).get(step)
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _type_name(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.date):
        return "a date (quote it)"
    return type(value).__name__
