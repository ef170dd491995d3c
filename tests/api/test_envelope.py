"""The success and error envelope, request ids and cursor pagination."""

from fantasize.catalog import listing as catalog_listing
from tests.factories import ProductFactory


def test_every_response_has_a_request_id(client):
    for path in ("/", "/api/v2/products", "/api/v2/nope", "/health/live", "/no-such-page"):
        assert client.get(path).headers.get("X-Request-ID"), path


def test_a_client_request_id_is_echoed(client):
    response = client.get("/api/v2/products", headers={"X-Request-ID": "mobile-123"})
    assert response.headers["X-Request-ID"] == "mobile-123"
    assert response.get_json()["meta"]["request_id"] == "mobile-123"


def test_a_malformed_client_request_id_is_replaced(client):
    response = client.get("/api/v2/products", headers={"X-Request-ID": "bad id\twith spaces"})
    assert response.headers["X-Request-ID"] != "bad id\twith spaces"
    assert len(response.headers["X-Request-ID"]) == 32


def test_unknown_api_path_is_a_json_404_envelope(client):
    response = client.get("/api/v2/no-such-resource")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"]["code"] == "not_found"
    assert body["meta"]["request_id"] == response.headers["X-Request-ID"]


def test_wrong_method_is_a_405_envelope_with_allow(client):
    response = client.delete("/api/v2/products")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_invalid_query_is_a_422_with_field_details(client):
    response = client.get("/api/v2/products?limit=0")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert "limit" in error["details"]


def test_tampered_cursor_is_a_422(client):
    response = client.get("/api/v2/products?cursor=not-a-real-cursor")
    assert response.status_code == 422
    assert "cursor" in response.get_json()["error"]["details"]


def test_pagination_walks_every_product_once(client):
    created = {ProductFactory().id for _ in range(7)}
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        query = f"/api/v2/products?limit=3{'&cursor=' + cursor if cursor else ''}"
        body = client.get(query).get_json()
        seen += [item["id"] for item in body["data"]]
        pagination = body["meta"]["pagination"]
        assert pagination["limit"] == 3
        cursor = pagination["next_cursor"]
        pages += 1
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(created)
    assert len(seen) == len(set(seen))


def test_money_is_a_decimal_string_and_times_are_utc(client):
    ProductFactory(price="7.5")
    item = client.get("/api/v2/products").get_json()["data"][0]
    assert item["price"] == "7.50"
    assert item["created_at"].endswith("+00:00")


def test_unexpected_errors_become_a_500_envelope_without_a_trace(client, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(catalog_listing, "list_items", boom)
    response = client.get("/api/v2/products")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body
    assert "Traceback" not in body
    assert response.get_json()["error"]["code"] == "internal_error"


def test_oversized_body_is_a_413_envelope(app, client):
    too_big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.get("/api/v2/products", data=too_big, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_the_general_api_limit_answers_429_with_retry_after(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMIT_DEFAULT", "3 per minute")
    statuses = [client.get("/api/v2/products").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v2/products")
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/").status_code == 200  # pages are not counted against the API limit


def test_openapi_document_is_served_and_describes_the_envelope(client):
    response = client.get("/api/v2/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v2/products" in spec["paths"]
    ok = spec["paths"]["/api/v2/products"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    envelope = spec["components"]["schemas"][ok["$ref"].rsplit("/", 1)[1]]
    assert set(envelope["properties"]) == {"data", "meta"}
    assert envelope["properties"]["data"]["type"] == "array"


def test_interactive_docs_load_vendored_swagger_ui(client):
    response = client.get("/api-docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "https://" not in html
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
