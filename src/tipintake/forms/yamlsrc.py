"""YAML to plain data that remembers line numbers, for error messages that point at a line.

The document is composed into PyYAML nodes (libyaml when available) and converted here,
not by PyYAML's constructors: every scalar stays a string (so a country code ``NO`` or a
choice ``yes`` is never turned into a boolean), empty scalars become None, and no tag
can construct an object. Aliases are bounded so that a "billion laughs" file fails fast.
"""

from __future__ import annotations

from typing import Any

import yaml

from tipintake.errors import FormError
from tipintake.i18n import _

try:  # libyaml composes ~10x faster; the pure-Python loader gives the same marks
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_NODES = 200_000
MAX_DEPTH = 50


class LDict(dict):
    """A mapping with the line it starts on and the line of each key (1-based)."""

    line: int = 0
    lines: dict[str, int]


class LList(list):
    """A sequence with the line it starts on and the line of each item (1-based)."""

    line: int = 0
    lines: list[int]


def line_of(value: Any, key: str | int | None = None, default: int | None = None) -> int | None:
    """The line of ``value`` (or of its ``key``/index) when it came from YAML."""
    if isinstance(value, LDict):
        if key is not None and key in value.lines:
            return value.lines[key]  # type: ignore[index]
        return value.line
    if isinstance(value, LList):
        if isinstance(key, int) and 0 <= key < len(value.lines):
            return value.lines[key]
        return value.line
    return default


def load_yaml(text: str, path: str) -> Any:
    """Parse YAML text into LDict/LList/str/None; raises FormError naming the file and line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "?"
        raise FormError(path, line, _("this is not valid YAML ({problem})").format(problem=problem)) from None
    except yaml.YAMLError as exc:
        raise FormError(path, None, _("this is not valid YAML ({problem})").format(problem=str(exc)[:200])) from None
    except (RecursionError, MemoryError):
        raise FormError(path, None, _("the YAML is nested too deeply")) from None
    if node is None:
        return None
    return _Converter(path).convert(node, 0)


class _Converter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0

    def convert(self, node: yaml.Node, depth: int) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.count > MAX_NODES:
            raise FormError(self.path, line, _("the file is too large or repeats itself too often"))
        if depth > MAX_DEPTH:
            raise FormError(self.path, line, _("the YAML is nested too deeply"))
        if isinstance(node, yaml.ScalarNode):
            if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            seq = LList()
            seq.line = line
            seq.lines = []
            for item in node.value:
                seq.lines.append(item.start_mark.line + 1)
                seq.append(self.convert(item, depth + 1))
            return seq
        if isinstance(node, yaml.MappingNode):
            out = LDict()
            out.line = line
            out.lines = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise FormError(self.path, key_node.start_mark.line + 1, _("a key must be plain text"))
                key = key_node.value
                if key == "<<":
                    raise FormError(self.path, key_node.start_mark.line + 1, _("YAML merge keys (<<) are not supported"))
                if key in out:
                    raise FormError(
                        self.path, key_node.start_mark.line + 1,
                        _("the key '{key}' appears twice").format(key=key),
                    )
                out.lines[key] = key_node.start_mark.line + 1
                out[key] = self.convert(value_node, depth + 1)
            return out
        raise FormError(self.path, line, _("unsupported YAML node"))  # pragma: no cover
