"""`{{ value|json_attribute }}`: a value as JSON for a data attribute (autoescaped there), so the
WebAuthn pages carry their options without an inline script (docs/decisions/0002)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def json_attribute(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder)
