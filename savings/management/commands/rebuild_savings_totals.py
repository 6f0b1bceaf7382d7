import time

from django.core.management.base import BaseCommand

from savings.services import savings_totals_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the savings totals the summaries, dashboard and board pack read from "
        "the savings entries that count (after entries were written past the services)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = savings_totals_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{count:,} savings totals rebuilt in {time.monotonic() - started:.1f}s"
            )
        )
