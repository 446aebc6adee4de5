"""MFA is checked per session, and TOTP secrets are encrypted (docs/security.md, promise 14;
docs/decisions/0011-admin-and-mfa-per-session.md)."""

from __future__ import annotations

import re

import pytest
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from cryptography.fernet import Fernet
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from onestory.accounts.adapters import MFAAdapter
from onestory.accounts.models import Role
from onestory.core.tests.test_settings_errors import GOOD_KEY, run_check
from onestory.test import PASSWORD, Cast, make_user, signed_in, totp_code

LOGIN = "/accounts/login/"


def is_signed_out_to_sign_in(client: Client) -> bool:
    response = client.get("/")
    return (
        response.status_code == 302
        and response["Location"].startswith(LOGIN)
        and "_auth_user_id" not in client.session
    )


@pytest.mark.django_db
class TestMFAPerSession:
    def test_force_login_without_mfa_reaches_nothing(self, cast: Cast) -> None:
        client = Client()
        client.force_login(cast.sam, backend="allauth.account.auth_backends.AuthenticationBackend")
        assert is_signed_out_to_sign_in(client)

    def test_a_password_only_sign_in_through_another_view_reaches_nothing(self, db: None) -> None:
        make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor")
        client = Client()
        assert client.login(username="sam", password=PASSWORD)
        assert is_signed_out_to_sign_in(client)

    def test_htmx_gets_a_reload_to_the_sign_in(self, cast: Cast) -> None:
        client = Client()
        client.force_login(cast.sam, backend="allauth.account.auth_backends.AuthenticationBackend")
        response = client.get("/", HTTP_HX_REQUEST="true")
        assert response.status_code == 401
        assert response["HX-Redirect"] == reverse("account_login")

    def test_the_sign_in_pages_stay_open_to_an_unverified_session(self, cast: Cast) -> None:
        client = Client()
        client.force_login(cast.sam, backend="allauth.account.auth_backends.AuthenticationBackend")
        assert client.get(reverse("mfa_authenticate")).status_code in {200, 302}
        assert "_auth_user_id" in client.session

    def test_signed_in_passes_mfa_as_a_real_sign_in_does(self, cast: Cast) -> None:
        client = signed_in(cast.sam)
        request = RequestFactory().get("/")
        request.session = client.session
        methods = [record["method"] for record in get_authentication_records(request, cast.sam)]
        assert methods == ["password", "mfa"]
        assert client.get("/").status_code == 200

    def test_a_real_sign_in_reaches_pages(self, client: Client, cast: Cast) -> None:
        client.post(LOGIN, {"login": "sam", "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": totp_code(cast.sam)})
        assert client.get("/").status_code == 200


@pytest.mark.django_db
class TestSecrets:
    def test_totp_secrets_are_stored_encrypted_and_codes_still_verify(self, client: Client) -> None:
        sam = make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor")
        stored = Authenticator.objects.get(user=sam, type=Authenticator.Type.TOTP).data["secret"]
        secret = decrypt(stored)
        assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
        assert stored != secret and secret not in stored

        client.post(LOGIN, {"login": "sam", "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": totp_code(sam)})
        assert client.session["_auth_user_id"] == str(sam.pk)

    def test_recovery_codes_are_encrypted_too(self) -> None:
        adapter = MFAAdapter()
        assert adapter.encrypt("seed") != "seed"
        assert adapter.decrypt(adapter.encrypt("seed")) == "seed"

    def test_the_key_comes_from_settings_and_can_be_rotated(self) -> None:
        adapter = MFAAdapter()
        old = Fernet.generate_key().decode()
        new = Fernet.generate_key().decode()
        with override_settings(ONESTORY_MFA_KEYS=[old]):
            token = adapter.encrypt("JBSWY3DPEHPK3PXP")
        with override_settings(ONESTORY_MFA_KEYS=[new]), pytest.raises(ValueError):
            adapter.decrypt(token)
        with override_settings(ONESTORY_MFA_KEYS=[new, old]):
            assert adapter.decrypt(token) == "JBSWY3DPEHPK3PXP"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "ONESTORY_MFA_KEY is not set"),
        ("not-a-fernet-key-hunter2", "ONESTORY_MFA_KEY is not a valid key"),
    ],
)
def test_production_needs_the_mfa_key(key: str, message: str) -> None:
    result = run_check(ONESTORY_ENV="production", SECRET_KEY=GOOD_KEY, ONESTORY_MFA_KEY=key)
    assert result.returncode != 0
    assert message in result.stderr
    assert result.stderr.startswith("One Story cannot start:")
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_secrets_stored_before_encryption_are_encrypted_by_the_migration() -> None:
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    migration = import_module("onestory.accounts.migrations.0003_encrypt_stored_mfa_secrets")
    sam = make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False, password=None)
    plain = Authenticator.objects.create(
        user=sam, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    seed = Authenticator.objects.create(
        user=sam, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "0123abcd", "used_mask": 0}
    )
    with connection.schema_editor() as editor:
        migration.encrypt_plain_secrets(apps, editor)
        migration.encrypt_plain_secrets(apps, editor)  # again: nothing changes twice
    plain.refresh_from_db()
    seed.refresh_from_db()
    assert plain.data["secret"] != "JBSWY3DPEHPK3PXP"
    assert decrypt(plain.data["secret"]) == "JBSWY3DPEHPK3PXP"
    assert decrypt(seed.data["seed"]) == "0123abcd"
