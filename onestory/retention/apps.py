"""Retention and legal hold: rules per record type, the review list, legal holds, and disposal
with an information governance officer's approval, leaving a tombstone (issue 18).
"""

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "onestory.retention"
    verbose_name = "Retention and legal hold"
    default_auto_field = "django.db.models.BigAutoField"
