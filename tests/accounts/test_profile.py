"""Profile, avatar upload and addresses (pages and API)."""

import io

from PIL import Image

from fantasize.accounts.models import Address, User
from fantasize.extensions import db
from tests.accounts.helpers import api_login, bearer
from tests.factories import UserFactory

ADDRESS = {
    "full_name": "Ada Lovelace",
    "line1": "12 St James's Square",
    "city": "London",
    "postal_code": "SW1Y 4JH",
    "country": "GB",
}


def _image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 64), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 40, 90))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # camera make
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def test_profile_update_over_the_api(client):
    user = UserFactory()
    token = api_login(client, user.email)["access_token"]
    response = client.patch(
        "/api/v2/users/me", json={"username": "Ada", "phone": "+44 20 7946 0000"}, headers=bearer(token)
    )
    assert response.status_code == 200
    assert response.get_json()["data"]["username"] == "Ada"
    bad = client.patch("/api/v2/users/me", json={"gender": "robot"}, headers=bearer(token))
    assert bad.status_code == 422
    assert "gender" in bad.get_json()["error"]["details"]


def test_address_crud_over_the_api(client):
    user = UserFactory()
    auth = bearer(api_login(client, user.email)["access_token"])
    created = client.post("/api/v2/users/me/addresses", json=ADDRESS, headers=auth)
    assert created.status_code == 201
    address_id = created.get_json()["data"]["id"]
    updated = client.patch(f"/api/v2/users/me/addresses/{address_id}", json={"city": "Cambridge"}, headers=auth)
    assert updated.get_json()["data"]["city"] == "Cambridge"
    listed = client.get("/api/v2/users/me/addresses", headers=auth).get_json()["data"]
    assert [a["id"] for a in listed] == [address_id]
    assert client.delete(f"/api/v2/users/me/addresses/{address_id}", headers=auth).status_code == 204
    assert client.get("/api/v2/users/me/addresses", headers=auth).get_json()["data"] == []


def test_address_validation_names_each_field(client):
    user = UserFactory()
    auth = bearer(api_login(client, user.email)["access_token"])
    response = client.post("/api/v2/users/me/addresses", json={"country": "Narnia"}, headers=auth)
    assert response.status_code == 422
    details = response.get_json()["error"]["details"]
    assert {"full_name", "line1", "city", "postal_code", "country"} <= set(details)


def test_address_pages_add_edit_remove(client, login):
    user = UserFactory()
    login(user)
    assert client.post("/account/addresses/new", data=ADDRESS).status_code == 303
    address = db.session.query(Address).filter_by(user_id=user.id).one()
    assert "12 St James" in client.get("/account").get_data(as_text=True)
    edit = client.post(f"/account/addresses/{address.id}/edit", data={**ADDRESS, "city": "Oxford"})
    assert edit.status_code == 303
    db.session.expire_all()
    assert db.session.get(Address, address.id).city == "Oxford"
    address_id = address.id
    assert client.post(f"/account/addresses/{address_id}/delete").status_code == 303
    db.session.expunge_all()
    assert db.session.get(Address, address_id) is None


def test_address_page_shows_errors_next_to_fields(client, login):
    login(UserFactory())
    html = client.post("/account/addresses/new", data={"full_name": ""}).get_data(as_text=True)
    for field in ("full_name", "line1", "city", "postal_code", "country"):
        assert f'id="{field}-help" class="field-error"' in html


def test_avatar_upload_is_re_encoded_without_metadata(client, login, app):
    user = UserFactory()
    login(user)
    upload = {"avatar": (io.BytesIO(_image_bytes("JPEG", (1200, 800), exif=True)), "me.jpg")}
    response = client.post("/account/avatar", data=upload, content_type="multipart/form-data")
    assert response.status_code == 303
    db.session.expire_all()
    path = db.session.get(User, user.id).avatar_path
    assert path.startswith("avatars/")
    with client.get(f"/account/avatar/{path.split('/')[-1]}") as served:
        assert served.status_code == 200
        stored = Image.open(io.BytesIO(served.data))
    assert max(stored.size) == 512
    assert not stored.getexif()


def test_avatar_upload_rejects_a_text_file_named_jpg(client, login):
    login(UserFactory())
    upload = {"avatar": (io.BytesIO(b"just some text, not an image"), "photo.jpg")}
    response = client.post("/account/avatar", data=upload, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "not a JPEG, PNG or WebP image" in response.get_data(as_text=True)


def test_avatar_upload_rejects_a_decompression_bomb(client, login):
    login(UserFactory())
    bomb = _image_bytes("PNG", (10_000, 10_000))  # 100 megapixels of one colour: tiny file, huge bitmap
    assert len(bomb) < 1_000_000
    response = client.post(
        "/account/avatar", data={"avatar": (io.BytesIO(bomb), "bomb.png")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "too many pixels" in response.get_data(as_text=True)


def test_avatar_upload_rejects_a_gif(client, login):
    login(UserFactory())
    response = client.post(
        "/account/avatar",
        data={"avatar": (io.BytesIO(_image_bytes("GIF")), "a.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Only JPEG, PNG and WebP" in response.get_data(as_text=True)
