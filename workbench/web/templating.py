"""Template filters and globals shared by all pages."""

from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Flask

from workbench.services.rating import css_class
from workbench.text import claim_fields
from workbench.web.static_assets import asset_integrity


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def format_datetime_iso(value: datetime | None) -> str:
    """For a <time datetime="…"> attribute."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_date(value: date | None) -> str:
    """A date as ISO; a moment (such as an archive date) as its day in UTC."""
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).date()
    return value.isoformat() if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime_iso"] = format_datetime_iso
    app.jinja_env.globals["asset_integrity"] = asset_integrity
    app.jinja_env.filters["verdict_class"] = css_class
    app.jinja_env.globals["claim_fields"] = claim_fields.declared
    app.jinja_env.globals["claim_fields_in_words"] = claim_fields.in_words
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
