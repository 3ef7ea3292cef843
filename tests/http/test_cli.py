"""The command line: init-db, demo, users, tokens, import."""

import re

from sqlmodel import select

from tests.helpers.pages import csrf_token
from workbench.store.models import Article, Claim, ClaimSource, Comment, Revision, User


def test_init_db_is_repeatable(runner):
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0 and "ready" in result.output


def test_demo_creates_users_and_a_messy_article_cleaned(runner, db, app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    passwords = dict(re.findall(r"^\s+(admin|editor|checker|viewer)\s+(\S+)$", result.output, re.M))
    assert set(passwords) == {"admin", "editor", "checker", "viewer"}
    # The printed password works on the sign-in page.
    client = app.test_client()
    page = client.get("/login")
    token = csrf_token(page.text)
    response = client.post("/login", data={"username": "editor", "password": passwords["editor"], "csrf_token": token})
    assert response.status_code == 302
    revision = db.exec(select(Revision).where(Revision.number == 1)).one()
    assert "Harbour Bridge" in revision.title
    assert revision.published.isoformat() == "2025-03-14"
    assert "Share this article" not in revision.canonical_text and "Read more" not in revision.canonical_text
    assert revision.canonical_text.startswith("Port Averly's transport minister")
    # A first run shows every feature: claims in every status, sources, comments, a corrected revision
    # that orphans the claim whose words it dropped.
    article = db.exec(select(Article)).one()
    assert article.current_revision == 2
    found = db.exec(select(Claim)).all()
    assert sorted({c.status for c in found if not c.deleted}) == ["approved", "changes_requested", "draft", "in_review"]
    assert [c.exact for c in found if c.deleted] == ["passes 35 percent of receipts to the regional treasury"]
    assert [c.exact for c in found if c.anchor_state == "orphan"] == ["the average commuter now saves 25 minutes a day"]
    assert db.exec(select(ClaimSource)).all() and db.exec(select(Comment)).all()
    # Running it again adds nothing and changes no password.
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and db.exec(select(Article)).all().__len__() == 1
    assert "editor" in again.output


def test_users_create_with_password_stdin(runner, db):
    result = runner.invoke(args=["users", "create", "Maria", "--role", "editor", "--password-stdin"],
                           input="a long password\n")
    assert result.exit_code == 0, result.output
    user = db.exec(select(User).where(User.username == "maria")).one()
    assert user.role == "editor"


def test_users_create_refuses_a_bad_role_and_a_short_password(runner):
    bad_role = runner.invoke(args=["users", "create", "x1", "--role", "boss", "--password-stdin"], input="long pass\n")
    assert bad_role.exit_code != 0 and "boss" in bad_role.output
    short = runner.invoke(args=["users", "create", "x1", "--role", "viewer", "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "at least 8" in short.output


def test_tokens_create_prints_a_working_token(runner, users, client):
    result = runner.invoke(args=["tokens", "create", "checker"])
    assert result.exit_code == 0
    token = result.output.strip()
    response = client.get("/api/articles", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_tokens_create_for_unknown_user(runner, users):
    result = runner.invoke(args=["tokens", "create", "nobody"])
    assert result.exit_code != 0 and "nobody" in result.output


def test_import_file(runner, users, db, tmp_path):
    path = tmp_path / "story.md"
    path.write_text("# Markdown Headline\n\nShare this story\n\nThe first paragraph of the story.\n")
    result = runner.invoke(args=["import", str(path), "--title", "Given title"])
    assert result.exit_code == 0, result.output
    article = db.exec(select(Article)).one()
    assert article.title == "Given title"
    revision = db.exec(select(Revision)).one()
    assert revision.canonical_text == "The first paragraph of the story."
    assert revision.created_by_id == users["admin"].id


def test_import_url(runner, users, db, site):
    url = site.route("/s.txt", "Headline\n\nThe paragraph of the story.\n", content_type="text/plain")
    result = runner.invoke(args=["import", url])
    assert result.exit_code == 0, result.output
    assert db.exec(select(Article)).one().source_url == url


def test_import_missing_file_and_bad_type(runner, users, tmp_path):
    missing = runner.invoke(args=["import", str(tmp_path / "nope.txt")])
    assert missing.exit_code != 0 and "No such file" in missing.output
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF")
    bad = runner.invoke(args=["import", str(pdf)])
    assert bad.exit_code != 0 and "not a supported file" in bad.output
