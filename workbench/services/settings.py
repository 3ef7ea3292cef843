"""Settings an admin changes in the app; they override the config file until changed again."""

from __future__ import annotations

from flask import current_app
from sqlmodel import Session

from workbench.store.models import Setting, User
from workbench.store.unit_of_work import writes

#: Settings editable in the admin page, with their type.
EDITABLE = {"FOUR_EYES": bool}


def get_setting(db: Session, key: str):
    row = db.get(Setting, key)
    return row.value if row is not None else current_app.config[key]


@writes
def set_setting(db: Session, *, key: str, value, actor: User) -> None:
    if key not in EDITABLE:
        raise KeyError(key)
    row = db.get(Setting, key) or Setting(key=key)
    row.value = EDITABLE[key](value)
    db.add(row)
    db.commit()
