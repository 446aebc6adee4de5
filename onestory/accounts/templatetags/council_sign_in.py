"""`{% council_sign_in_enabled as enabled %}`: whether single sign-on is configured
(onestory/accounts/sso.py), read from settings with no database query."""

from __future__ import annotations

from django import template

from onestory.accounts import sso

register = template.Library()


@register.simple_tag
def council_sign_in_enabled() -> bool:
    return sso.sso_enabled()
