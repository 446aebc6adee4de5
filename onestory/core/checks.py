from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode_is_not_for_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Demo mode exempts demo accounts from MFA and shows a shared password: never in production."""
    if settings.DEMO_MODE:
        return [
            Error(
                "ONESTORY_DEMO is on. Demo mode is for the demo council only: unset ONESTORY_DEMO "
                "before serving real records.",
                id="onestory.E001",
            )
        ]
    return []
