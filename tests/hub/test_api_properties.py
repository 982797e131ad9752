"""Property-based API testing: schemathesis drives the live hub from its own OpenAPI spec.

schemathesis' pytest plugin does not run under this pytest version, so its strategies
are driven by hypothesis directly: every operation of ``/openapi.json`` gets generated
requests (headers, query strings, bodies), sent over real HTTP, and none may answer 5xx.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error


def test_no_generated_request_makes_the_hub_fail(sqlite_hub, serve, kit, tmp_path):
    url = kit.serve_hub(serve, sqlite_hub)
    device = kit.Device("Org A").enrol(sqlite_hub)  # stored cases give aggregates something to count
    kit.post_batch(url, device.write(kit.records("a", 30), tmp_path, sqlite_hub.keys.recipient))
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {"/v1/batches", "/v1/aggregates", "/v1/hub"}
    seen: list[tuple[str, int]] = []
    for operation in operations:

        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def exercise(case):
            response = case.call_and_validate(base_url=url, checks=[not_a_server_error])
            seen.append((case.operation.path, response.status_code))

        exercise()
    # the run really reached every operation, and both refusals and successes happened
    assert {path for path, _ in seen} == {op.path for op in operations}
    assert {status for _, status in seen} >= {200, 400}
