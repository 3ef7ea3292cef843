"""INSERTs of a model's new rows that give every column the value the ORM would, run on the driver.

For the rows every saved selection writes (the claim and its history event): the ORM's unit of
work costs more than the rest of the request. Everything here is read from the SQLModel table
and its mapper, never written twice: the columns (all but the generated primary key), the values
a new instance would get (the field's default or factory, as ``Model(...)`` gives them; for what
is still None, given or not, the column's scalar or callable default, as the flush gives them) and the version
counter's first value (the mapper's ``version_id_generator``). The statements are compiled once
per dialect (``driver_statements``), so they run as fast as hand-written ones.
"""

from __future__ import annotations

from typing import Any, Callable

from pydantic_core import PydanticUndefined
from sqlalchemy import bindparam, insert, inspect, select
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import SQLModel

from workbench.store.driver_statements import DriverStatements

_GIVEN = object()  # a required field: the caller gives it


class _Constant:
    """A default that is the same immutable value for every row."""

    def __init__(self, value: Any):
        self.value = value


class FastInsert:
    """The INSERT of ``model``'s table (``statements``, its parameters named by column key), and
    the same as INSERT ... SELECT (``from_select``, its parameters named with ``prefix`` first, so
    that several inserts can share one statement)."""

    def __init__(self, model: type[SQLModel], *, prefix: str = "", returning: str | None = "id"):
        self.model, self.prefix = model, prefix
        self.table = model.__table__
        mapper = inspect(model)
        generated = self.table.autoincrement_column
        self.columns = [column for column in self.table.columns if column is not generated]
        self.keys = tuple(column.key for column in self.columns)
        makers = {column.key: _default_maker(model, column) for column in self.columns}
        self._required = frozenset(key for key, make in makers.items() if make is _GIVEN)
        # Every column in order, with its constant default where it has one (so a new row is a copy
        # of this, updated), and the defaults made afresh for each row (factories, copied lists).
        self._template = {key: (make.value if isinstance(make, _Constant) else None) for key, make in makers.items()}
        self._made = [(key, make) for key, make in makers.items()
                      if make is not _GIVEN and not isinstance(make, _Constant)]
        self._known = frozenset(self.keys)
        self._names = [(key, prefix + key) for key in self.keys]
        # The flush leaves out an attribute that is None (unless its type stores None, as JSON's
        # does), so that the column's default applies.
        self._when_none = {column.key: _column_default(column) for column in self.columns
                           if column.default is not None and not column.type.should_evaluate_none}
        version = mapper.version_id_col
        self._version = None
        if version is not None and mapper.version_id_generator is not False:
            self._version = (version.key, mapper.version_id_generator)
        self.returning = self.table.c[returning] if returning else None
        statement = insert(self.table).values({key: bindparam(key, type_=self.table.c[key].type) for key in self.keys})
        if self.returning is not None:
            statement = statement.returning(self.returning)
        self.statements = DriverStatements(statement)

    def row(self, given: dict[str, Any]) -> dict[str, Any]:
        """Every column's value for a new row: ``given``, and the rest as the ORM would fill it in."""
        if not self._known.issuperset(given):
            raise TypeError(f"{self.table.name} has no column {', '.join(sorted(given.keys() - self._known))}")
        if not self._required <= given.keys():
            raise TypeError(f"a new {self.table.name} row needs {', '.join(sorted(self._required - given.keys()))}")
        row = self._template.copy()
        row.update(given)
        for key, make in self._made:
            if key not in given:
                row[key] = make()
        for key, default in self._when_none.items():
            if row[key] is None:
                row[key] = default()
        if self._version is not None:
            key, generator = self._version
            row[key] = generator(None)  # what the ORM writes on INSERT, whatever the attribute says
        return row

    def parameters(self, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` under ``from_select``'s parameter names."""
        return {name: row[key] for key, name in self._names if key in row}

    def from_select(self, where: ColumnElement | None = None,
                    columns: dict[str, ColumnElement] | None = None) -> Any:
        """The same insert as INSERT ... SELECT (for a CTE): its parameters, except ``columns`` taken
        from elsewhere (another CTE's column, say), only WHERE ``where`` holds."""
        columns = columns or {}
        values: Select = select(*[columns[key] if key in columns else
                                  bindparam(self.prefix + key, type_=self.table.c[key].type) for key in self.keys])
        if where is not None:
            values = values.where(where)
        statement = insert(self.table).from_select(list(self.keys), values)
        return statement.returning(self.returning) if self.returning is not None else statement


def _default_maker(model: type[SQLModel], column) -> Callable[[], Any] | object:
    """What gives ``column`` its value in a new row when the caller leaves it out."""
    field = model.model_fields.get(column.key)
    if field is None or field.is_required():
        if column.default is None and (not column.nullable or column.server_default is not None):
            return _GIVEN  # the ORM would fail without it, or leave it to the database
        field = None
    default = column.default
    if default is None and column.server_default is not None and (field is None or field.get_default() is None):
        raise ValueError(f"{column} would be left to its server default, which only the database knows")
    column_default = _column_default(column) if default is not None else None

    def make():
        # As Model(...) does: the field's default (copied) or its factory's value.
        value = field.get_default(call_default_factory=True) if field is not None else None
        if value is None and column_default is not None:
            value = column_default()  # as the flush does for an attribute left None
        return value

    if field is not None and field.default_factory is None and field.default is not PydanticUndefined \
            and _immutable(field.default) and (field.default is not None or default is None):
        return _Constant(field.default)
    return make


def _column_default(column) -> Callable[[], Any]:
    """The column's own (Python-side) default, as the flush computes it."""
    default = column.default
    if default.is_scalar:
        value = default.arg
        return lambda: value
    if default.is_callable:
        return lambda: default.arg(None)
    raise ValueError(f"{column} has a SQL default, which only the database computes")


def _immutable(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, bytes, tuple, frozenset))
