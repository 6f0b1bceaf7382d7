"""Backing up and restoring the portal: its database and its private files
(docs/adr/0018).

A backup is a folder named for the moment it was taken, holding the database and
``private-files.tar.gz``, an archive of ``PRIVATE_STORAGE_ROOT``. On PostgreSQL the
database is a ``pg_dump`` in its custom format (``database.dump``), restored with
``pg_restore``; on SQLite, for trying the portal out, it is a copy of the database
file (``db.sqlite3``) made with SQLite's own online backup.

``manage.py backup`` and ``manage.py restore`` (``make backup``, ``make restore``)
call these functions.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from .errors import PortalError

POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "db.sqlite3"
FILES_ARCHIVE = "private-files.tar.gz"


class BackupError(PortalError):
    pass


def backup_make(*, into: Path | None = None, database: str = "default") -> Path:
    """Back up the database and the private files into a new folder under ``into``
    (``BACKUP_DIR`` by default), named for the time, and return the folder."""
    folder = Path(into or settings.BACKUP_DIR) / timezone.now().strftime("%Y-%m-%dT%H%M%S")
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        raise BackupError(f"{folder} already exists: wait a second and back up again.") from None
    connection = connections[database]
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", f"--file={folder / POSTGRES_DUMP}"], connection)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / SQLITE_COPY) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"Backing up a {connection.vendor} database is not supported.")
    with tarfile.open(folder / FILES_ARCHIVE, "w:gz") as archive:
        root = Path(settings.PRIVATE_STORAGE_ROOT)
        if root.is_dir():
            for entry in sorted(root.iterdir()):
                archive.add(entry, arcname=entry.name)
    return folder


def backup_restore(*, folder: Path, replace: bool = False, database: str = "default") -> None:
    """Restore the backup in ``folder`` into the database and ``PRIVATE_STORAGE_ROOT``.
    A database that already has tables, or a private files folder that already has
    files, is overwritten only when ``replace`` is given; files the backup lacks are
    then left where they are."""
    connection = connections[database]
    dump = folder / (POSTGRES_DUMP if connection.vendor == "postgresql" else SQLITE_COPY)
    if not (folder / FILES_ARCHIVE).is_file():
        raise BackupError(f"{folder} is not a backup: it has no {FILES_ARCHIVE}.")
    if not dump.is_file():
        raise BackupError(
            f"{folder} holds no {dump.name}, so it is not a backup of a "
            f"{connection.display_name} database."
        )
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    if not replace:
        tables = connection.introspection.table_names()
        if tables:
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} is not empty (it has "
                f"{len(tables)} tables). Restore into a new, empty database, or give "
                "--replace to overwrite this one."
            )
        if root.is_dir() and any(root.iterdir()):
            raise BackupError(
                f"The private files folder {root} is not empty. Restore into an empty "
                "folder, or give --replace to write the backup's files over it."
            )
    if connection.vendor == "postgresql":
        # One transaction: a restore that fails leaves the database as it was.
        command = ["pg_restore", "--no-owner", "--single-transaction", "--exit-on-error"]
        if replace:
            command += ["--clean", "--if-exists"]
        connection.close()
        _run([*command, f"--dbname={connection.settings_dict['NAME']}", str(dump)], connection)
    else:
        connection.close()
        with (
            sqlite3.connect(dump) as source,
            sqlite3.connect(connection.settings_dict["NAME"]) as db,
        ):
            source.backup(db)
        source.close()
        db.close()
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / FILES_ARCHIVE, "r:gz") as archive:
        # The "data" filter refuses absolute paths, links out of the folder and devices.
        archive.extractall(root, filter="data")


def _run(command: list[str], connection) -> None:
    """Run a PostgreSQL client with the connection's settings in its environment, so
    the password is never on a command line."""
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed: install the PostgreSQL client of the "
            "server's version (postgresql-client)."
        )
    options = connection.settings_dict
    environment = {
        **os.environ,
        "PGHOST": options.get("HOST") or "",
        "PGPORT": str(options.get("PORT") or ""),
        "PGUSER": options.get("USER") or "",
        "PGPASSWORD": options.get("PASSWORD") or "",
        "PGDATABASE": options["NAME"],
    }
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
