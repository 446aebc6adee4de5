import gc

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onestory.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.apps import apps
        from django.core.signals import request_finished
        from django.db.models.signals import post_migrate

        from onestory.core import append_only, checks  # noqa: F401  (registers the deploy checks)
        from onestory.lib import lookups  # noqa: F401  (registers field__any_of)

        # After every migrate, including a test database's: see append_only.py for why. Django
        # sends post_migrate once per app with models (core has none), so listen for accounts.
        post_migrate.connect(_install_append_only, sender=apps.get_app_config("accounts"))
        request_finished.connect(_freeze_after_first_request, dispatch_uid="onestory.gc.freeze")


def _install_append_only(using: str = "default", **kwargs: object) -> None:
    from onestory.core.append_only import install

    install(using=using)


def _freeze_after_first_request(**kwargs: object) -> None:
    """Once per process, after its first request has loaded what every request uses (the
    URLs, the templates, the settings and models): move those objects out of the garbage
    collector's reach. Otherwise each full collection walks all of them again, and at the
    `large` scale it stopped one request in twenty for about 75 ms (the child's story: p50 53 ms,
    p95 133 ms; with the long-lived objects frozen the slowest of 60 was 89 ms). New objects are
    still collected as before; only the ones alive now are kept for the life of the process,
    which they would be anyway. See docs/decisions/0028-the-pod-managers-home-and-gc.md."""
    from django.core.signals import request_finished

    request_finished.disconnect(dispatch_uid="onestory.gc.freeze")
    gc.collect()
    gc.freeze()
