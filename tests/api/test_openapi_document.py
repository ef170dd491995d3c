"""The OpenAPI documents: valid, complete per operation, and true to what the API does."""

from __future__ import annotations

import re

import pytest

METHODS = ("get", "post", "put", "patch", "delete")
NUMERIC_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


@pytest.fixture
def spec(client) -> dict:
    return client.get("/api/v2/openapi.json").get_json()


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _walk(node, trail=""):
    if isinstance(node, dict):
        yield trail, node
        for key, value in node.items():
            yield from _walk(value, f"{trail}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{trail}/{index}")


def test_numeric_keywords_and_defaults_have_the_schema_type(spec):
    wrong = []
    for trail, node in _walk(spec):
        for keyword in NUMERIC_KEYWORDS:
            if keyword in node and not isinstance(node[keyword], int | float):
                wrong.append(f"{trail}/{keyword}={node[keyword]!r}")
        numeric = node.get("type") in ("number", "integer")
        if numeric and node.get("default", 0) is not None and not isinstance(node.get("default", 0), int | float):
            wrong.append(f"{trail}/default={node['default']!r}")
    assert wrong == []


def test_money_is_documented_as_a_decimal_string(spec):
    card = spec["components"]["schemas"]["Card"]["properties"]
    for name in ("price", "final_price"):
        assert card[name]["type"] == "string"
        assert card[name]["format"] == "decimal"
        assert re.fullmatch(card[name]["pattern"], "19.90")
    assert spec["components"]["schemas"]["Order"]["properties"]["total"]["type"] == "string"
    assert spec["components"]["schemas"]["Card"]["properties"]["discount_percent"]["nullable"] is True


def test_every_operation_has_an_id_a_summary_and_error_responses(spec):
    ids = []
    for path, method, operation in _operations(spec):
        ids.append(operation.get("operationId"))
        assert operation.get("summary"), (method, path)
        assert "429" in operation["responses"], (method, path)
        if "{" in path:
            assert "404" in operation["responses"], (method, path)
        if method != "get":
            assert {"409", "422"} <= set(operation["responses"]), (method, path)
    assert None not in ids
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v2/cart"),
        ("post", "/api/v2/cart/items"),
        ("get", "/api/v2/orders"),
        ("get", "/api/v2/orders/{order_id}"),
        ("get", "/api/v2/users/me"),
        ("patch", "/api/v2/users/me"),
        ("post", "/api/v2/users/me/addresses"),
        ("get", "/api/v2/users/me/favorites"),
        ("post", "/api/v2/checkout"),
        ("post", "/api/v2/products"),
    ],
)
def test_operations_that_need_a_credential_say_so(spec, method, path):
    operation = spec["paths"][path][method]
    assert {"bearerAuth": []} in operation["security"]
    assert {"401", "403"} <= set(operation["responses"])


def test_public_operations_need_no_credential(spec):
    for path in ("/api/v2/products", "/api/v2/categories", "/api/v2/brands"):
        assert "security" not in spec["paths"][path]["get"]
    assert "security" not in spec["paths"]["/api/v2/auth/login"]["post"]


def test_one_path_template_per_url(spec):
    shapes: dict[str, str] = {}
    for path in spec["paths"]:
        shape = re.sub(r"\{[^}]+\}", "{}", path)
        assert shape not in shapes, (path, shapes.get(shape))
        shapes[shape] = path
    assert "/api/v2/products/{product_id}" in spec["paths"]
    assert "get" in spec["paths"]["/api/v2/products/{product_id}"]


def test_uploads_take_multipart_and_previews_answer_images(spec):
    for path in ("/api/v2/uploads", "/api/v2/products/{product_id}/media"):
        body = spec["paths"][path]["post"]["requestBody"]
        assert body["required"] is True
        assert body["content"]["multipart/form-data"]["schema"]["properties"]["file"]["format"] == "binary"
    preview = spec["paths"]["/api/v2/customizations/preview"]["post"]["responses"]["200"]["content"]
    assert set(preview) == {"image/png", "image/webp"}


def test_bodies_are_required_where_fields_are(spec):
    assert spec["paths"]["/api/v2/users/me/addresses"]["post"]["requestBody"]["required"] is True
    assert spec["paths"]["/api/v2/users/me/addresses/{address_id}"]["patch"]["requestBody"]["required"] is False
    assert spec["paths"]["/api/v2/orders/{order_id}/cancel"]["post"]["requestBody"]["required"] is False


def test_checkout_documents_the_idempotent_replay(spec):
    checkout = spec["paths"]["/api/v2/checkout"]["post"]
    assert "Idempotent-Replayed" in checkout["responses"]["201"]["headers"]
    assert any(p["name"] == "Idempotency-Key" for p in checkout["parameters"])
    assert "200" not in checkout["responses"]


def test_v1_document_describes_v1(client, spec):
    v1 = client.get("/api/v1/openapi.json").get_json()
    assert v1["info"]["version"] == "v1"
    assert all(path.startswith("/api/v1/") for path in v1["paths"])
    assert len(v1["paths"]) == len(spec["paths"])
    assert all(operation["deprecated"] for _, _, operation in _operations(v1))


def test_interactive_docs_load_the_v2_document(client):
    html = client.get("/api-docs").get_data(as_text=True)
    assert 'data-spec-url="/api/v2/openapi.json"' in html
