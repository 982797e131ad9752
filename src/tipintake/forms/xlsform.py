"""XLSForm (.xlsx) import through pyxform, ODK's own parser, into tipintake's form format.

pyxform reads the workbook (and reports authoring mistakes in its own words); this module
maps its JSON to the YAML structure ``loader.build_form`` checks, so an imported form
passes exactly the same checks as a hand-written one. ``label::English (en)`` columns
become ``label: {en: ...}``. XLSForms carry no sensitivity: it is inferred from HTCDS
field names where the form uses them, and otherwise set conservatively (text is free
text, other answers sensitive) for a person to review. Question types tipintake cannot
hold (photos, recordings, GPS) stop the import with one sentence naming the field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tipintake.errors import FormError
from tipintake.forms.checks import htcds_fields
from tipintake.forms.loader import build_form
from tipintake.forms.spec import FormSpec
from tipintake.i18n import _

_TYPES = {
    "text": "text", "integer": "integer", "int": "integer", "decimal": "decimal", "range": "decimal",
    "date": "date", "datetime": "datetime", "dateTime": "datetime", "note": "note", "calculate": "calculate",
    "select one": "select_one", "select all that apply": "select_multiple", "group": "group",
    "repeat": "repeat", "time": "text", "barcode": "text", "acknowledge": "select_one",
    "trigger": "select_one", "hidden": "calculate", "phone number": "text",
}
_METADATA = {"start": "now()", "end": "now()", "today": "today()"}
# Device and account metadata identify the interviewer's phone: not imported.
_DROPPED = {"deviceid", "subscriberid", "simserial", "phonenumber", "username", "email", "audit",
            "uri:deviceid", "uri:subscriberid", "uri:simserial", "uri:phonenumber", "uri:username",
            "uri:email", "start-geopoint", "background-geopoint"}
_LANG_NAMES = {"english": "en", "thai": "th", "khmer": "km", "cambodian": "km", "burmese": "my",
               "myanmar": "my", "indonesian": "id", "bahasa indonesia": "id", "malay": "ms",
               "bahasa melayu": "ms", "default": "en"}
_CODE_IN_NAME = re.compile(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\)\s*$")
_HTCDS_ROLES = {
    "prs_FirstName": "given_name", "prs_SecondName": "family_name", "prs_MiddleName": "other_names",
    "prs_Birthdate": "birth_date", "prs_Gender": "gender", "prs_Citizenship": "citizenship",
    "prs_MobilePhone": "phone", "prs_HomePhone": "phone", "prs_IdentityNumber": "id_number",
    "prs_MailingStreet": "address", "prs_Email": "email", "con_Consent": "consent_interview",
    "vic_TraffickingStatus": "trafficking_status", "cas_Status": "case_status",
}
_HTCDS_DIRECT = {"prs_Salutation", "prs_FirstName", "prs_MiddleName", "prs_SecondName", "prs_Email",
                 "prs_HomePhone", "prs_MobilePhone", "prs_MailingStreet", "prs_MailingPostalCode",
                 "prs_IdentityNumber", "prs_MailingLatitude", "prs_MailingLongitude", "prs_Title"}
_HTCDS_FREE = {"cas_ReasonForCaseClosure", "cas_IncomingReferralDetails", "cas_OutgoingReferralDetails",
               "cco_CaseComment", "hte_Description", "per_RoleDetails", "spl_Objectives", "spl_ActionPlan",
               "vic_LocationOfRecruitment", "vic_LocationOfExploitation", "vic_DetailsOfVulnerabilities"}


def load_xlsform(path: Path, *, display: str | None = None) -> FormSpec:
    """Import an XLSForm workbook as a checked FormSpec; FormError in one sentence otherwise."""
    shown = display or str(path)
    return build_form(xlsform_to_data(path, display=shown), shown)


def xlsform_to_data(path: Path, *, display: str | None = None) -> dict[str, Any]:
    """The workbook as tipintake's YAML structure (plain dicts), before checks."""
    shown = display or str(path)
    survey = _read(path, shown)
    return _Converter(shown, survey).form()


def dump_form_yaml(data: dict[str, Any], source: str) -> str:
    """YAML text for a converted form, with a header saying where it came from."""
    header = (
        f"# Imported from {source} by `tipintake forms import-xlsform`.\n"
        "# Review every 'sensitivity' (guessed on import) and add 'standard' and 'role'\n"
        "# where a field carries an HTCDS/CTDC element. Format: forms/README.md.\n"
    )
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    return header + body


