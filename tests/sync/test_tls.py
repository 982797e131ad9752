"""HTTPS to the hub: a pinned certificate is required to match before anything is sent."""

from __future__ import annotations

import pytest

from tipintake.sync.errors import InsecureConnection
from tipintake.sync.service import PartnerSync


def _sync_with(env, pin: str | None) -> PartnerSync:
    env.planner.agreement = env.make_agreement(env.server.url, env.hub.keys.recipient, pin)
    return PartnerSync(env.session, env.sync.partner, planner=env.planner, policy=env.sync.policy)


def test_a_wrong_pin_is_refused_before_anything_is_sent(env, kit, hubcount):
    env.planner.add(kit.records("w", 5))
    sync = _sync_with(env, "0" * 64)
    with pytest.raises(InsecureConnection) as caught:
        sync.send_now()
    assert "certificate" in str(caught.value)
    assert hubcount(env.hub, "batches") == 0 and sync.status().pending == 1
    assert "certificate" in sync.status().last_error
    assert not sync.reachable()


def test_an_unpinned_self_signed_hub_is_refused_without_retrying(env, kit, hubcount):
    env.planner.add(kit.records("s", 5))
    slept = []
    sync = _sync_with(env, None)
    sync.policy = type(env.sync.policy)(attempts=5, base=0.01, cap=0.05, sleep=slept.append)
    with pytest.raises(InsecureConnection):
        sync.send_now()
    assert slept == [] and hubcount(env.hub, "batches") == 0


def test_the_right_pin_in_colon_form_is_accepted(env, kit, tls_cert, hubcount):
    env.planner.add(kit.records("c", 5))
    colons = ":".join(tls_cert.sha256[i:i + 2] for i in range(0, 64, 2)).upper()
    sync = _sync_with(env, colons)
    assert sync.send_now().ok and hubcount(env.hub) == 5
