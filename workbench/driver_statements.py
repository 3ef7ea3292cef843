"""Statements compiled once per database dialect and run on the driver's cursor directly.

For the one write path that runs inside SQLite's write lock on every saved selection (claim
creation): SQLAlchemy still writes the SQL and converts every value with its column's own type,
but the per-call work of its execution layer is gone, so the lock is held for the database's
work alone. Parameters are converted before the caller takes the lock (``convert``), and only
``execute`` runs inside it.
"""

from __future__ import annotations

from typing import Any, Callable

from sqlalchemy.engine import Connection, Dialect
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

    def convert(self, values: dict[str, Any]) -> dict[str, Any]:
        """The values as the driver takes them (each through its column type's conversion)."""
        return {name: (self.converters[name](value) if name in self.converters else value)
                for name, value in values.items()}

    def execute(self, connection: Connection, converted: dict[str, Any]) -> tuple | None:
        """Run on ``connection``'s driver connection, inside its current transaction; the first row
        it returns, if any."""
        params = converted if self.positions is None else tuple(converted[name] for name in self.positions)
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute(self.sql, params)
            return cursor.fetchone() if cursor.description is not None else None
        finally:
            cursor.close()


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
