"""Model instances made from values in hand, the way the ORM makes the rows it loads.

For the paths every saved selection takes (the API token's user, the new claim): their values
come from one light query or were just written, and reading them again through the ORM would
cost more than the rest of the work. The instance joins the session as a row it had loaded, so
later changes to it are written as usual.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlmodel import SQLModel

from workbench.memo import memoized

Model = TypeVar("Model", bound=SQLModel)


def attach_loaded(db: Session, model: type[Model], values: dict[str, Any]) -> Model:
    """An instance of ``model`` with ``values`` (every column, the primary key included), part of
    ``db`` as if loaded from the database. The session's own instance, if it has one already."""
    mapper = inspect(model)
    key = mapper.identity_key_from_primary_key([values[name] for name in _primary_key_names(model)])
    existing = db.identity_map.get(key)
    if existing is not None:
        return existing
    instance = detached_loaded(model, values)
    db.add(instance)
    return instance


def detached_loaded(model: type[Model], values: dict[str, Any]) -> Model:
    """An instance of ``model`` with ``values`` (the primary key included), as if loaded by a
    session since closed: the columns not in ``values`` are not there, and reading one raises
    ``DetachedInstanceError`` (never a made-up None)."""
    instance = inspect(model).class_manager.new_instance()  # as the ORM does: no __init__, no validation
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    return instance


@memoized(max_entries=64)
def _primary_key_names(model: type[SQLModel]) -> tuple[str, ...]:
    return tuple(column.key for column in inspect(model).primary_key)

