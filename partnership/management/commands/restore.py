from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnership.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the database and the private "
        "files folder. Refuses a database or folder that is not empty unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup's folder.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database that has tables, and write over the files folder.",
        )
        parser.add_argument("--database", default="default", help="The database to restore.")

    def handle(self, *args, **options):
        try:
            backup_restore(
                folder=options["folder"], replace=options["replace"], database=options["database"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {options['folder']}"))
