"""API version selection: URL, header, query; v1 deprecated, v0 gone, unknown refused."""

import pytest

from tests.factories import ProductFactory


def test_v2_url_answers_in_the_envelope(client):
    ProductFactory()
    response = client.get("/api/v2/products")
    assert response.status_code == 200
    body = response.get_json()
    assert body["meta"]["api_version"] == "v2"
    assert len(body["data"]) == 1


@pytest.mark.parametrize(
    ("path", "headers", "expected"),
    [
        ("/api/products", {}, "v2"),
        ("/api/products", {"API-Version": "v1"}, "v1"),
        ("/api/products", {"API-Version": "2"}, "v2"),
        ("/api/products?version=v1", {}, "v1"),
        ("/api/v1/products", {"API-Version": "v2"}, "v1"),
    ],
)
def test_version_is_chosen_by_url_then_header_then_query(client, path, headers, expected):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["meta"]["api_version"] == expected


def test_v1_answers_carry_deprecation_sunset_and_link(client):
    response = client.get("/api/v1/products")
    assert response.status_code == 200
    assert response.headers["Deprecation"] == "true"
    assert "GMT" in response.headers["Sunset"]
    assert 'rel="successor-version"' in response.headers["Link"]
    assert "Deprecation" not in client.get("/api/v2/products").headers


@pytest.mark.parametrize("request_args", [("/api/v0/products", {}), ("/api/products", {"API-Version": "v0"})])
def test_v0_is_gone_with_an_explanation(client, request_args):
    path, headers = request_args
    response = client.get(path, headers=headers)
    assert response.status_code == 410
    error = response.get_json()["error"]
    assert error["code"] == "gone"
    assert "2024-12-31" in error["message"]


@pytest.mark.parametrize(
    "request_args",
    [("/api/products", {"API-Version": "v9"}), ("/api/v9/products", {}), ("/api/products?version=nine", {})],
)
def test_unknown_version_is_a_400(client, request_args):
    path, headers = request_args
    response = client.get(path, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert "supported versions are v1, v2" in response.get_json()["error"]["message"]


def test_unknown_version_is_refused_even_for_unknown_paths(client):
    assert client.get("/api/v0/does-not-exist").status_code == 410
