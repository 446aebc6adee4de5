from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onestory.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from onestory.core import append_only, checks  # noqa: F401  (registers the deploy checks)
        from onestory.lib import lookups  # noqa: F401  (registers field__any_of)

        # After every migrate, including a test database's: see append_only.py for why. Django
        # sends post_migrate once per app with models (core has none), so listen for accounts.
        post_migrate.connect(_install_append_only, sender=apps.get_app_config("accounts"))


def _install_append_only(using: str = "default", **kwargs: object) -> None:
    from onestory.core.append_only import install

    install(using=using)
