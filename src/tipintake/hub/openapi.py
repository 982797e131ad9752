"""The OpenAPI 3.0 description of the hub's HTTP API, served at ``/openapi.json``.

Written out by hand (the API is four routes) so that it states exactly what the hub
promises, including every error status; the property-based API test runs against it.
"""

from __future__ import annotations

from typing import Any

_ERROR = {
    "description": "the request was refused; the body says why in one sentence",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def openapi_spec(released: list[str]) -> dict[str, Any]:
    """The spec, with the released variable names as the ``by`` parameter's vocabulary."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "tipintake partner hub",
            "version": "1",
            "description": "Receives signed, age-encrypted batches of de-identified records "
            "(docs/batch-format.md) and publishes aggregate counts with small cells suppressed.",
        },
        "paths": {
            "/v1/batches": {
                "post": {
                    "summary": "Deliver one batch; answered with the hub's signed receipt.",
                    "parameters": [{
                        "name": "Tipintake-Manifest",
                        "in": "header",
                        "required": True,
                        "description": "the manifest file bytes, base64 with padding",
                        "schema": {"type": "string", "maxLength": 16384},
                    }],
                    "requestBody": {
                        "required": True,
                        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "stored (or stored before): the signed receipt",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignedReceipt"}}},
                        },
                        "400": _ERROR, "403": _ERROR, "409": _ERROR, "413": _ERROR,
                        "429": dict(_ERROR, headers={"Retry-After": {"schema": {"type": "integer"}}}),
                    },
                }
            },
            "/v1/aggregates": {
                "get": {
                    "summary": "Counts of stored cases by one to three released variables; cells under k are suppressed.",
                    "parameters": [{
                        "name": "by",
                        "in": "query",
                        "required": True,
                        "description": "comma-separated released variable names, e.g. gender,ageBroad",
                        "schema": {"type": "string"},
                        "example": "gender,ageBroad",
                    }],
                    "responses": {
                        "200": {
                            "description": "the table",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Aggregate"}}},
                        },
                        "400": _ERROR,
                    },
                }
            },
            "/v1/hub": {
                "get": {
                    "summary": "The hub's public keys, limits and released variables.",
                    "responses": {"200": {
                        "description": "hub information",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HubInfo"}}},
                    }},
                }
            },
        },
        "components": {"schemas": {
            "Error": {
                "type": "object", "required": ["error"],
                "properties": {"error": {"type": "string"}},
            },
            "SignedReceipt": {
                "type": "object", "required": ["receipt", "signature"],
                "properties": {
                    "receipt": {"type": "object"},
                    "signature": {
                        "type": "object", "required": ["algorithm", "public_key", "value"],
                        "properties": {
                            "algorithm": {"type": "string", "enum": ["ed25519"]},
                            "public_key": {"type": "string"},
                            "value": {"type": "string"},
                        },
                    },
                },
            },
            "Aggregate": {
                "type": "object", "required": ["by", "k", "cells", "suppressed_cells", "total_published"],
                "properties": {
                    "by": {"type": "array", "items": {"type": "string", "enum": released}},
                    "k": {"type": "integer"},
                    "cells": {"type": "array", "items": {
                        "type": "object", "required": ["values", "count"],
                        "properties": {
                            "values": {"type": "object", "additionalProperties": {"type": "string", "nullable": True}},
                            "count": {"type": "integer", "minimum": 0},
                        },
                    }},
                    "suppressed_cells": {"type": "integer", "minimum": 0},
                    "total_published": {"type": "integer", "minimum": 0},
                },
            },
            "HubInfo": {
                "type": "object",
                "properties": {
                    "batch_format_versions": {"type": "array", "items": {"type": "integer"}},
                    "recipient": {"type": "string"},
                    "receipt_key": {"type": "string"},
                    "hub_key_id": {"type": "string"},
                    "max_batch_bytes": {"type": "integer"},
                    "released_variables": {"type": "array", "items": {"type": "string"}},
                    "k": {"type": "integer"},
                },
            },
        }},
    }
