"""The database connection the store works through, and its migrations, without
importing sqlite-utils unless the schema has to change.

sqlite-utils builds the schema: each migration in ``focusguard.store`` is written with
its table API and applied by its ``Migrations``. Importing it costs about 11 MB of
resident memory (click, dateutil, pluggy and its own large modules), an eighth of the
app's 90 MB budget, and buys nothing once the schema is in place: every statement the
store runs is plain SQL. So:

* ``Database`` is what every store job gets at run time: a sqlite3 connection with
  the few calls the store makes, with sqlite-utils' meaning (``execute`` commits a
  write made outside a transaction; ``atomic()`` is a transaction, nested a savepoint).
* ``MigrationSet`` knows the migrations by name, reads which were applied with one
  query of the table sqlite-utils keeps (``_sqlite_migrations``), and imports
  sqlite-utils only to apply pending ones or to derive the columns a schema version
  should have.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

#: The table sqlite-utils' ``Migrations`` records applied migrations in.
MIGRATIONS_TABLE = "_sqlite_migrations"

Migration = Callable[["sqlite_utils.Database"], None]
#: Savepoint names, unique in the process (``secrets`` would load OpenSSL: 3 MB).
_SAVEPOINTS = itertools.count()


class Database:
    """One sqlite3 connection in autocommit mode (no implicit transactions)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        conn.isolation_level = None  # a write outside atomic() commits at once
        self.conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """All or nothing: a transaction, or inside one a savepoint."""
        if self.conn.in_transaction:
            savepoint = f"fg_{next(_SAVEPOINTS)}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:  # a failed COMMIT or RAISE(ROLLBACK) may have ended it
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.conn.execute("BEGIN")
        try:
            yield self
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def enable_wal(self) -> None:
        if self.journal_mode != "wal":
            self.conn.execute("PRAGMA journal_mode = wal")

    @property
    def journal_mode(self) -> str:
        return str(self.conn.execute("PRAGMA journal_mode").fetchone()[0])

    def table_names(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def columns(self) -> dict[str, set[str]]:
        """Every table's column names, sqlite-utils' bookkeeping table left out."""
        return {
            table: {row[1] for row in self.conn.execute(f'PRAGMA table_info("{table}")')}
            for table in self.table_names()
            if table != MIGRATIONS_TABLE and not table.startswith("sqlite_")
        }

    def close(self) -> None:
        self.conn.close()


class MigrationSet:
    """Named migrations in the order they apply, registered as with sqlite-utils'
    ``Migrations`` (``@MIGRATIONS(name="004_calls")``) and recorded in its table, so
    databases written before this class existed read the same."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[tuple[str, Migration]] = []

    def __call__(self, *, name: str) -> Callable[[Migration], Migration]:
        def register(fn: Migration) -> Migration:
            if name in self.names:
                raise ValueError(f"migration {name!r} registered twice")
            self._migrations.append((name, fn))
            return fn

        return register

    @property
    def names(self) -> list[str]:
        return [name for name, _fn in self._migrations]

    def applied(self, db: Database | sqlite_utils.Database) -> list[str]:
        """The migrations of this set recorded in ``db``, in the order applied."""
        if MIGRATIONS_TABLE not in db.table_names():
            return []
        rows = db.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
                          (self.name,))
        return [row[0] for row in rows]

    def pending(self, db: Database | sqlite_utils.Database) -> list[str]:
        done = set(self.applied(db))
        return [name for name in self.names if name not in done]

    def apply(self, db: Database | sqlite_utils.Database, *, stop_before: str | None = None) -> None:
        """Apply the pending migrations (each with its record, all or nothing), up
        to the one named ``stop_before`` if given (tests build old databases so)."""
        self._tool().apply(_schema_db(db.conn), stop_before=stop_before)

    def expected_columns(self, applied: frozenset[str]) -> dict[str, set[str]]:
        """Every table's columns after the migrations named ``applied`` (a prefix of
        the list), derived by applying them to an empty database in memory."""
        memory = Database(sqlite3.connect(":memory:"))
        try:
            rest = [name for name in self.names if name not in applied]
            self._tool().apply(_schema_db(memory.conn), stop_before=rest[:1] or None)
            return memory.columns()
        finally:
            memory.close()

    def _tool(self) -> Any:
        from sqlite_utils.migrations import Migrations

        tool = Migrations(self.name)
        for name, fn in self._migrations:
            tool(name=name)(fn)
        return tool


def _schema_db(conn: sqlite3.Connection) -> sqlite_utils.Database:
    import sqlite_utils

    return sqlite_utils.Database(conn, execute_plugins=False)  # no third-party plugins near this file
