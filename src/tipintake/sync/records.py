"""The lines of a batch payload and the hub's receipt, as pydantic models.

A payload is JSON Lines; each line is one :class:`CaseRecord` (a de-identified
revision of one case, its values keyed by standard element names: CTDC variables
or HTCDS elements) or one :class:`Withdrawal` (consent withdrawn: the hub deletes
the case). The models check shape only; which element names a hub accepts is the
hub's vocabulary (``tipintake.hub.vocabulary``), not the format's business.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, TypeAdapter

# A pseudonymous case id: made by the desktop's de-identification from a keyed hash,
# never the store's internal id. Letters, digits, '-' and '_' only, so it is safe in
# file names, logs and CSV without quoting.
CaseId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{8,128}$")]

# A value is a JSON scalar or a list of strings (multiple choice). No floats: CTDC and
# HTCDS values are codes, bands, years and 0/1 flags; a float is a sign of raw data.
Value = StrictStr | StrictInt | StrictBool | None | list[StrictStr]


class CaseRecord(BaseModel):
    """One de-identified revision of a case, as it travels to the hub."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["record"] = "record"
    case: CaseId
    revision: StrictInt = Field(ge=1)
    form: Annotated[str, Field(min_length=1, max_length=200)]
    form_version: Annotated[str, Field(min_length=1, max_length=100)]
    values: dict[Annotated[str, Field(min_length=1, max_length=200)], Value]


class Withdrawal(BaseModel):
    """A notice that consent for a case was withdrawn: the hub deletes every revision."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["withdrawal"] = "withdrawal"
    case: CaseId


PayloadLine = Annotated[CaseRecord | Withdrawal, Field(discriminator="type")]
_LINE = TypeAdapter(PayloadLine)


def parse_line(line: bytes | str) -> CaseRecord | Withdrawal:
    """Validate one payload line; raises pydantic.ValidationError or ValueError if malformed."""
    return _LINE.validate_json(line)


def validate_item(item: Any) -> CaseRecord | Withdrawal:
    """Validate a payload item given as a Python mapping; raises pydantic.ValidationError."""
    return _LINE.validate_python(item)


def dump_line(item: CaseRecord | Withdrawal | dict[str, Any]) -> bytes:
    """One payload line (UTF-8 JSON, no newline inside, newline at the end)."""
    if isinstance(item, BaseModel):  # pydantic-core's serialiser is ~3x faster than json.dumps
        return item.model_dump_json().encode("utf-8") + b"\n"
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


class RejectedRecord(BaseModel):
    """A payload line the hub did not store, and why (never the offending value)."""

    model_config = ConfigDict(extra="forbid")

    line: StrictInt = Field(ge=1, description="1-based line number in the payload")
    case: str | None = None
    reason: str


class Receipt(BaseModel):
    """The hub's answer to a batch; signed by the hub (see ``sync.batch.sign_receipt``)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["tipintake-receipt"] = "tipintake-receipt"
    format_version: Literal[1] = 1
    batch_id: str
    device_id: str
    accepted: StrictInt = Field(ge=0, description="records stored (new case or newer revision)")
    duplicates: StrictInt = Field(ge=0, description="records the hub already had (same or older revision)")
    withdrawals: StrictInt = Field(ge=0, description="withdrawal notices applied")
    rejected_count: StrictInt = Field(default=0, ge=0, description="lines not stored")
    rejected: list[RejectedRecord] = Field(
        default_factory=list, description="the first 1000 lines not stored, with reasons"
    )
    hub_key_id: str
    received_at: str = Field(description="RFC 3339 UTC time the hub stored the batch")
