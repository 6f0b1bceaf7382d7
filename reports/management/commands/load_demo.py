from django.core.management.base import BaseCommand

from reports.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo partnerships (EM IEP and Team Lancashire) from fixtures/ and, "
        "while DEBUG is on, one demo user per role. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users", action="store_true", help="Load the data but no demo users."
        )

    def handle(self, *args, **options):
        load_demo(with_users=not options["no_users"], log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
