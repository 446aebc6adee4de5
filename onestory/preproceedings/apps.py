"""Pre-proceedings (the Public Law Outline) and the family group decision-making offer that
the Children's Wellbeing and Schools Act 2026 requires before care proceedings (issue 19,
item 3; docs/decisions/0024-pre-proceedings-and-fgdm.md)."""

from django.apps import AppConfig


class PreproceedingsConfig(AppConfig):
    name = "onestory.preproceedings"
    verbose_name = "Pre-proceedings"
    default_auto_field = "django.db.models.BigAutoField"
