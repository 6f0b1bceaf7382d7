from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "savings"
    verbose_name = "Efficiency savings"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
