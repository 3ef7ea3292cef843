"""Admin pages: adding users and changing roles."""

from bs4 import BeautifulSoup
from sqlmodel import select

from workbench.store.models import User


def test_admin_adds_a_user_who_can_sign_in(client, auth, db):
    auth.login_as("admin")
    response = auth.post("/admin/users", data={"username": "Ana", "display_name": "Ana Lima",
                                               "password": "correct horse", "role": "checker"})
    assert response.status_code == 302
    soup = BeautifulSoup(client.get("/admin/users").text, "html.parser")
    assert "ana" in [row.td.text for row in soup.select("tbody tr")]
    user = db.exec(select(User).where(User.username == "ana")).one()
    assert user.role == "checker" and user.display_name == "Ana Lima"


def test_bad_user_input_is_explained(client, auth):
    auth.login_as("admin")
    for data, message in [
        ({"username": "checker", "password": "long-enough", "role": "viewer"}, "is taken"),
        ({"username": "x y", "password": "long-enough", "role": "viewer"}, "2 to 64 characters"),
        ({"username": "newbie", "password": "short", "role": "viewer"}, "at least 8"),
        ({"username": "newbie", "password": "long-enough", "role": "king"}, "Unknown role"),
    ]:
        response = auth.post("/admin/users", data=data)
        assert response.status_code == 422 and message in response.text, data


def test_admin_changes_a_role(client, auth, users, db):
    auth.login_as("admin")
    response = auth.post(f"/admin/users/{users['viewer'].id}/role", data={"role": "editor"})
    assert response.status_code == 302
    db.rollback()  # end the read transaction: see what requests committed
    assert db.get(User, users["viewer"].id).role == "editor"


def test_admin_cannot_demote_themselves(client, auth, users):
    auth.login_as("admin")
    response = auth.post(f"/admin/users/{users['admin'].id}/role", data={"role": "viewer"})
    assert response.status_code == 422


def test_unknown_user_is_404(client, auth):
    auth.login_as("admin")
    assert auth.post("/admin/users/999/role", data={"role": "viewer"}).status_code == 404
