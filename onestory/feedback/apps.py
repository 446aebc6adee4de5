"""Compliments, complaints and comments: the log, the statutory complaint stages, the public page
and the reports (issue 15).
"""

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "onestory.feedback"
    verbose_name = "Compliments and complaints"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onestory.feedback.log import personal_tasks, pod_tasks
        from onestory.lib import due

        due.register(personal=personal_tasks, pod=pod_tasks)
