"""Documents made in the background (PDF reports, returns, workbooks): made by the task
worker, downloadable only by the person who asked, logged, and gone after 7 days.
"""

from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "onestory.exports"
    verbose_name = "Exports"
    default_auto_field = "django.db.models.BigAutoField"
