from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from onestory.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    """Administrators create accounts here (there is no sign-up) and can reset a lost MFA
    device from the MFA section below."""

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
