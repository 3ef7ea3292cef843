"""Command line: ``flask --app workbench <command>`` or the ``workbench`` script."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import select

from workbench.errors import WorkbenchError
from workbench.services import accounts, articles, demo, imports, users
from workbench.store.db import get_engine, get_session, upgrade_database
from workbench.store.models import Role, User

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_USERS = [("admin", Role.admin), ("editor", Role.editor), ("checker", Role.checker), ("viewer", Role.viewer)]


def _fail(err: WorkbenchError) -> None:
    raise click.ClickException(err.message)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the database tables, or migrate them to the newest schema."""
    upgrade_database(get_engine())
    click.echo("The database is ready.")


@click.command("demo")
@with_appcontext
def demo_command():
    """Add demo users and a demo article (prints the users' passwords)."""
    upgrade_database(get_engine())
    db = get_session()
    credentials_file = Path(current_app.instance_path) / "demo-credentials.txt"
    saved = _read_credentials(credentials_file)
    for name, role in DEMO_USERS:
        if db.exec(select(User).where(User.username == name)).first() is None:
            saved[name] = secrets.token_urlsafe(9)
            users.create_user(db, username=name, password=saved[name], role=role.value, display_name=name.title())
    credentials_file.write_text("".join(f"{name} {password}\n" for name, password in saved.items()))
    credentials_file.chmod(0o600)

    checker = db.exec(select(User).where(User.username == "checker")).first()
    editor = db.exec(select(User).where(User.username == "editor")).first()
    existing, _ = articles.list_articles(db, search="Harbour Bridge")
    if not existing:
        article = demo.seed_demo(db, checker=checker, editor=editor,
                                 original=(DEMO_DIR / "harbour-bridge-tolls.txt").read_bytes(),
                                 corrected=(DEMO_DIR / "harbour-bridge-tolls-corrected.txt").read_bytes(),
                                 max_bytes=current_app.config["MAX_IMPORT_BYTES"])
        click.echo(f"Imported demo article {article.id}: {article.title}, with claims in every status "
                   "and a corrected revision")
    click.echo("Demo users (username password):")
    for name, _role in DEMO_USERS:
        click.echo(f"  {name:8} {saved.get(name, '(created earlier; password unchanged)')}")


def _read_credentials(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {name: password for name, password in pairs}


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group("users")
def users_group():
    """Manage user accounts."""


@users_group.command("create")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="The user's role.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--display-name", default="", help="Name shown in pages and exports.")
@with_appcontext
def users_create(name: str, role: str, password_stdin: bool, display_name: str):
    """Create user NAME with a role."""
    password = _read_password(password_stdin)
    try:
        user = users.create_user(get_session(), username=name, password=password, role=role,
                                 display_name=display_name)
    except WorkbenchError as err:
        _fail(err)
    click.echo(f"Created {user.username} ({user.role}).")


@users_group.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def users_set_password(name: str, password_stdin: bool):
    """Give user NAME a new password (prompts unless --password-stdin); their sessions end."""
    db = get_session()
    try:
        user = users.set_password(db, user=users.find_user(db, name), password=_read_password(password_stdin))
    except WorkbenchError as err:
        _fail(err)
    click.echo(f"Set the password of {user.username}; their sessions have ended.")


@users_group.command("deactivate")
@click.argument("name")
@with_appcontext
def users_deactivate(name: str):
    """Deactivate user NAME: no sign-in, no API tokens, sessions ended; their history stays."""
    db = get_session()
    try:
        user = users.set_active(db, user=users.find_user(db, name), active=False)
    except WorkbenchError as err:
        _fail(err)
    click.echo(f"Deactivated {user.username}.")


@users_group.command("activate")
@click.argument("name")
@with_appcontext
def users_activate(name: str):
    """Let a deactivated user NAME sign in again (sessions from before stay ended)."""
    db = get_session()
    try:
        user = users.set_active(db, user=users.find_user(db, name), active=True)
    except WorkbenchError as err:
        _fail(err)
    click.echo(f"{user.username} is active.")


@click.group("tokens")
def tokens_group():
    """Manage API tokens."""


@tokens_group.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
@click.option("--read-only", is_flag=True, help="The token may read, never change anything.")
@with_appcontext
def tokens_create(name: str, label: str, read_only: bool):
    """Create an API token for user NAME and print it (it is shown only once)."""
    db = get_session()
    try:
        user = users.find_user(db, name)
    except WorkbenchError as err:
        _fail(err)
    try:
        click.echo(accounts.create_token(db, user, label=label, read_only=read_only))
    except WorkbenchError as err:
        _fail(err)


