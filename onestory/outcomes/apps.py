from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "onestory.outcomes"
    verbose_name = "Outcomes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from onestory.outcomes import pdf

        pdf.register()
