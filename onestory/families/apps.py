from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "onestory.families"
    verbose_name = "Families and children"
