from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Partnerships, councils and the board"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
