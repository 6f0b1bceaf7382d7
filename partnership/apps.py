from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Partnerships, councils and the board"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import permissions  # noqa: F401  (registers the app's rules)
        from .page_cache import watch_connection

        connection_created.connect(watch_connection)
