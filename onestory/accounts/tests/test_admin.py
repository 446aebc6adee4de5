"""The admin is no back door (issue 11, item 3; docs/security.md, promises 7, 14 and 16).

Its own sign-in page signs no one in; its Authenticator pages, which would show TOTP secrets,
are gone, and a lost phone is handled by "Reset MFA" on the user; an administrator holds no
case-work role or pod membership; and every change to a user, role included, is in history.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from onestory.accounts.models import Role, User
from onestory.pods.membership import add_member, change_member
from onestory.pods.models import Contract, PodRole
from onestory.test import LONG_AGO, PASSWORD, Cast, make_staff, make_user, signed_in

ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def dev(db: None) -> User:
    user = make_user("dev", Role.ADMINISTRATOR, "Dev", "Patel")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def login_next(response: object) -> list[str]:
    location = urlsplit(response["Location"])  # type: ignore[index]
    assert location.path == reverse("account_login")
    return parse_qs(location.query).get("next", [])


# --- 1. /admin/login/ signs no one in ---------------------------------------------------------


@pytest.mark.django_db
class TestAdminLogin:
    def test_sends_strangers_to_the_one_story_sign_in_keeping_next(self, client: Client) -> None:
        response = client.get(ADMIN_LOGIN, {"next": "/admin/accounts/user/"})
        assert response.status_code == 302
        assert login_next(response) == ["/admin/accounts/user/"]

    def test_an_unsafe_next_is_replaced_by_the_admin_home(self, client: Client) -> None:
        response = client.get(ADMIN_LOGIN, {"next": "https://evil.example/admin/"})
        assert login_next(response) == ["/admin/"]

    def test_a_valid_password_posted_to_it_signs_nobody_in(self, client: Client, dev: User) -> None:
        response = client.post(
            ADMIN_LOGIN, {"username": "dev", "password": PASSWORD, "next": "/admin/"}
        )
        assert response.status_code == 302
        assert login_next(response) == ["/admin/"]
        assert "_auth_user_id" not in client.session
        assert client.get("/admin/").status_code == 302

    def test_a_signed_in_non_administrator_is_refused_not_looped(self, cast: Cast) -> None:
        client = signed_in(cast.sam)
        assert client.get("/admin/")["Location"].startswith(ADMIN_LOGIN)
        assert client.get(ADMIN_LOGIN, {"next": "/admin/"}).status_code == 403

    def test_a_signed_in_administrator_goes_on_to_next(self, dev: User) -> None:
        response = signed_in(dev).get(ADMIN_LOGIN, {"next": "/admin/accounts/user/"})
        assert response.status_code == 302
        assert response["Location"] == "/admin/accounts/user/"


# --- 3. MFA secrets are never shown; a lost phone is reset by an administrator ----------------


@pytest.mark.django_db
class TestMFAInTheAdmin:
    def test_the_admin_has_no_authenticator_pages(self, dev: User) -> None:
        assert not admin.site.is_registered(Authenticator)
        assert signed_in(dev).get("/admin/mfa/authenticator/").status_code == 404

    def test_the_user_page_shows_no_secret(self, cast: Cast, dev: User) -> None:
        authenticator = Authenticator.objects.get(user=cast.sam, type=Authenticator.Type.TOTP)
        page = signed_in(dev).get(reverse("admin:accounts_user_change", args=(cast.sam.pk,)))
        assert page.status_code == 200
        assert authenticator.data["secret"] not in page.text

    def test_reset_mfa_removes_only_that_users_authenticators_and_is_logged(
        self, cast: Cast, dev: User
    ) -> None:
        response = signed_in(dev).post(
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_mfa", "_selected_action": [str(cast.sam.pk)]},
        )
        assert response.status_code == 302
        assert not Authenticator.objects.filter(user=cast.sam).exists()
        assert Authenticator.objects.filter(user=cast.priya).exists()
        entry = LogEntry.objects.get(object_id=str(cast.sam.pk))
        assert entry.user_id == dev.pk
        assert "MFA" in entry.get_change_message()


# --- 4. Administrators hold no case-work role and no pod membership ---------------------------


@pytest.mark.django_db
class TestAdministratorsAreOnlyAdministrators:
    def test_staff_status_needs_the_administrator_role(self, cast: Cast) -> None:
        cast.sam.is_staff = True
        with pytest.raises(ValidationError, match="Only a system administrator"):
            cast.sam.validate_constraints()
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.filter(pk=cast.sam.pk).update(is_superuser=True)

    def test_the_admin_refuses_staff_status_for_a_case_worker(self, cast: Cast, dev: User) -> None:
        page = signed_in(dev).post(
            reverse("admin:accounts_user_change", args=(cast.sam.pk,)),
            user_form(cast.sam, is_staff="on"),
        )
        assert page.status_code == 200
        assert "Only a system administrator" in page.text
        cast.sam.refresh_from_db()
        assert not cast.sam.is_staff

    def test_a_superuser_made_from_the_command_line_is_an_administrator(self, db: None) -> None:
        root = User.objects.create_superuser("root", "root@example.invalid", None)
        assert root.role == Role.ADMINISTRATOR

    def test_an_administrator_cannot_be_added_to_a_pod(self, cast: Cast, dev: User) -> None:
        staff = make_staff(dev, None, None)
        with pytest.raises(ValidationError) as refused:
            add_member(
                pod=cast.harbour,
                staff=staff,
                role=PodRole.SOCIAL_WORKER,
                fte=Decimal("1.00"),
                start=date(2025, 1, 6),
                by=cast.priya,
            )
        assert "administrator" in refused.value.message_dict["staff"][0]
        assert not staff.memberships.exists()

    def test_an_administrators_membership_cannot_be_changed(self, cast: Cast) -> None:
        cast.sam.role = Role.ADMINISTRATOR
        cast.sam.is_staff = True
        cast.sam.save()
        membership = cast.sam.staff.memberships.get()
        with pytest.raises(ValidationError) as refused:
            change_member(
                membership=membership,
                day=date(2025, 1, 6),
                role=PodRole.SENIOR_SOCIAL_WORKER,
                fte=Decimal("1.00"),
                by=cast.priya,
            )
        assert "staff" in refused.value.message_dict

    def test_the_admin_forms_name_the_field(self, cast: Cast, dev: User) -> None:
        from onestory.pods.admin import MembershipAdminForm, StaffAdminForm

        staff = make_staff(dev, None, None)
        membership = MembershipAdminForm(
            data={
                "staff": staff.pk,
                "pod": cast.harbour.pk,
                "role": PodRole.SOCIAL_WORKER,
                "fte": "1.00",
                "start": "2025-01-06",
            }
        )
        assert not membership.is_valid()
        assert "administrator" in membership.errors["staff"][0]

        person = StaffAdminForm(
            data={
                "user": dev.pk,
                "first_name": "Dev",
                "last_name": "Patel",
                "role": Role.SOCIAL_WORKER,
                "fte": "1.00",
                "contract": Contract.PERMANENT,
                "start": LONG_AGO.isoformat(),
            }
        )
        assert not person.is_valid()
        assert "administrator" in person.errors["role"][0]


# --- 5. Changes to users are in history -------------------------------------------------------


def user_form(user: User, **changes: str) -> dict[str, str]:
    """The admin's change form for `user`, as the browser posts it."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": "on",
        "date_joined_0": user.date_joined.date().isoformat(),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_role_change_in_the_admin_is_in_history_with_who_did_it(cast: Cast, dev: User) -> None:
    response = signed_in(dev).post(
        reverse("admin:accounts_user_change", args=(cast.sam.pk,)),
        user_form(cast.sam, role=Role.SENIOR_SOCIAL_WORKER),
    )
    assert response.status_code == 302
    events = apps.get_model("accounts", "UserEvent").objects.filter(pgh_obj=cast.sam)
    before, after = events.order_by("-pgh_id")[:2][::-1]
    assert (before.role, after.role) == (Role.SOCIAL_WORKER, Role.SENIOR_SOCIAL_WORKER)
    assert after.pgh_label == "update"
    assert after.pgh_context.metadata["user"] == dev.pk


@pytest.mark.django_db
def test_password_hashes_and_sign_in_times_stay_out_of_history(cast: Cast) -> None:
    event_model = apps.get_model("accounts", "UserEvent")
    fields = {field.name for field in event_model._meta.get_fields()}
    assert "role" in fields
    assert "password" not in fields and "last_login" not in fields
    before = event_model.objects.filter(pgh_obj=cast.sam).count()
    cast.sam.set_password("another long passphrase for sam")
    cast.sam.save()
    assert event_model.objects.filter(pgh_obj=cast.sam).count() == before
