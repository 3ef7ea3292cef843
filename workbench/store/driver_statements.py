"""Statements compiled once per database dialect and run on the driver's cursor directly.

For the statements every saved selection runs (claim creation, and the API token's lookup
before it): SQLAlchemy still writes the SQL and converts every value with its column's own type,
both ways, but the per-call work of its execution layer is gone, and inside SQLite's write lock
only the database's work is left. Parameters are converted before the caller takes the lock
(``convert``), and only ``execute`` runs inside it. These statements bypass SQLAlchemy's events:
a caller that writes begins its transaction itself (``db.start_writing``). The driver's errors
come wrapped as SQLAlchemy wraps them (``sqlalchemy.exc.DBAPIError`` and its kinds), a lost
connection invalidated as SQLAlchemy would.
"""

from __future__ import annotations

from typing import Any, Callable

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement


class DriverStatement:
    def __init__(self, statement: ClauseElement, dialect: Dialect, column_keys: list[str] | None = None):
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        self.sql = compiled.string
        self.positions: tuple[str, ...] | None = compiled.positiontup
        self.converters: dict[str, Callable[[Any], Any]] = {}
        for name, bind in compiled.binds.items():
            converter = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if converter is not None:
                self.converters[name] = converter
        self.returns_rows = bool(compiled.effective_returning) or not (
            compiled.isinsert or compiled.isupdate or compiled.isdelete)
        # What a SELECT returns goes through its columns' own conversions (SQLite's dates, say).
        columns = getattr(statement, "selected_columns", ())
        self.keys = tuple(column.key for column in columns)
        self.result_converters = [(index, converter) for index, converter in (
            (index, column.type.dialect_impl(dialect).result_processor(dialect, None))
            for index, column in enumerate(columns)) if converter is not None]

    def convert(self, values: dict[str, Any]) -> dict[str, Any]:
        """The values as the driver takes them (each through its column type's conversion)."""
        return {name: (self.converters[name](value) if name in self.converters else value)
                for name, value in values.items()}

    def execute(self, connection: Connection, converted: dict[str, Any]) -> tuple | None:
        """Run on ``connection``'s driver connection, inside its current transaction; the first row
        it returns, if any."""
        rows = self._run(connection, converted, every=False)
        return rows[0] if rows else None

    def all(self, connection: Connection, converted: dict[str, Any]) -> list[tuple]:
        """Every row a SELECT returns."""
        return self._run(connection, converted, every=True)

    def _run(self, connection: Connection, converted: dict[str, Any], every: bool) -> list[tuple]:
        params = converted if self.positions is None else tuple(converted[name] for name in self.positions)
        dbapi_connection = connection.connection.dbapi_connection
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(self.sql, params)
            if not self.returns_rows:
                return []
            rows = cursor.fetchall() if every else [row for row in [cursor.fetchone()] if row is not None]
        except connection.dialect.loaded_dbapi.Error as error:
            raise self._wrapped(connection, dbapi_connection, cursor, params, error) from error
        finally:
            cursor.close()
        if not self.result_converters:
            return rows
        converted_rows = []
        for row in rows:
            row = list(row)
            for index, converter in self.result_converters:
                row[index] = converter(row[index])
            converted_rows.append(tuple(row))
        return converted_rows

    def _wrapped(self, connection: Connection, dbapi_connection, cursor, params, error: Exception) -> Exception:
        dialect = connection.dialect
        lost = dialect.is_disconnect(error, dbapi_connection, cursor)
        if lost:
            connection.invalidate(error)
        return DBAPIError.instance(self.sql, params, error, dialect.loaded_dbapi.Error,
                                   connection_invalidated=lost, dialect=dialect)

    def first(self, connection: Connection, converted: dict[str, Any]) -> dict[str, Any] | None:
        """The first row a SELECT returns, by column key."""
        row = self.execute(connection, converted)
        return None if row is None else dict(zip(self.keys, row))


class DriverStatements:
    """One statement, compiled for each dialect it meets."""

    def __init__(self, statement: ClauseElement, column_keys: list[str] | None = None):
        self.statement, self.column_keys = statement, column_keys
        self._compiled: dict[str, DriverStatement] = {}

    def for_dialect(self, dialect: Dialect) -> DriverStatement:
        key = f"{dialect.name}+{dialect.driver}"
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = DriverStatement(self.statement, dialect, self.column_keys)
        return compiled
