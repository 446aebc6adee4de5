"""Retention and legal hold: rules per record type, the review list, legal holds, and disposal
with an information governance officer's approval, leaving a tombstone (issue 18).
"""

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "onestory.retention"
    verbose_name = "Retention and legal hold"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from onestory.lib import due
        from onestory.retention.due import personal_tasks

        due.register(personal=personal_tasks)

        # After every migrate, and after core's append-only triggers (accounts' signal comes
        # first): the purge function names every history table there is (purge.py).
        post_migrate.connect(_install_purge, sender=self)


def _install_purge(using: str = "default", **kwargs: object) -> None:
    from onestory.retention.purge import install

    install(using=using)
