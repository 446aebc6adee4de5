from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from onestory.accounts.models import User
from onestory.lib.history import recorded

# allauth's Authenticator pages would show each TOTP secret and recovery-code seed. An
# administrator needs only "Reset MFA" on the user (docs/security.md, promise 14).
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    """Administrators create accounts here (there is no sign-up) and reset a lost MFA device
    with the "Reset MFA" action: the user sets MFA up again at their next sign-in."""

    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("One Story", {"fields": ("role",)}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("One Story", {"fields": ("first_name", "last_name", "email", "role")}),
    )
    actions = ["reset_mfa"]

    @admin.action(description="Reset MFA (a lost or replaced phone)", permissions=["change"])
    def reset_mfa(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Deletes each chosen user's authenticators and recovery codes; every page then sends
        # them to set MFA up again (MFARequiredMiddleware). The admin's log keeps who reset
        # whose MFA and when.
        with recorded(request.user, "accounts.reset_mfa"):
            for user in queryset:
                removed, _ = Authenticator.objects.filter(user=user).delete()
                self.log_change(request, user, f"Reset MFA: removed {removed} authenticator(s).")
        messages.success(
            request,
            f"MFA reset for {len(queryset)} user(s). They will set it up again when they next "
            "sign in.",
        )
