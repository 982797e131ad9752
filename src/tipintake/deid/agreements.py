"""Partner agreements: one validated YAML file per partner, kept in the data folder.

An agreement is the information-sharing agreement behind a partner connection (GBVIMS
ISP): who the partner is, why they receive data, which standard elements or form fields
they receive, how those are generalised (date and place precision, date shifting, k,
quasi-identifiers, sensitive attributes for l-diversity), when, how long the partner
keeps them, whom to contact, the partner's age recipient keys and hub address. The file
holds no personal data, so it lives in plaintext at ``<data-dir>/partners/<name>.yaml``.

Every mistake names the file, the line and the field. Before the first share (and again
whenever the agreement changes) it is shown to the user; :func:`mark_shown` records that
in the audit trail with the agreement's hash.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import pyrage
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from tipintake.deid.ladder import DEFAULT_SUPPRESSION_LIMIT, STEPS, Step
from tipintake.errors import NotFound, UserError
from tipintake.i18n import _

if TYPE_CHECKING:
    from tipintake.store.session import Session

PARTNERS_DIR = "partners"
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{1,63}$"
MAX_FILE_BYTES = 256_000
_ELEMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,199}$")


def _age_recipient(key: str) -> str:
    try:
        pyrage.x25519.Recipient.from_str(key)
    except Exception:  # noqa: BLE001 - pyrage raises its own error types
        raise ValueError("not an age X25519 recipient (age1…)") from None
    return key


Recipient = Annotated[str, AfterValidator(_age_recipient)]


class AgreementError(UserError):
    """An agreement file is invalid; names the file, line and field."""

    def __init__(self, path: str, line: int | None, message: str, field: str | None = None) -> None:
        self.path, self.line, self.field, self.message = path, line, field, message
        where = path if line is None else _("{path} line {line}").format(path=path, line=line)
        if field:
            where = _("{where}, field '{field}'").format(where=where, field=field)
        super().__init__(f"{where}: {message}")


class AgreementNotShown(UserError):
    """The current agreement was never shown to a user of this store."""


class DateShift(BaseModel):
    """Per-case date shifting (deterministic from the partner's secret)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    max_days: int = Field(default=30, ge=1, le=365)


class Generalisation(BaseModel):
    """How quasi-identifiers are coarsened and how much anonymity each batch must have."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date_precision: Literal["year", "year_month"] = "year"
    place_precision: Literal["country", "admin1"] = "country"
    date_shift: DateShift = Field(default_factory=DateShift)
    k: int = Field(default=5, ge=2, le=1000)
    l: int | None = Field(default=None, ge=2, le=100)  # noqa: E741 - the literature's name
    quasi_identifiers: tuple[str, ...] = ("yearOfRegistration", "gender", "ageBroad",
                                          "citizenship", "CountryOfExploitation")
    sensitive_attributes: tuple[str, ...] = ()
    # Batch-wide recodings tried, in order, before a record is suppressed (deid.ladder);
    # [] switches them off.
    further: tuple[Step, ...] = STEPS
    # Share of a batch that may be suppressed rather than coarsening every record's age band
    # (0: coarsen whenever anything would be suppressed).
    suppression_limit: float = Field(default=DEFAULT_SUPPRESSION_LIMIT, ge=0.0, le=1.0)

    @field_validator("further")
    @classmethod
    def _once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("each step may be listed once")
        return value

    @field_validator("quasi_identifiers", "sensitive_attributes")
    @classmethod
    def _names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not _ELEMENT.match(name):
                raise ValueError(f"'{name}' is not an element name")
        return value


class Retention(BaseModel):
    """How long the partner keeps records and how they are destroyed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    period: str = Field(min_length=1, max_length=200)
    deletion: str = Field(default="", max_length=2000)


class Contact(BaseModel):
    """Whom to call at the partner about this agreement (an office, not a survivor)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)


class Hub(BaseModel):
    """Where batches are pushed, the certificate to pin and the hub's receipt key (optional)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # HTTPS, or plain HTTP to the loopback address only (a hub on this machine, tests).
    url: str = Field(pattern=r"^(https://[^\s/$.?#][^\s]*|http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/[^\s]*)?)$")
    certificate_sha256: str | None = Field(default=None, pattern=r"^[0-9a-fA-F:]{64,95}$")
    receipt_key: str | None = Field(default=None, pattern=r"^ed25519:[0-9a-f]{64}$")


class Agreement(BaseModel):
    """One partner's information-sharing agreement."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    title: str = Field(default="", max_length=200)
    purpose: str = Field(min_length=1, max_length=4000)
    shares: tuple[str, ...] = Field(min_length=1)
    generalisation: Generalisation = Field(default_factory=Generalisation)
    schedule: str = Field(min_length=1, max_length=200)
    retention: Retention
    contact: Contact
    recipients: tuple[Recipient, ...] = Field(min_length=1)
    hub: Hub | None = None  # None: batches travel on USB only (data-localisation law)
    source: str | None = Field(default=None, exclude=True)

    @field_validator("shares")
    @classmethod
    def _shares(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not _ELEMENT.match(name):
                raise ValueError(f"'{name}' is not an element or field name")
        return value

    @model_validator(mode="after")
    def _quasi_are_shared(self) -> Agreement:
        # A quasi-identifier or sensitive attribute must be something the partner receives,
        # else a typo silently switches k-anonymity off for it.
        from tipintake.deid.standard import wanted_columns

        shared = set(self.shares) | wanted_columns(frozenset(self.shares))  # families expanded
        for name in (*self.generalisation.quasi_identifiers, *self.generalisation.sensitive_attributes):
            if name not in shared:
                raise ValueError(f"'{name}' is checked for anonymity but not listed in 'shares'")
        return self

    def sha256(self) -> str:
        """A hash of the agreement's content (not its layout): what the audit trail records."""
        data = self.model_dump(mode="json")
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def summary(self) -> list[tuple[str, str]]:
        """Label/value lines to show the user before a share."""
        g = self.generalisation
        shift = (_("yes, up to {days} days").format(days=g.date_shift.max_days)
                 if g.date_shift.enabled else _("no"))
        return [
            (_("Partner"), f"{self.name}" + (f" ({self.title})" if self.title else "")),
            (_("Purpose"), self.purpose.strip()),
            (_("Shared"), ", ".join(self.shares)),
            (_("Dates"), g.date_precision),
            (_("Places"), g.place_precision),
            (_("Date shifting"), shift),
            (_("k-anonymity"), str(g.k) + (f", l = {g.l}" if g.l else "")),
            (_("Generalised further before suppression"),
             _("{steps} (while more than {limit} % would be suppressed)").format(
                 steps=", ".join(g.further), limit=round(g.suppression_limit * 100, 1)) if g.further else _("no")),
            (_("Quasi-identifiers"), ", ".join(g.quasi_identifiers)),
            (_("Sensitive attributes"), ", ".join(g.sensitive_attributes) or "-"),
            (_("Schedule"), self.schedule),
            (_("Retention at the partner"), self.retention.period),
            (_("Contact"), self.contact.name + (f" <{self.contact.email}>" if self.contact.email else "")),
            (_("Hub"), self.hub.url if self.hub else _("none: USB only")),
            (_("Agreement hash"), self.sha256()[:16]),
        ]


# -- loading ---------------------------------------------------------------------------


def _line_index(node: yaml.Node, path: tuple[Any, ...] = (), out: dict | None = None) -> dict:
    """Map each key path to its 1-based line, from PyYAML's composed nodes."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, key.value)
            out[sub] = key.start_mark.line + 1
            _line_index(value, sub, out)
            out[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, (*path, i), out)
    return out


def parse_agreement(text: str, path: str = "<agreement>") -> Agreement:
    """Validate agreement YAML; AgreementError names the file, line and field on any mistake."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise AgreementError(path, mark.line + 1 if mark else None,
                             _("this is not valid YAML")) from None
    if not isinstance(data, dict) or node is None:
        raise AgreementError(path, 1, _("an agreement is a mapping of fields (name, purpose, shares…)"))
    lines = _line_index(node)
    try:
        return Agreement.model_validate({**data, "source": path})
    except ValidationError as exc:
        # A mistake at a line that exists (a typo'd key) explains more than "field required".
        errors = sorted(exc.errors(), key=lambda e: tuple(e["loc"]) not in lines)
        err = errors[0]
        loc = tuple(err["loc"])
        while loc and loc not in lines:
            loc = loc[:-1]
        field = ".".join(str(p) for p in err["loc"]) or None
        message = err["msg"].removeprefix("Value error, ")
        raise AgreementError(path, lines.get(loc), message, field) from None


