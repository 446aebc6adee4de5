from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onestory.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from onestory.core import checks  # noqa: F401  (registers the deploy checks)
