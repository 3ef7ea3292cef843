"""Search over annotations (claims) across articles: words, verdict, status, tag, checker,
article and a range of creation dates, in pages. Withdrawn claims are never found."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, select

from workbench.errors import InvalidContentError
from workbench.services.rating import rating_scale
from workbench.store.models import Claim, ReviewStatus, User
from workbench.store.unit_of_work import reads

#: The longest words searched for.
MAX_TEXT = 200


@dataclass(frozen=True)
class ClaimQuery:
    """What to look for; every part is optional, and all given parts must hold."""

    text: str = ""
    verdict: str | None = None
    status: str | None = None
    tag: str | None = None
    checker: str | None = None
    article_id: int | None = None
    created_from: date | None = None
    created_to: date | None = None


def parse_day(raw: str | None, *, name: str) -> date | None:
    """A day given as YYYY-MM-DD (a full ISO time is cut to its day); 422 naming ``name`` otherwise."""
    if raw is None or raw.strip() == "":
        return None
    try:
        return date.fromisoformat(raw.strip()[:10]) if len(raw.strip()) >= 10 else date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidContentError(f"{name} must be a date like 2025-03-31, not {raw[:40]!r}.",
                                  code="bad_parameter") from None


def claim_query(*, text: str = "", verdict: str | None = None, status: str | None = None, tag: str | None = None,
                checker: str | None = None, article_id: int | None = None, created_from: str | None = None,
                created_to: str | None = None, config: dict | None = None) -> ClaimQuery:
    """The query from what a client sent, checked: 422 naming the part that cannot be searched for."""
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidContentError(f"q is longer than {MAX_TEXT} characters.", code="bad_parameter")
    verdict = (verdict or "").strip() or None
    if verdict is not None and verdict not in {v.key for v in rating_scale(config)}:
        keys = ", ".join(v.key for v in rating_scale(config))
        raise InvalidContentError(f"verdict must be one of {keys}, not {verdict[:40]!r}.", code="bad_parameter")
    status = (status or "").strip() or None
    if status is not None and status not in {s.value for s in ReviewStatus}:
        raise InvalidContentError(f"status must be one of {', '.join(s.value for s in ReviewStatus)}, "
                                  f"not {status[:40]!r}.", code="bad_parameter")
    day_from, day_to = parse_day(created_from, name="from"), parse_day(created_to, name="to")
    if day_from and day_to and day_from > day_to:
        raise InvalidContentError(f"from ({day_from}) is after to ({day_to}).", code="bad_parameter")
    return ClaimQuery(text=text, verdict=verdict, status=status, tag=(tag or "").strip() or None,
                      checker=(checker or "").strip() or None, article_id=article_id,
                      created_from=day_from, created_to=day_to)


def _like_escape(value: str) -> str:
    return value.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _has_tag(tag: str):
    """Whether the claim's tags (a JSON list, kept as ``json.dumps`` writes it) hold ``tag``
    exactly: the quoted tag as the list's first, last, only or a middle item. Inside a string a
    quote is always escaped, so no other tag's text can look like one of these."""
    item = _like_escape(json.dumps(tag))
    tags = cast(Claim.tags, String)
    return or_(*(tags.like(pattern, escape="!") for pattern in
                 (f"[{item}]", f"[{item}, %", f"%, {item}]", f"%, {item}, %")))


def _conditions(query: ClaimQuery) -> list:
    conditions = [Claim.deleted == False]  # noqa: E712
    if query.text:
        words = f"%{_like_escape(query.text)}%"
        conditions.append(or_(Claim.exact.ilike(words, escape="!"), Claim.rationale.ilike(words, escape="!")))
    if query.verdict:
        conditions.append(Claim.verdict == query.verdict)
    if query.status:
        conditions.append(Claim.status == query.status)
    if query.tag:
        conditions.append(_has_tag(query.tag))
    if query.checker:
        conditions.append(Claim.creator_id.in_(select(User.id).where(User.username == query.checker)))
    if query.article_id is not None:
        conditions.append(Claim.article_id == query.article_id)
    if query.created_from:
        conditions.append(Claim.created >= _start_of(query.created_from))
    if query.created_to:
        conditions.append(Claim.created < _start_of(query.created_to + timedelta(days=1)))
    return conditions


def _start_of(day: date) -> datetime:
    """The day's first moment, in UTC (days are UTC days, as the API writes times)."""
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


@reads
def search_claims(db: Session, query: ClaimQuery, *, limit: int, offset: int) -> tuple[list[Claim], int]:
    """One page of the claims the query finds, oldest first, and how many it finds in all."""
    conditions = _conditions(query)
    total = db.exec(select(func.count()).select_from(Claim).where(*conditions)).one()
    rows = db.exec(select(Claim).where(*conditions).order_by(Claim.id).offset(offset).limit(limit)).all()
    return list(rows), total
