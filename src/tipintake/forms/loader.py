"""Load forms: YAML files from the project's ``forms/`` folder (or any path) into FormSpec.

Every mistake in a form file becomes a FormError naming the file, the line and the
field, in one sentence (``forms/tip_intake.yaml line 42, field 'age': the constraint
refers to unknown field ${agee}``). The YAML format is documented in ``forms/README.md``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tipintake.errors import FormError, NotFound
from tipintake.forms.spec import (
    ROLES,
    SELECT_TYPES,
    Choice,
    FieldType,
    FormField,
    FormSpec,
    Sensitivity,
    Standard,
)
from tipintake.forms.yamlsrc import LList, line_of, load_yaml
from tipintake.i18n import _
from tipintake.paths import project_dir

FORM_KEYS = frozenset(
    {"id", "version", "title", "description", "languages", "default_language", "choices", "fields"}
)
FIELD_KEYS = frozenset(
    {
        "name", "type", "label", "hint", "sensitivity", "standard", "role", "required",
        "required_message", "relevant", "constraint", "constraint_message", "calculation",
        "default", "read_only", "choices", "choice_filter", "allow_missing", "extended",
        "appearance", "repeat_count", "fields",
    }
)
TEXT_KEYS = ("label", "hint", "required_message", "constraint_message")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
LANG_RE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?$")
MAX_FILE_BYTES = 5_000_000

# Questions whose sensitivity may be left out: they hold no answer about the person.
_NO_SENSITIVITY_NEEDED = frozenset({FieldType.NOTE, FieldType.GROUP, FieldType.REPEAT})

YES_NO_UNKNOWN: tuple[Choice, ...] = (
    Choice(value="yes", label={"en": "Yes"}),
    Choice(value="no", label={"en": "No"}),
    Choice(value="unknown", label={"en": "Unknown"}),
    Choice(value="refused", label={"en": "Refused to answer"}),
    Choice(value="not_asked", label={"en": "Not asked"}),
)

_cache: dict[tuple[str, int, int], FormSpec] = {}


def forms_dir() -> Path:
    """The project's forms folder."""
    return project_dir("forms")


def list_forms() -> list[str]:
    """Ids of the forms shipped in the project's forms/ folder, sorted."""
    folder = forms_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if not p.name.startswith("_"))


def load_form(form_id: str) -> FormSpec:
    """The form ``form_id`` from the project's forms/ folder (cached until the file changes)."""
    if not NAME_RE.match(form_id) or "/" in form_id:
        raise NotFound(_("There is no form called '{form}'.").format(form=form_id))
    path = forms_dir() / f"{form_id}.yaml"
    if not path.is_file():
        raise NotFound(_("There is no form called '{form}'.").format(form=form_id))
    return load_form_file(path, display=f"forms/{path.name}")


def load_form_file(path: str | Path, *, display: str | None = None) -> FormSpec:
    """A form from a .yaml file or an XLSForm .xlsx; raises FormError on any mistake in it."""
    path = Path(path)
    shown = display or str(path)
    if path.suffix.lower() in (".xlsx", ".xls"):
        from tipintake.forms.xlsform import load_xlsform

        return load_xlsform(path, display=shown)
    try:
        stat = path.stat()
    except OSError:
        raise FormError(shown, None, _("the file cannot be read")) from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    if stat.st_size > MAX_FILE_BYTES:
        raise FormError(shown, None, _("the file is too large to be a form"))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise FormError(shown, None, _("the file cannot be read as UTF-8 text")) from None
    spec = load_form_text(text, shown)
    _cache[key] = spec
    return spec


def load_form_text(text: str, path: str = "<form>") -> FormSpec:
    """A form from YAML text; ``path`` names it in error messages."""
    data = load_yaml(text, path)
    return build_form(data, path)


