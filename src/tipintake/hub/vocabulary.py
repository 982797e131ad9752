"""The hub's data-element vocabulary: allowed elements, their values, identifiers, releases.

The vocabulary is data (``vocabulary.yaml`` beside this module, or a partner's own
file), validated by pydantic when loaded. It answers three questions about each
incoming record: does it carry a direct identifier (then it is rejected whole), does
every element exist with a valid value, and what are its released values (the
columns of the CTDC-format publication, rendered as text).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tipintake.errors import UserError

_NAME = r"^[A-Za-z][A-Za-z0-9_]{0,79}$"
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LIST_ITEM = re.compile(r"^[A-Za-z0-9 ,/()_-]{1,80}$")


class Element(BaseModel):
    """One standard element a record may carry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=_NAME)
    kind: Literal["integer", "code", "flag", "country", "list"]
    values: list[str] | None = None
    min: int | None = None
    max: int | None = None
    released: bool = False

    @model_validator(mode="after")
    def _values_only_for_codes(self) -> Element:
        if (self.kind == "code") != (self.values is not None):
            raise ValueError(f"element {self.name}: 'values' is required for kind code and only there")
        return self


class Vocabulary(BaseModel):
    """The whole vocabulary file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    k: int = Field(ge=2)
    missing_values: list[str]
    regions: list[str] = Field(default_factory=list)  # accepted wherever a country is (UN M49)
    elements: list[Element]
    identifiers: list[str]

    @model_validator(mode="after")
    def _consistent(self) -> Vocabulary:
        names = [e.name for e in self.elements]
        if len(set(names)) != len(names):
            raise ValueError("element names must be unique")
        clash = {n.lower() for n in names} & {i.lower() for i in self.identifiers}
        if clash:
            raise ValueError(f"elements listed as identifiers too: {sorted(clash)}")
        if not any(e.released for e in self.elements):
            raise ValueError("at least one element must be released")
        return self

    @cached_property
    def by_name(self) -> dict[str, Element]:
        return {e.name: e for e in self.elements}

    @cached_property
    def region_set(self) -> frozenset[str]:
        return frozenset(self.regions)

    @cached_property
    def identifier_names(self) -> frozenset[str]:
        return frozenset(i.lower() for i in self.identifiers)

    @cached_property
    def released(self) -> list[str]:
        """Released element names, in publication (CSV column) order."""
        return [e.name for e in self.elements if e.released]

    def problem(self, values: dict[str, Any]) -> str | None:
        """Why a record's values cannot be stored (one sentence), or None when they can."""
        for name in values:
            if name.lower() in self.identifier_names:
                return f"The record carries the direct identifier element '{name}', so it was rejected whole."
        for name, value in values.items():
            element = self.by_name.get(name)
            if element is None:
                return f"The element '{name}' is not in the hub's vocabulary."
            if not self._valid(element, value):
                return f"The value of '{name}' is not allowed for that element."
        return None

    def _valid(self, element: Element, value: Any) -> bool:
        if value is None or (isinstance(value, str) and value in self.missing_values):
            return True
        kind = element.kind
        if kind == "flag":
            return value in (0, 1) and not isinstance(value, str)  # True/False are 1/0
        if kind == "integer":
            return (
                isinstance(value, int) and not isinstance(value, bool)
                and (element.min is None or value >= element.min)
                and (element.max is None or value <= element.max)
            )
        if kind == "code":
            return isinstance(value, str) and value in (element.values or ())
        if kind == "country":
            return isinstance(value, str) and (bool(_COUNTRY.match(value)) or value in self.region_set)
        if value == "":  # a concatenation of all-zero flags: known, and none applies
            return True
        items = value.split(";") if isinstance(value, str) else value
        return isinstance(items, list) and len(items) <= 30 and all(
            isinstance(i, str) and _LIST_ITEM.match(i.strip()) for i in items
        )

    @cached_property
    def released_index(self) -> dict[str, int]:
        """Column position of each released element."""
        return {name: i for i, name in enumerate(self.released)}

    def released_row(self, values: dict[str, Any]) -> list[str | None]:
        """The released values of a record as CSV text, in column order (None when absent)."""
        # A record carries a dozen of the ~60 released elements: fill only those (ingest hot path).
        row: list[str | None] = [None] * len(self.released)
        index = self.released_index
        for name, value in values.items():
            position = index.get(name)
            if position is not None and value is not None:
                row[position] = render(value)
        return row


def render(value: Any) -> str | None:
    """A stored value as publication text: flags as 0/1, lists joined with ';'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def row_key(row: list[str | None]) -> str:
    """A fixed-length key of a released row, to count equal rows in SQL (k-anonymity)."""
    return hashlib.sha256(json.dumps(row, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Load and validate a vocabulary file (the bundled one when ``path`` is None)."""
    try:
        if path is None:
            text = resources.files("tipintake.hub").joinpath("vocabulary.yaml").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        return Vocabulary.model_validate(yaml.safe_load(text))
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"The vocabulary file could not be read ({type(exc).__name__}).") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UserError(f"The vocabulary file is invalid at {where or 'top level'}: {first['msg']}.") from exc
