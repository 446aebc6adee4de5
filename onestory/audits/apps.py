"""Practitioner-led audit: cycles, samples, audit conversations, grades, moderation, actions and
learning (issue 13).
"""

from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "onestory.audits"
    verbose_name = "Practitioner-led audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onestory.audits import pdf
        from onestory.audits.due import personal_tasks
        from onestory.lib import due

        due.register(personal=personal_tasks)
        pdf.register()
