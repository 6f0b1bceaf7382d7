from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes and money"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