def _read(path: Path, shown: str) -> dict[str, Any]:
    try:
        from pyxform.errors import PyXFormError
        from pyxform.xls2json import parse_file_to_json
    except ImportError:  # pragma: no cover - pyxform is a dependency
        raise FormError(shown, None, _("XLSForm import needs the pyxform package")) from None
    if not path.is_file():
        raise FormError(shown, None, _("the file cannot be read"))
    warnings: list[str] = []
    try:
        survey = parse_file_to_json(str(path), warnings=warnings)
    except PyXFormError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FormError(shown, None, _("the XLSForm has a mistake: {problem}").format(problem=first[:300])) from None
    except Exception as exc:  # noqa: BLE001 - junk spreadsheets raise anything; say so in one sentence
        raise FormError(shown, None, _("this is not a readable XLSForm workbook ({problem})").format(
            problem=type(exc).__name__)) from None
    if not isinstance(survey, dict):
        raise FormError(shown, None, _("this is not a readable XLSForm workbook ({problem})").format(problem="?"))
    return survey


class _Converter:
    def __init__(self, shown: str, survey: dict[str, Any]) -> None:
        self.shown = shown
        self.survey = survey
        self.languages: list[str] = []
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.used_lists: set[str] = set()

    def fail(self, name: str | None, message: str) -> FormError:
        return FormError(self.shown, None, message, field=name)

    def lang(self, key: str) -> str | None:
        m = _CODE_IN_NAME.search(key)
        if m:
            return m.group(1).lower().replace("_", "-")
        return _LANG_NAMES.get(key.strip().lower())

    def text(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, dict):
            out: dict[str, str] = {}
            for key, text in value.items():
                code = self.lang(str(key))
                if code is None or not isinstance(text, str) or not text:
                    continue  # a language tipintake cannot name (e.g. "chinese") is left out
                out.setdefault(code, text)
                if code not in self.languages:
                    self.languages.append(code)
            if not out:
                return None
            return out["en"] if list(out) == ["en"] else out
        return None

    def form(self) -> dict[str, Any]:
        raw_id = str(self.survey.get("id_string") or self.survey.get("name") or "imported_form")
        form_id = re.sub(r"[^a-z0-9_]+", "_", raw_id.lower()).strip("_") or "imported_form"
        if not form_id[0].isalpha():
            form_id = "form_" + form_id
        for name, items in (self.survey.get("choices") or {}).items():
            self.lists[name] = [self.choice(item, name) for item in items if isinstance(item, dict)]
        fields = self.children(self.survey.get("children") or [])
        data: dict[str, Any] = {
            "id": form_id,
            "version": str(self.survey.get("version") or "1"),
            "title": self.text(self.survey.get("title")) or raw_id,
        }
        languages = ["en", *[lang for lang in self.languages if lang != "en"]]
        data["languages"] = languages
        data["fields"] = fields
        used = {name: items for name, items in self.lists.items() if name in self.used_lists}
        if used:
            data["choices"] = used
        return data

    def choice(self, item: dict[str, Any], list_name: str) -> dict[str, Any]:
        value = item.get("name")
        if value is None or str(value) == "":
            raise self.fail(None, _("a choice in the list '{name}' has no name").format(name=list_name))
        out: dict[str, Any] = {"value": str(value)}
        label = self.text(item.get("label"))
        if label is not None:
            out["label"] = label
        for key, val in item.items():
            if key not in ("name", "label", "media", "image", "audio", "video") and isinstance(val, str | int | float):
                out[str(key)] = str(val)
        return out

    def children(self, items: list[Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for item in items:
            if not isinstance(item, dict):
                continue
            converted = self.field(item)
            if converted is not None:
                out.extend(converted if isinstance(converted, list) else [converted])
        return out

    def field(self, item: dict[str, Any]) -> dict[str, Any] | list[dict[str, Any]] | None:
        name = str(item.get("name") or "")
        xtype = str(item.get("type") or "")
        control = item.get("control") or {}
        bind = item.get("bind") or {}
        if xtype == "group" and (control.get("bodyless") or name == "meta"):
            return None  # ODK's instance metadata (instanceID): the store has its own ids
        if name == "__version__" or xtype in _DROPPED:
            return None
        if xtype == "loop":
            return self.loop(item)
        if xtype in _METADATA:
            return {"name": name, "type": "calculate", "calculation": _METADATA[xtype], "sensitivity": "none"}
        ftype = _TYPES.get(xtype)
        if ftype is None:
            raise self.fail(name, _("the question type '{type}' is not supported by tipintake (no photos, recordings, files or GPS)").format(type=xtype))
        out: dict[str, Any] = {"name": name, "type": ftype}
        for key in ("label", "hint"):
            text = self.text(item.get(key))
            if text is not None:
                out[key] = text
        self.classify(out, name, ftype)
        if xtype == "phone number":  # pyxform's legacy type: a text with a phone-number rule
            out.update(sensitivity="direct_identifier", role="phone")
            bind = {"constraint": "regex(., '^[+]?[0-9 ()-]{6,20}$')", **bind}
        if bind.get("relevant"):
            out["relevant"] = str(bind["relevant"])
        if bind.get("constraint"):
            out["constraint"] = str(bind["constraint"])
        message = self.text(bind.get("jr:constraintMsg"))
        if message is not None:
            out["constraint_message"] = message
        required = bind.get("required")
        if isinstance(required, str) and required.strip():
            low = required.strip().lower()
            out["required"] = True if low in ("yes", "true", "true()") else False if low in ("no", "false", "false()") else required
        message = self.text(bind.get("jr:requiredMsg"))
        if message is not None:
            out["required_message"] = message
        if bind.get("calculate"):
            out["calculation"] = str(bind["calculate"])
        if ftype == "calculate" and "calculation" not in out:
            out["calculation"] = "''"
        if str(bind.get("readonly", "")).lower() in ("true()", "true", "yes"):
            out["read_only"] = True
        if control.get("appearance"):
            out["appearance"] = str(control["appearance"])
        if control.get("jr:count"):
            out["repeat_count"] = str(control["jr:count"])
        if item.get("default") not in (None, ""):
            out["default"] = str(item["default"])
        if xtype in ("acknowledge", "trigger"):
            out["choices"] = [{"value": "OK", "label": "OK"}]
        elif ftype.startswith("select"):
            list_name = item.get("itemset") or item.get("list_name")
            if not isinstance(list_name, str) or list_name not in self.lists:
                raise self.fail(name, _("the question's choices come from a file or a list the workbook does not define"))
            self.used_lists.add(list_name)
            out["choices"] = list_name
            if item.get("choice_filter"):
                out["choice_filter"] = str(item["choice_filter"])
        if ftype in ("group", "repeat"):
            out["fields"] = self.children(item.get("children") or [])
            if not out["fields"]:
                return None
        return out

    def loop(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        """A pyxform loop (a group repeated once per column): one group per column."""
        name = str(item.get("name"))
        groups = []
        for column in item.get("columns") or []:
            col = str(column.get("name"))
            col_label = self.text(column.get("label"))
            english = col_label.get("en") if isinstance(col_label, dict) else col_label or col
            children = []
            for child in item.get("children") or []:
                copy = dict(child)
                copy["name"] = f"{col}_{child.get('name')}"
                label = child.get("label")
                if isinstance(label, dict):
                    copy["label"] = {k: str(t).replace("%(label)s", str(english)) for k, t in label.items()}
                elif isinstance(label, str):
                    copy["label"] = label.replace("%(label)s", str(english))
                children.append(copy)
            group = {"name": f"{name}_{col}", "type": "group", "label": col_label or col,
                     "fields": self.children(children)}
            groups.append(group)
        return groups

    def classify(self, out: dict[str, Any], name: str, ftype: str) -> None:
        """Sensitivity, standard and role from HTCDS names; conservative guesses otherwise."""
        if ftype in ("group", "repeat", "note"):
            return
        canonical = {re.sub(r"_", "", f).lower(): f for f in htcds_fields()}
        htcds = canonical.get(re.sub(r"_", "", name).lower())
        if htcds is not None:
            out["standard"] = {"htcds": htcds}
            if htcds in _HTCDS_ROLES:
                out["role"] = _HTCDS_ROLES[htcds]
            if htcds in _HTCDS_DIRECT:
                out["sensitivity"] = "direct_identifier"
            elif htcds in _HTCDS_FREE:
                out["sensitivity"] = "free_text"
            elif htcds.startswith("prs_") or htcds.startswith("org_"):
                out["sensitivity"] = "quasi_identifier"
            else:
                out["sensitivity"] = "sensitive"
            return
        out["sensitivity"] = "free_text" if ftype == "text" else "sensitive"