@tokens_group.command("list")
@click.argument("name", required=False)
@with_appcontext
def tokens_list(name: str | None):
    """List API tokens (user NAME's, or everyone's): id, user, name, access, created, last used."""
    db = get_session()
    try:
        owner = users.find_user(db, name) if name else None
    except WorkbenchError as err:
        _fail(err)
    for token in accounts.list_tokens(db, actor=None, owner=owner):
        state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else ("revoked" if token.revoked
                                                                                       else "live")
        used = f"{token.last_used:%Y-%m-%d %H:%M}" if token.last_used else "never"
        click.echo(f"{token.id}\t{token.owner}\t{token.name or '-'}\t{token.prefix}…\t"
                   f"{'read-only' if token.read_only else 'read-write'}\t{token.created:%Y-%m-%d %H:%M}\t"
                   f"last used {used}\t{state}")


@tokens_group.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def tokens_revoke(token_id: int):
    """Revoke API token TOKEN_ID (from `tokens list`): requests with it are refused from now on."""
    try:
        token = accounts.revoke_token(get_session(), token_id=token_id, actor=None)
    except WorkbenchError as err:
        _fail(err)
    click.echo(f"Revoked token {token.id} ({token.label or token.prefix + '…'}).")


@click.command("import")
@click.argument("source")
@click.option("--title", default=None, help="Title to use instead of the headline found.")
@click.option("--as", "as_user", default=None, help="User recorded as the importer (default: the first admin).")
@with_appcontext
def import_command(source: str, title: str | None, as_user: str | None):
    """Import an article from FILE_OR_URL (.html .htm .txt .md, or an http(s) URL)."""
    from workbench.services.ingest import fetch_with_settings, media_type_for_upload

    config = current_app.config
    db = get_session()
    try:
        actor = users.find_user(db, as_user) if as_user else db.exec(
            select(User).where(User.role == Role.admin.value).order_by(User.id)).first()
        if source.startswith(("http://", "https://")):
            fetched = fetch_with_settings(source, config)
            data, media_type, origin, charset = fetched.body, fetched.media_type, fetched.url, fetched.charset
            overrides = {"title": title, "source_url": fetched.url}
        else:
            path = Path(source)
            if not path.is_file():
                raise click.ClickException(f"No such file: {source}")
            data, media_type, origin, charset = path.read_bytes(), media_type_for_upload(path.name), \
                f"file:{path.name}", None
            overrides = {"title": title}
        article = imports.import_article(db, actor=actor, data=data, media_type=media_type, origin=origin,
                                          charset=charset, max_bytes=config["MAX_IMPORT_BYTES"], overrides=overrides)
    except WorkbenchError as err:
        _fail(err)
    revision = articles.get_revision(db, article)
    dropped = sum(1 for b in revision.blocks if not b["kept"])
    click.echo(f"Imported article {article.id}: {article.title} "
               f"({len(revision.blocks) - dropped} blocks kept, {dropped} dropped)")


@click.command("export")
@click.argument("article_id", type=int)
@click.option("--format", "fmt", required=True,
              type=click.Choice(["html", "md", "csv", "jsonld", "claimreview", "pdf"]), help="What to export.")
@click.option("--include", default="approved", type=click.Choice(["approved", "all"]),
              help="Approved claims only (default) or all, with their status.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
@with_appcontext
def export_command(article_id: int, fmt: str, include: str, output: str | None):
    """Export ARTICLE_ID's claims (annotated report, Markdown, CSV, W3C JSON-LD, ClaimReview or PDF)."""
    from workbench.services.exports.service import build
    from workbench.web.links import links

    app = current_app._get_current_object()
    # IRIs in the export name the public address of the app (WORKBENCH_PUBLIC_URL).
    with app.test_request_context("/", base_url=app.config["PUBLIC_URL"]):
        db = get_session()
        try:
            export = build(db, article=articles.get_article(db, article_id), fmt=fmt, include=include, links=links())
        except WorkbenchError as err:
            _fail(err)
    if output:
        Path(output).write_bytes(export.content)
        click.echo(f"Wrote {output} ({len(export.content):,} bytes)", err=True)
    else:
        click.get_binary_stream("stdout").write(export.content)


COMMANDS = [init_db_command, demo_command, users_group, tokens_group, import_command, export_command]


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
