import time

from django.core.management.base import BaseCommand, CommandError

from reports.scale_data import SCALES, ScaleDataError, generate_scale_data


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic partnerships, programmes, projects and "
        "savings at the given scale, the same every time for the same seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, seed, **options):
        started = time.monotonic()
        try:
            counts = generate_scale_data(scale=scale, seed=seed)
        except ScaleDataError as error:
            raise CommandError(str(error)) from error
        for name, count in counts.items():
            self.stdout.write(f"{count:>10,} {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{scale} scale data (seed {seed}) in {time.monotonic() - started:.1f}s"
            )
        )
