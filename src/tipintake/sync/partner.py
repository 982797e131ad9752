"""What sync needs from a partner agreement, and the hub receipt key this device trusts.

The agreement itself belongs to de-identification (``tipintake.deid.agreements``);
sync reads only the transport facts from it: the hub's address, the partner's age
recipient keys, an optional pinned TLS certificate fingerprint and an optional hub
receipt key. :func:`link_from_agreement` is the one place that knows those field
names, so a rename in the agreement touches one function.

Which receipt key is trusted (decided here, documented in docs/sync.md):

1. the hub receipt key written in the agreement, when there is one (the authority);
2. else a key pinned earlier in this store's settings (``sync.hub_keys``), either by
   ``pin_hub_key`` (the operator typed or imported it) or
3. at first contact over a verified connection (HTTPS with a verified or pinned
   certificate, or the loopback test hub): the key ``GET /v1/hub`` announces is
   pinned, audited, and from then on any other key is refused.

USB never pins: a receipt on a stick is only checked against 1 or 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tipintake.i18n import _
from tipintake.store.session import Session
from tipintake.sync import signing
from tipintake.sync.errors import NoHubKey

HUB_KEYS_SETTING = "sync.hub_keys"


@dataclass(frozen=True)
class PartnerLink:
    """The transport side of a partner agreement."""

    name: str
    hub_url: str | None
    recipients: tuple[str, ...]
    cert_sha256: str | None = None  # pinned hub TLS certificate: SHA-256 of its DER, hex
    hub_key: str | None = None  # the hub's receipt key, ``ed25519:<hex>``


def _first(obj: Any, *names: str) -> Any:
    if obj is None:
        return None
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value:
            return value
    return None


def link_from_agreement(agreement: Any) -> PartnerLink:
    """The transport facts of an agreement (``deid.agreements.Agreement``, or a mapping alike)."""
    recipients = _first(agreement, "recipients") or ()
    if isinstance(recipients, str):
        recipients = [recipients]
    hub = _first(agreement, "hub")
    if isinstance(hub, str):  # a bare address
        hub = {"url": hub}
    fingerprint = _first(hub, "certificate_sha256")
    if fingerprint:
        fingerprint = str(fingerprint).replace(":", "").replace(" ", "").lower()
    hub_url = _first(hub, "url")
    return PartnerLink(
        name=str(_first(agreement, "name")),
        hub_url=str(hub_url).rstrip("/") if hub_url else None,
        recipients=tuple(str(r) for r in recipients),
        cert_sha256=fingerprint or None,
        hub_key=_first(hub, "receipt_key") or _first(agreement, "hub_receipt_key"),
    )


def pinned_hub_key(session: Session, partner: str) -> str | None:
    """The receipt key pinned for a partner in this store, if any."""
    return (session.setting(HUB_KEYS_SETTING) or {}).get(partner)


def pin_hub_key(session: Session, partner: str, public_key: str, how: str) -> None:
    """Pin a partner hub's receipt key (``how``: "operator" or "first contact"); audited."""
    signing.parse_public_key(public_key)
    keys = dict(session.setting(HUB_KEYS_SETTING) or {})
    keys[partner] = public_key.strip()
    session.set_setting(HUB_KEYS_SETTING, keys)
    session.audit("hub_key_pinned", "partner", partner, {"key_id": signing.key_id(public_key), "how": how})


def trusted_hub_key(session: Session, link: PartnerLink) -> str | None:
    """The receipt key to verify this partner's receipts with, or None if none is known yet."""
    return link.hub_key or pinned_hub_key(session, link.name)


def require_hub_key(session: Session, link: PartnerLink) -> str:
    """The trusted receipt key; NoHubKey with a plain sentence when there is none."""
    key = trusted_hub_key(session, link)
    if key is None:
        raise NoHubKey(_(
            "This laptop does not know the receipt key of {partner}'s hub yet: send once over "
            "the network, or add the hub's receipt key to the agreement."
        ).format(partner=link.name))
    return key
