from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "onestory.stories"
    verbose_name = "One Story"
    default_auto_field = "django.db.models.BigAutoField"
