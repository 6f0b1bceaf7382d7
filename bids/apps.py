from django.apps import AppConfig


class BidsConfig(AppConfig):
    name = "bids"
    verbose_name = "Bidding rounds and bids"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
