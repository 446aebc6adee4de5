"""`manage.py backup` and `manage.py restore_drill` against the test database (docs/runbook.md).

Transactional: pg_dump and pg_restore are other processes, which see only committed rows.
"""

from __future__ import annotations

import json
import os
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from psycopg import sql

from onestory.core.management.commands import backup as backup_module
from onestory.families.models import Family
from onestory.test import make_cast

pytestmark = pytest.mark.django_db(transaction=True)
SCRATCH = f"test_drill_{os.getpid()}"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def databases() -> set[str]:
    with psycopg.connect(**backup_module.connection_params(), autocommit=True) as server:
        return {row[0] for row in server.execute("SELECT datname FROM pg_database")}


def made(directory: Path) -> Path:
    run("backup", str(directory), "--name", "council.dump")
    return directory / "council.dump"


def test_a_backup_restores_whole_and_the_scratch_database_is_dropped(tmp_path: Path) -> None:
    make_cast()
    families = Family.objects.count()
    assert families > 0
    said = run("backup", str(tmp_path), "--name", "council.dump")
    archive = tmp_path / "council.dump"
    assert "Backed up" in said and str(archive) in said
    assert archive.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    manifest = json.loads((tmp_path / "council.dump.manifest.json").read_text())
    assert manifest["tables"]["public.families_family"]["rows"] == families
    lines = (tmp_path / "council.dump.sha256").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == ["council.dump", "council.dump.manifest.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "council.dump",
        "council.dump.manifest.json",
        "council.dump.sha256",
    ]

    said = run("restore_drill", str(archive), "--target", SCRATCH)
    assert "PASSED" in said
    assert "public.families_family" in said and "differ" in said
    row = next(line for line in said.splitlines() if line.startswith("public.families_family"))
    assert row.split()[1:] == [str(families), str(families), "same"]
    assert "0 failed" in said  # amcheck found every index sound
    assert SCRATCH not in databases()


def test_a_restore_that_differs_from_the_backup_fails_the_drill(tmp_path: Path) -> None:
    make_cast()
    archive = made(tmp_path)
    # The manifest says one family more than the archive holds (and its checksum agrees).
    manifest_path = tmp_path / "council.dump.manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["public.families_family"]["rows"] += 1
    manifest_path.write_text(json.dumps(manifest))
    (tmp_path / "council.dump.sha256").write_text(
        "".join(f"{backup_module.file_sha256(p)}  {p.name}\n" for p in (archive, manifest_path))
    )
    with pytest.raises(CommandError, match="differs from the backup"):
        run("restore_drill", str(archive), "--target", SCRATCH)
    assert SCRATCH not in databases()


def test_a_damaged_archive_is_refused_before_anything_is_restored(tmp_path: Path) -> None:
    make_cast()
    archive = made(tmp_path)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="does not match its checksum") as refused:
        run("restore_drill", str(archive), "--target", SCRATCH)
    assert "Do not restore from it" in str(refused.value)
    assert SCRATCH not in databases()


def test_a_scratch_database_that_is_not_empty_is_refused_and_left_alone(tmp_path: Path) -> None:
    make_cast()
    archive = made(tmp_path)
    with psycopg.connect(**backup_module.connection_params(), autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH)))
    try:
        with psycopg.connect(**backup_module.connection_params(SCRATCH)) as other:
            other.execute("CREATE TABLE precious (note text)")
            other.execute("INSERT INTO precious VALUES ('keep me')")
        with pytest.raises(CommandError, match=f"The database {SCRATCH} is not empty"):
            run("restore_drill", str(archive), "--target", SCRATCH)
        with psycopg.connect(**backup_module.connection_params(SCRATCH)) as other:
            kept = other.execute("SELECT note FROM precious").fetchall()
        assert kept == [("keep me",)]
    finally:
        with psycopg.connect(**backup_module.connection_params(), autocommit=True) as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SCRATCH))
            )


def test_a_backup_to_a_disk_without_room_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_cast()
    # The disk's free space as a full disk would report it (not our database: the disk).
    monkeypatch.setattr(backup_module, "free_bytes", lambda directory: 4096)
    with pytest.raises(CommandError, match="Not enough free disk space") as refused:
        run("backup", str(tmp_path))
    assert "4.0 KB free" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_a_dump_that_fails_part_way_leaves_no_partial_file(tmp_path: Path) -> None:
    """A pg_dump that writes half an archive and then meets a full disk."""
    make_cast()
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "pg_dump"
    fake.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in --file=*) out="${a#--file=}";; esac; done\n'
        'printf "PGDMP half an archive" > "$out"\n'
        'echo "pg_dump: error: could not write to output file: No space left on device" >&2\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    target = tmp_path / "backups"
    target.mkdir()
    with pytest.raises(CommandError, match="filled up during the backup") as refused:
        run("backup", str(target), "--pg-bin", str(tools))
    assert "partial file has been removed" in str(refused.value)
    assert list(target.iterdir()) == []


def test_a_missing_directory_or_a_file_is_refused_with_a_plain_message(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist: create it first"):
        run("backup", str(tmp_path / "nowhere"))
    a_file = tmp_path / "notes.txt"
    a_file.write_text("")
    with pytest.raises(CommandError, match="is a file, not a directory"):
        run("backup", str(a_file))


def test_a_backup_never_overwrites_another(tmp_path: Path) -> None:
    make_cast()
    made(tmp_path)
    before = (tmp_path / "council.dump").read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        run("backup", str(tmp_path), "--name", "council.dump")
    assert (tmp_path / "council.dump").read_bytes() == before
