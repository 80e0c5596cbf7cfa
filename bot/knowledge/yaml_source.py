"""Reading YAML so that every value remembers the line it came from.

Maintainers fix files by line number, so the loader keeps a line for every mapping key and list
item. It uses PyYAML's C parser when present (much faster on large knowledge bases) and refuses the
YAML features a knowledge file never needs but an attacker or a typo can abuse: anchors and aliases
(exponential "billion laughs" documents), duplicate keys (the second silently wins in PyYAML) and
files too large to be a knowledge file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C parser is 5-10x faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 16 * 1024 * 1024
"""A knowledge file larger than this is refused rather than parsed (benchmarks use 100k entries in
many files; one hand-written file is a few hundred kilobytes)."""

MAX_DEPTH = 40
"""Knowledge files nest four levels deep; anything past this is malformed or hostile."""


class LineMap(dict):
    """A dict that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    """A list that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


@dataclass
class ParseProblem:
    line: int | None
    message: str


@dataclass
class _Notes:
    problems: list[ParseProblem] = field(default_factory=list)


class _LineLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A safe loader that records lines, forbids aliases and reports duplicate keys."""

    def __init__(self, stream: Any, notes: _Notes) -> None:
        super().__init__(stream)
        self.notes = notes
        self.depth = 0

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "anchors and aliases (&name / *name) are not allowed in knowledge files: "
                "write the value out in full",
                node.start_mark,
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.constructor.ConstructorError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark
                )
            return super().construct_object(node, deep=True)
        finally:
            self.depth -= 1

    def construct_line_map(self, node: yaml.MappingNode) -> LineMap:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark
            )
        mapping = LineMap()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str | int | float | bool) and key is not None:
                self.notes.problems.append(
                    ParseProblem(key_line, "a key must be plain text, not a list or mapping")
                )
                continue
            if key in mapping:
                self.notes.problems.append(
                    ParseProblem(
                        key_line,
                        f"duplicate key `{key}` (first at line {mapping.key_lines[key]}): "
                        "keep one of them",
                    )
                )
            mapping[key] = self.construct_object(value_node)
            mapping.key_lines[key] = key_line
        return mapping

    def construct_line_list(self, node: yaml.SequenceNode) -> LineList:
        items = LineList()
        items.line = node.start_mark.line + 1
        items.item_lines = []
        for child in node.value:
            items.append(self.construct_object(child))
            items.item_lines.append(child.start_mark.line + 1)
        return items

    def construct_timestamp_or_text(self, node: yaml.ScalarNode) -> Any:
        """A date, or the text as written when it only looks like one (2021-02-30), so that
        validation can say what is wrong with it instead of the parser failing."""
        try:
            return self.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_timestamp_or_text)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_line_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_line_list)
_LineLoader.add_constructor("tag:yaml.org,2002:omap", _LineLoader.construct_line_list)


def parse_yaml(text: str) -> tuple[Any, list[ParseProblem]]:
    """Parse one YAML document. Returns (data or None, problems); never raises on bad input."""
    notes = _Notes()
    loader = _LineLoader(text, notes)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(part for part in (error.context, error.problem) if part)
        return None, [ParseProblem(line, f"YAML syntax: {problem or error}")]
    except yaml.YAMLError as error:
        return None, [ParseProblem(None, f"YAML syntax: {error}")]
    except RecursionError:
        return None, [ParseProblem(None, f"nested more than {MAX_DEPTH} levels deep")]
    except (ValueError, TypeError, OverflowError) as error:  # a scalar PyYAML cannot build
        return None, [ParseProblem(None, f"unreadable value: {error}")]
    finally:
        loader.dispose()
    return data, notes.problems


def line_of(data: Any, path: tuple[Any, ...]) -> int | None:
    """The line of the deepest value along `path` (keys and list indexes) that exists."""
    line = getattr(data, "line", None) or None
    node = data
    for step in path:
        if isinstance(node, LineMap) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line