def build_form(data: Any, path: str) -> FormSpec:
    """A checked FormSpec from parsed YAML data (LDict from yamlsrc, or plain dicts)."""
    return _Builder(path).form(data)


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.default_language = "en"
        self.lists: dict[str, tuple[Choice, ...]] = {}
        self.seen: set[str] = set()

    def fail(self, line: int | None, message: str, field: str | None = None) -> FormError:
        return FormError(self.path, line, message, field=field)

    # -- scalars ----------------------------------------------------------------------

    def string(self, value: Any, owner: Any, key: str, field: str | None = None) -> str:
        if isinstance(value, str):
            return value
        raise self.fail(
            line_of(owner, key), _("'{key}' must be text").format(key=key), field
        )

    def boolean(self, value: Any, owner: Any, key: str, field: str | None) -> bool:
        if isinstance(value, bool):
            return value
        text = value.strip().lower() if isinstance(value, str) else None
        if text in ("true", "yes", "1", "true()"):
            return True
        if text in ("false", "no", "0", "false()", ""):
            return False
        raise self.fail(line_of(owner, key), _("'{key}' must be true or false").format(key=key), field)

    def text(self, value: Any, owner: Any, key: str, field: str | None = None) -> dict[str, str]:
        """A translatable text: a plain string (default language) or {language: text}."""
        if value is None:
            return {}
        if isinstance(value, str):
            return {self.default_language: value}
        if isinstance(value, dict):
            out: dict[str, str] = {}
            for lang, text in value.items():
                if not isinstance(lang, str) or not LANG_RE.match(lang):
                    raise self.fail(
                        line_of(value, lang), _("'{language}' is not a language code").format(language=lang), field
                    )
                if text is None:
                    continue
                out[lang] = self.string(text, value, lang, field)
            return out
        raise self.fail(line_of(owner, key), _("'{key}' must be text or a mapping of languages to text").format(key=key), field)

    # -- form -------------------------------------------------------------------------

    def form(self, data: Any) -> FormSpec:
        if not isinstance(data, dict):
            raise self.fail(line_of(data, default=1), _("a form file must be a mapping with id, version and fields"))
        for key in data:
            if key not in FORM_KEYS:
                raise self.fail(line_of(data, key), _("unknown key '{key}' at the top of the form").format(key=key))
        for key in ("id", "version", "fields"):
            if data.get(key) in (None, ""):
                raise self.fail(line_of(data), _("the form has no '{key}'").format(key=key))
        form_id = self.string(data["id"], data, "id")
        if not NAME_RE.match(form_id):
            raise self.fail(line_of(data, "id"), _("the form id '{id}' must be letters, digits and underscores").format(id=form_id))
        version = self.string(data["version"], data, "version")
        languages = self.languages(data)
        self.default_language = languages[0] if data.get("default_language") is None else self.string(
            data["default_language"], data, "default_language"
        )
        self.lists = self.choice_lists(data.get("choices"), data)
        children = self.field_list(data["fields"], data, "fields", inside_repeat=False)
        try:
            spec = FormSpec(
                id=form_id,
                version=version,
                title=self.text(data.get("title"), data, "title"),
                description=self.text(data.get("description"), data, "description"),
                languages=languages,
                default_language=self.default_language,
                choice_lists=self.lists,
                children=children,
                source=self.path,
            )
        except ValidationError as exc:  # the checks above should leave nothing for pydantic
            raise self.fail(line_of(data), _("the form is not valid ({problem})").format(
                problem=exc.errors()[0].get("msg", "?"))) from None
        from tipintake.forms.checks import check_form

        check_form(spec, self.path)
        return spec

    def languages(self, data: Any) -> tuple[str, ...]:
        value = data.get("languages")
        if value is None:
            return ("en",)
        if not isinstance(value, list) or not value:
            raise self.fail(line_of(data, "languages"), _("'languages' must be a list of language codes"))
        out = []
        for i, lang in enumerate(value):
            if not isinstance(lang, str) or not LANG_RE.match(lang):
                raise self.fail(line_of(value, i), _("'{language}' is not a language code").format(language=lang))
            out.append(lang)
        return tuple(out)

    def choice_lists(self, value: Any, owner: Any) -> dict[str, tuple[Choice, ...]]:
        lists: dict[str, tuple[Choice, ...]] = {"yes_no_unknown": YES_NO_UNKNOWN}
        if value is None:
            return lists
        if not isinstance(value, dict):
            raise self.fail(line_of(owner, "choices"), _("'choices' must map list names to lists of choices"))
        for name, items in value.items():
            if not NAME_RE.match(name):
                raise self.fail(line_of(value, name), _("'{name}' is not a valid choice list name").format(name=name))
            lists[name] = self.choices(items, value, name, None)
        return lists

    def choices(self, items: Any, owner: Any, key: str, field: str | None) -> tuple[Choice, ...]:
        if not isinstance(items, list) or not items:
            raise self.fail(line_of(owner, key), _("the choice list '{name}' must be a non-empty list").format(name=key), field)
        out = []
        for i, item in enumerate(items):
            line = line_of(items, i)
            if isinstance(item, str):
                out.append(Choice(value=item, label={self.default_language: item}))
                continue
            if not isinstance(item, dict) or item.get("value") in (None, ""):
                raise self.fail(line, _("each choice needs a 'value'"), field)
            value = self.string(item["value"], item, "value", field)
            attributes: dict[str, str] = {}
            for k, val in item.items():
                if k in ("value", "label"):
                    continue
                if not isinstance(val, str):
                    raise self.fail(line_of(item, k), _("the choice attribute '{key}' must be text").format(key=k), field)
                attributes[k] = val
            label = self.text(item.get("label"), item, "label", field) or {self.default_language: value}
            out.append(Choice(value=value, label=label, attributes=attributes))
        return tuple(out)

    # -- fields -----------------------------------------------------------------------

    def field_list(self, items: Any, owner: Any, key: str, *, inside_repeat: bool) -> tuple[FormField, ...]:
        if not isinstance(items, list):
            raise self.fail(line_of(owner, key), _("'{key}' must be a list of fields").format(key=key))
        return tuple(self.field(item, items, i, inside_repeat) for i, item in enumerate(items))

    def field(self, item: Any, items: LList | list, index: int, inside_repeat: bool) -> FormField:
        line = line_of(items, index)
        if not isinstance(item, dict):
            raise self.fail(line, _("each field must be a mapping with at least name and type"))
        name = item.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise self.fail(line, _("the field needs a 'name' of letters, digits and underscores"))
        if name in self.seen:
            raise self.fail(line, _("another field already has this name"), name)
        self.seen.add(name)
        for key in item:
            if key not in FIELD_KEYS:
                raise self.fail(line_of(item, key), _("unknown key '{key}'").format(key=key), name)
        ftype, list_name = self.field_type(item, name)
        attrs: dict[str, Any] = {"name": name, "type": ftype, "line": line,
                                 "key_lines": dict(getattr(item, "lines", {}))}
        for key in TEXT_KEYS:
            if key in item:
                attrs[key] = self.text(item[key], item, key, name)
        for key in ("relevant", "constraint", "calculation", "choice_filter", "repeat_count", "appearance", "role"):
            if item.get(key) is not None:
                attrs[key] = self.string(item[key], item, key, name)
        for key in ("read_only", "allow_missing", "extended"):
            if item.get(key) is not None:
                attrs[key] = self.boolean(item[key], item, key, name)
        self.required(item, name, attrs)
        if "default" in item:
            attrs["default"] = item["default"]
        self.sensitivity(item, name, ftype, attrs)
        self.standard(item, name, attrs)
        if attrs.get("role") is not None and attrs["role"] not in ROLES:
            raise self.fail(line_of(item, "role"), _("'{role}' is not a known role (see forms/README.md)").format(role=attrs["role"]), name)
        if ftype is FieldType.CALCULATE and not attrs.get("calculation"):
            raise self.fail(line, _("a calculate field needs a 'calculation'"), name)
        if ftype in SELECT_TYPES:
            self.select_choices(item, name, ftype, list_name, attrs)
        elif item.get("choices") is not None:
            raise self.fail(line_of(item, "choices"), _("only select questions take 'choices'"), name)
        if ftype in (FieldType.GROUP, FieldType.REPEAT):
            if item.get("fields") is None:
                raise self.fail(line, _("a group or repeat needs 'fields'"), name)
            attrs["fields"] = self.field_list(item["fields"], item, "fields", inside_repeat=inside_repeat or ftype is FieldType.REPEAT)
        elif item.get("fields") is not None:
            raise self.fail(line_of(item, "fields"), _("only groups and repeats hold 'fields'"), name)
        return FormField(**attrs)

    def field_type(self, item: Any, name: str) -> tuple[FieldType, str | None]:
        raw = item.get("type")
        if not isinstance(raw, str) or not raw.strip():
            raise self.fail(line_of(item), _("the field has no 'type'"), name)
        parts = raw.split()
        try:
            ftype = FieldType(parts[0])
        except ValueError:
            raise self.fail(line_of(item, "type"), _("'{type}' is not a field type").format(type=parts[0]), name) from None
        if len(parts) > 2 or (len(parts) == 2 and ftype not in SELECT_TYPES):
            raise self.fail(line_of(item, "type"), _("'{type}' is not a field type").format(type=raw), name)
        return ftype, parts[1] if len(parts) == 2 else None

    def required(self, item: Any, name: str, attrs: dict[str, Any]) -> None:
        value = item.get("required")
        if value is None:
            return
        if isinstance(value, str) and value.strip().lower() not in ("true", "yes", "1", "true()", "false", "no", "0", "false()", ""):
            attrs["required_if"] = value  # an expression, as XLSForm allows
            return
        attrs["required"] = self.boolean(value, item, "required", name)

    def sensitivity(self, item: Any, name: str, ftype: FieldType, attrs: dict[str, Any]) -> None:
        value = item.get("sensitivity")
        if value is None:
            if ftype not in _NO_SENSITIVITY_NEEDED:
                raise self.fail(line_of(item), _("the field does not declare its sensitivity"), name)
            return
        try:
            attrs["sensitivity"] = Sensitivity(value)
        except ValueError:
            raise self.fail(
                line_of(item, "sensitivity"),
                _("'{value}' is not a sensitivity (direct_identifier, quasi_identifier, sensitive, free_text, none)").format(value=value),
                name,
            ) from None

    def standard(self, item: Any, name: str, attrs: dict[str, Any]) -> None:
        value = item.get("standard")
        if value is None:
            return
        if not isinstance(value, dict) or set(value) - {"htcds", "ctdc"}:
            raise self.fail(line_of(item, "standard"), _("'standard' takes only 'htcds' and 'ctdc'"), name)
        attrs["standard"] = Standard(
            htcds=self.string(value["htcds"], value, "htcds", name) if value.get("htcds") else None,
            ctdc=self.string(value["ctdc"], value, "ctdc", name) if value.get("ctdc") else None,
        )

    def select_choices(self, item: Any, name: str, ftype: FieldType, list_name: str | None, attrs: dict[str, Any]) -> None:
        value = item.get("choices")
        if list_name is not None and value is not None:
            raise self.fail(line_of(item, "choices"), _("the choice list is named both in 'type' and in 'choices'"), name)
        if value is None and list_name is None and ftype is FieldType.YES_NO_UNKNOWN:
            list_name = "yes_no_unknown"
        if isinstance(value, str):
            list_name = value
        if list_name is not None:
            if list_name not in self.lists:
                raise self.fail(line_of(item, "choices" if value else "type"), _("there is no choice list called '{name}'").format(name=list_name), name)
            attrs["choice_list"] = list_name
            attrs["choices"] = self.lists[list_name]
        elif value is not None:
            attrs["choices"] = self.choices(value, item, "choices", name)
        else:
            raise self.fail(line_of(item), _("a select question needs 'choices'"), name)


__all__ = ["build_form", "forms_dir", "list_forms", "load_form", "load_form_file", "load_form_text"]