def load_agreement_file(path: Path) -> Agreement:
    """An agreement from any file (``share partners add`` reads this before copying it)."""
    path = Path(path)
    if not path.is_file():
        raise NotFound(_("There is no agreement file {path}.").format(path=path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise AgreementError(str(path), None, _("the file is too large for an agreement"))
    return parse_agreement(path.read_text(encoding="utf-8"), str(path))


def partners_dir(data_dir: Path) -> Path:
    """The folder holding the agreements of one installation."""
    return Path(data_dir) / PARTNERS_DIR


def load_agreement(data_dir: Path, name: str) -> Agreement:
    """The agreement of partner ``name`` from ``<data-dir>/partners/<name>.yaml``."""
    if not re.match(NAME_PATTERN, name):
        raise NotFound(_("There is no partner called '{name}'.").format(name=name))
    path = partners_dir(data_dir) / f"{name}.yaml"
    if not path.is_file():
        raise NotFound(_("There is no partner called '{name}': add its agreement with "
                         "`tipintake share partners add FILE`.").format(name=name))
    agreement = load_agreement_file(path)
    if agreement.name != name:
        raise AgreementError(str(path), 1, _("the name inside the file must match the file name"), "name")
    return agreement


def list_agreements(data_dir: Path) -> list[Agreement]:
    """Every partner agreement of the installation, by name (invalid files raise)."""
    folder = partners_dir(data_dir)
    if not folder.is_dir():
        return []
    return [load_agreement(data_dir, p.stem) for p in sorted(folder.glob("*.yaml"))]


def add_agreement(data_dir: Path, file: Path, *, replace: bool = False) -> Agreement:
    """Validate ``file`` and copy it to ``<data-dir>/partners/<name>.yaml``."""
    agreement = load_agreement_file(file)
    folder = partners_dir(data_dir)
    target = folder / f"{agreement.name}.yaml"
    if target.exists() and not replace:
        raise UserError(_("An agreement for partner '{name}' exists already: use --replace to "
                          "change it.").format(name=agreement.name))
    folder.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".yaml.tmp")
    shutil.copyfile(file, tmp)
    tmp.replace(target)
    return agreement


# -- shown to the user -------------------------------------------------------------------


def _shown_key(name: str) -> str:
    return f"deid.agreement_shown.{name}"


def was_shown(session: Session, agreement: Agreement) -> bool:
    """True when this exact agreement (by hash) was shown to a user of this store."""
    return session.setting(_shown_key(agreement.name)) == agreement.sha256()


def mark_shown(session: Session, agreement: Agreement) -> None:
    """Record that the user saw the agreement (audit ``agreement_shown`` with its hash)."""
    digest = agreement.sha256()
    if session.setting(_shown_key(agreement.name)) != digest:
        session.set_setting(_shown_key(agreement.name), digest)
    session.audit("agreement_shown", "partner", agreement.name, {"sha256": digest})


def require_shown(session: Session, agreement: Agreement) -> None:
    """Refuse to share under an agreement the user has not seen."""
    if not was_shown(session, agreement):
        raise AgreementNotShown(
            _("The agreement with partner '{name}' has not been shown yet (or it changed): run "
              "`tipintake share preview --partner {name}` first.").format(name=agreement.name))
