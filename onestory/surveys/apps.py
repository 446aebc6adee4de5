"""Your Voice, the staff survey: waves, questions, anonymous responses and results (issue 14)."""

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "onestory.surveys"
    verbose_name = "Your Voice"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onestory.lib import due
        from onestory.surveys.due import personal

        due.register(personal=personal)
