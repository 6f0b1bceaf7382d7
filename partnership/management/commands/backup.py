from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnership.backups import BackupError, backup_make


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump's custom format on PostgreSQL, a copy of the file "
        "on SQLite) and the private files into a new folder named for the time, under "
        "BACKUP_DIR or backups/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--into", type=Path, help="Write the backup's folder under this one.")
        parser.add_argument("--database", default="default", help="The database to back up.")

    def handle(self, *args, **options):
        try:
            folder = backup_make(into=options["into"], database=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backed up to {folder}"))
