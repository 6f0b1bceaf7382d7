"""`manage.py backup` and `manage.py restore` (make backup, make restore): the database
and the private files, restored whole (docs/adr/0018)."""

import hashlib
import io
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, models

from partnership.models import AgendaItem, Meeting
from programmes.models import Programme
from programmes.selectors import budget_lines_with_balances, programme_balances
from projects.models import Project
from projects.selectors import project_grant
from savings.models import SavingsEntry
from savings.selectors import savings_totals_by
from tests.factories import MeetingFactory


def _backup(into: Path) -> Path:
    """Back up under ``into``; the folder the command says it wrote."""
    out = io.StringIO()
    call_command("backup", "--into", str(into), stdout=out)
    return into / re.search(r"Backed up to .*/([^/]+)$", out.getvalue().strip()).group(1)


@pytest.mark.django_db
def test_backup_writes_a_timestamped_folder_with_the_database_and_private_files(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    evidence = settings.PRIVATE_STORAGE_ROOT / "evidence" / "2026" / "report.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.7 evidence")

    call_command("backup", stdout=io.StringIO())

    [folder] = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d{6}", folder.name)
    database = "database.dump" if connection.vendor == "postgresql" else "db.sqlite3"
    assert (folder / database).stat().st_size > 0
    with tarfile.open(folder / "private-files.tar.gz") as archive:
        assert archive.extractfile("evidence/2026/report.pdf").read() == b"%PDF-1.7 evidence"


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    folder = _backup(tmp_path)

    with pytest.raises(CommandError, match=r"is not empty \(it has \d+ tables\).*--replace"):
        call_command("restore", str(folder), stdout=io.StringIO())


@pytest.mark.django_db
def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="is not a backup: it has no private-files.tar.gz"):
        call_command("restore", str(tmp_path), "--replace", stdout=io.StringIO())


def _postgres_client_matches_server() -> bool:
    if connection.vendor != "postgresql" or shutil.which("pg_dump") is None:
        return False
    version = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout
    client_major = int(re.search(r"(\d+)\.\d+", version).group(1))
    connection.ensure_connection()
    return client_major == connection.pg_version // 10000


def _balances() -> dict:
    """Every figure the pages derive from the ledger and the savings records."""
    return {
        "budget lines": {
            line.pk: (line.allocated, line.committed, line.paid, line.available, line.unpaid)
            for line in budget_lines_with_balances()
        },
        "programmes": programme_balances(Programme.objects.all()),
        "projects": {project.pk: project_grant(project) for project in Project.objects.all()},
        "savings totals": savings_totals_by("organisation__name"),
        "savings entries": savings_totals_by(
            "organisation__name", savings=SavingsEntry.objects.counted()
        ),
    }


def _private_files() -> dict:
    """Every stored file any record points at, by its content."""
    found = {}
    for model in apps.get_models():
        fields = [f for f in model._meta.fields if isinstance(f, models.FileField)]
        for field in fields:
            for record in model.objects.exclude(**{field.name: ""}):
                with getattr(record, field.name).open("rb") as file:
                    found[(model._meta.label, record.pk, field.name)] = hashlib.sha256(
                        file.read()
                    ).hexdigest()
    return found


@pytest.mark.django_db(transaction=True)
def test_demo_data_restored_into_a_new_database_has_every_balance_and_file(settings, tmp_path):
    if not _postgres_client_matches_server():
        pytest.skip("needs PostgreSQL and a pg_dump of the server's major version")
    call_command("load_demo", stdout=io.StringIO())
    item = AgendaItem.objects.create(
        meeting=Meeting.objects.first() or MeetingFactory(),
        number=99,
        title="Budget monitoring",
        report=ContentFile(b"%PDF-1.7 the budget report", name="budget.pdf"),
    )
    before, files_before = _balances(), _private_files()
    assert item.report.name and files_before
    # Figures worth comparing: money allocated and committed, grants, savings.
    assert any(any(figures) for figures in before["budget lines"].values())
    assert any(grant.awarded for grant in before["projects"].values())
    assert before["savings entries"]
    folder = _backup(tmp_path / "backups")

    original = connection.settings_dict["NAME"]
    restored = f"{original}_restored"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "restored-private"
    settings.PRIVATE_STORAGE_ROOT.mkdir()
    (settings.PRIVATE_STORAGE_ROOT / "left-behind.txt").write_text("not from the backup")
    connection.close()
    connection.settings_dict["NAME"] = restored
    try:
        with pytest.raises(CommandError, match="private files folder .* is not empty"):
            call_command("restore", str(folder), stdout=io.StringIO())
        (settings.PRIVATE_STORAGE_ROOT / "left-behind.txt").unlink()

        call_command("restore", str(folder), stdout=io.StringIO())

        assert _balances() == before
        assert _private_files() == files_before

        # Again over the restored copy, as onto a machine whose database was migrated.
        call_command("restore", str(folder), "--replace", stdout=io.StringIO())

        assert _balances() == before
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
