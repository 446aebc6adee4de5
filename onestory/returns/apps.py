"""Statutory returns from the records: SSDA903 and the CIN census out, SSDA903 in, Ofsted's
Annex A, checked by the DfE's own rules (issue 19).
"""

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "onestory.returns"
    verbose_name = "Statutory returns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The returns' files are made in the background by onestory/exports.
        from onestory.returns import making

        making.register()
        from onestory.returns.annex_a import exports as annex_a

        annex_a.register()
