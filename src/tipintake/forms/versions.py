"""Opening a record with a newer version of its form: map answers by name, list what no longer fits.

A record keeps the form id and version it was captured with. When the form changes, the
record's answers are carried over by field name; an answer whose field is gone, changed
type so the value no longer reads, lost its choice code, or moved into or out of a repeat
is *not* silently dropped: it is listed in ``unfit`` (with its old value, for the UI to
show; the reason sentence itself never contains the value) and kept out of the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tipintake.forms.spec import MISSING_CODES, FieldType, FormField, FormSpec
from tipintake.forms.validate import AnswerTypeError, coerce
from tipintake.i18n import _


@dataclass(slots=True, frozen=True)
class Unfit:
    """One answer that does not fit the newer form; ``reason`` is a sentence without the value."""

    name: str
    value: Any
    reason: str


@dataclass(slots=True)
class VersionMapping:
    """Answers carried over to ``to_version`` and those that no longer fit."""

    form_id: str
    from_version: str | None
    to_version: str
    answers: dict[str, Any]
    unfit: list[Unfit] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when every answer carried over."""
        return not self.unfit


def map_answers(answers: Mapping[str, Any], spec: FormSpec, *, from_version: str | None = None) -> VersionMapping:
    """Carry ``answers`` (captured with ``from_version``) over to ``spec``; list what no longer fits."""
    out = VersionMapping(spec.id, from_version, spec.version, {})
    for name, value in answers.items():
        if not isinstance(name, str) or not spec.has_field(name):
            out.unfit.append(Unfit(str(name), value, _("The newer form has no question called {name}.").format(name=name)))
            continue
        f = spec.field(name)
        if spec.repeat_of(name) is not None:
            out.unfit.append(Unfit(name, value, _("The question {name} now belongs to a repeated section.").format(name=name)))
            continue
        if f.type in (FieldType.NOTE, FieldType.GROUP):
            out.unfit.append(Unfit(name, value, _("The question {name} no longer takes an answer.").format(name=name)))
            continue
        if f.type is FieldType.CALCULATE:
            continue  # recomputed from the other answers
        carried = _carry(f, value, name, out)
        if carried is not None:
            out.answers[name] = carried
    return out


def _carry(f: FormField, value: Any, name: str, out: VersionMapping) -> Any:
    if f.type is FieldType.REPEAT:
        if not isinstance(value, list) or not all(isinstance(x, Mapping) for x in value):
            out.unfit.append(Unfit(name, value, _("The question {name} is now a repeated section.").format(name=name)))
            return None
        instances = []
        for i, inst in enumerate(value, start=1):
            kept: dict[str, Any] = {}
            children = {c.name: c for c in f.fields if c.type is not FieldType.GROUP}
            for child_name, child_value in inst.items():
                key = f"{name}[{i}].{child_name}"
                child = children.get(child_name)
                if child is None:
                    out.unfit.append(Unfit(key, child_value, _("The newer form has no question called {name}.").format(name=child_name)))
                    continue
                fitted = _carry(child, child_value, key, out)
                if fitted is not None:
                    kept[child_name] = fitted
            instances.append(kept)
        return instances
    if isinstance(value, list) and f.type is not FieldType.SELECT_MULTIPLE:
        out.unfit.append(Unfit(name, value, _("The question {name} now takes a single answer.").format(name=name)))
        return None
    try:
        clean = coerce(f, value)
    except AnswerTypeError:
        out.unfit.append(Unfit(name, value, _("The answer to {name} does not fit its new type ({type}).").format(
            name=name, type=f.type.value)))
        return None
    if clean is None:
        return None
    if f.choices is not None:
        allowed = f.choice_values()
        chosen = clean if isinstance(clean, list) else [clean]
        gone = [c for c in chosen if c not in allowed and not (f.allow_missing and c in MISSING_CODES)]
        if gone:
            out.unfit.append(Unfit(name, value, _("The answer to {name} uses a code the newer form no longer offers.").format(name=name)))
            return None
    return clean
