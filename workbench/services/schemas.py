"""Data models for input and output that are not tables (validated at the edges)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from pydantic import ConfigDict, create_model, field_validator
from sqlmodel import Field, SQLModel

from workbench.errors import InvalidContentError
from workbench.memo import memoized
from workbench.text import claim_fields
from workbench.text.urls import InvalidURLError, normalize_url


def parse_date(value: str | date | None, *, field: str = "published") -> date | None:
    """A date from ISO text (``2022-07-20`` or a full timestamp); empty gives None."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date() if "T" in text else date.fromisoformat(text)
    except ValueError:
        raise InvalidContentError(f"{field} must be a date like 2024-05-31, not {text!r}.", code="bad_date") from None


def parse_url(value: str | None, *, field: str, required: bool = False) -> str | None:
    """A URL as it is kept (see ``urls.normalize_url``); empty gives None unless ``required``, and
    anything unusable a 422 whose message names ``field``."""
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return None
    try:
        return normalize_url(value, field=field)
    except InvalidURLError as err:
        raise InvalidContentError(str(err), code="bad_url") from None


def parse_datetime(value: str | None, *, field: str) -> datetime | None:
    """A moment from ISO text; a date alone means midnight UTC, a time without zone means UTC."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidContentError(f"{field} must be a date or time like 2024-05-31T10:00:00Z, not {text!r}.",
                                  code="bad_date") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class ArticleImport(SQLModel):
    """Body of ``POST /api/articles`` and of a new revision."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=500)
    text: str | None = None
    html: str | None = None
    # URLs are checked (length included) by ``parse_url``, which names the field in a 422.
    url: str | None = None
    source_url: str | None = None
    publisher: str | None = Field(default=None, max_length=300)
    published: str | None = Field(default=None, max_length=40)

    @field_validator("title", "publisher", "source_url", "url")
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() or None if isinstance(value, str) else value


class ArticleMeta(SQLModel):
    """Metadata the user may correct in the import preview."""

    title: str = ""
    source_url: str | None = None
    publisher: str | None = None
    byline: str | None = None
    published: date | None = None
    language: str | None = None


class SourceInput(SQLModel):
    """A source as a user gives it: the URL is required, the rest optional."""

    model_config = ConfigDict(extra="forbid")

    url: str
    title: str = ""
    publisher: str | None = None
    date_published: str | None = None
    archived_url: str | None = None
    archived_date: str | None = None
    excerpt: str = ""
    stance: str = "context"


_ANNOTATIONS = {"verdict": str | None, "markdown": str, "text": str, "tags": list[str]}


@memoized(max_entries=8)
def claim_fields_model(declared: tuple[claim_fields.ClaimField, ...]) -> type[SQLModel]:
    """The input model of ``declared`` fields (``claim_fields``), each optional with its empty value."""
    return create_model("ClaimFields", __base__=SQLModel, __doc__="The editable fields of a claim, as they "
                        "arrive from a form or the API.",
                        **{f.name: (_ANNOTATIONS[f.kind], f.empty) for f in declared})


def claim_fields_input(**values) -> SQLModel:
    """A ``ClaimFields`` of the fields declared now."""
    return claim_fields_model(claim_fields.declared())(**values)


ClaimFields = claim_fields_model(claim_fields.declared())
