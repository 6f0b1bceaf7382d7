from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "savings"
    verbose_name = "Efficiency savings"

    def ready(self) -> None:
        from . import exports, permissions  # noqa: F401  (register the app's rules and exports)
