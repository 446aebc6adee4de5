"""Signing in through the real pages: password, MFA enrolment, the MFA challenge, throttling."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from onestory.accounts.models import Role, User
from onestory.test import PASSWORD, make_user, totp_code

LOGIN = "/accounts/login/"


def post_password(client: Client, username: str, password: str):
    return client.post(LOGIN, {"login": username, "password": password})


def session_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
class TestPassword:
    def test_wrong_password_is_refused_with_a_clear_message(self, client: Client) -> None:
        make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor")
        response = post_password(client, "sam", "not the password")
        assert response.status_code == 200
        assert "The username and/or password you specified are not correct." in response.text
        assert session_user_id(client) is None

    def test_unknown_user_gets_the_same_message_as_a_wrong_password(self, client: Client) -> None:
        make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor")
        unknown = post_password(client, "nobody", "not the password")
        wrong = post_password(Client(), "sam", "not the password")
        assert unknown.status_code == wrong.status_code == 200
        assert "are not correct" in unknown.text and "are not correct" in wrong.text

    def test_the_session_key_changes_at_sign_in(self, client: Client) -> None:
        make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False)
        client.get(LOGIN)
        client.session["probe"] = 1
        before = client.session.session_key
        post_password(client, "sam", PASSWORD)
        assert session_user_id(client) is not None
        assert client.session.session_key != before


@pytest.mark.django_db
class TestMFAEnrolment:
    def test_an_account_without_mfa_must_set_it_up_before_anything_else(
        self, client: Client
    ) -> None:
        sam = make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False)
        response = post_password(client, "sam", PASSWORD)
        assert response.status_code == 302
        # Signed in, but every page sends them to set up MFA first.
        home = client.get("/")
        assert home.status_code == 302
        assert home["Location"] == reverse("mfa_activate_totp")
        setup = client.get(reverse("mfa_activate_totp"))
        assert setup.status_code == 200
        assert "Activate Authenticator App" in setup.text

        # Enrol with the secret shown on the page and a code from it.
        secret = client.session["mfa.totp.secret"]
        import time

        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        if 30 - time.time() % 30 < 2:
            time.sleep(2.1)
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        wrong = client.post(
            reverse("mfa_activate_totp"), {"code": "000000" if code != "000000" else "111111"}
        )
        assert wrong.status_code == 200
        assert "Incorrect code." in wrong.text
        assert not Authenticator.objects.filter(user=sam, type="totp").exists()

        done = client.post(reverse("mfa_activate_totp"), {"code": code})
        assert done.status_code == 302
        assert Authenticator.objects.filter(user=sam, type="totp").exists()
        assert client.get("/").status_code == 200


@pytest.mark.django_db
class TestMFAChallenge:
    @pytest.fixture
    def sam(self) -> User:
        return make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor")

    def test_password_alone_does_not_sign_in(self, client: Client, sam: User) -> None:
        response = post_password(client, "sam", PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_authenticate")
        assert session_user_id(client) is None
        # No page with data is reachable between the password and the code.
        assert client.get("/")["Location"].startswith(LOGIN)

    def test_right_code_signs_in(self, client: Client, sam: User) -> None:
        post_password(client, "sam", PASSWORD)
        page = client.get(reverse("mfa_authenticate"))
        assert "Enter your security code" in page.text
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(sam)})
        assert response.status_code == 302
        assert session_user_id(client) == str(sam.pk)
        home = client.get("/")
        assert home.status_code == 200
        assert "Welcome, Sam" in home.text

    def test_wrong_code_is_refused(self, client: Client, sam: User) -> None:
        post_password(client, "sam", PASSWORD)
        response = client.post(reverse("mfa_authenticate"), {"code": "12345x"})
        assert response.status_code == 200
        assert "Incorrect code." in response.text
        assert session_user_id(client) is None

    def test_a_code_cannot_be_used_twice(self, client: Client, sam: User) -> None:
        code = totp_code(sam)
        post_password(client, "sam", PASSWORD)
        assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302

        replay = Client()
        post_password(replay, "sam", PASSWORD)
        response = replay.post(reverse("mfa_authenticate"), {"code": code})
        assert response.status_code == 200
        assert "Incorrect code." in response.text
        assert session_user_id(replay) is None

    def test_mfa_cannot_be_removed_by_the_user(self, client: Client, sam: User) -> None:
        post_password(client, "sam", PASSWORD)
        client.post(reverse("mfa_authenticate"), {"code": totp_code(sam)})
        client.post(reverse("mfa_deactivate_totp"), {})
        assert Authenticator.objects.filter(user=sam, type="totp").exists()


@pytest.mark.django_db
class TestThrottling:
    def test_ten_failures_then_a_cool_off_for_that_account_and_address(
        self, client: Client
    ) -> None:
        make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False)
        for _ in range(10):
            assert "are not correct" in post_password(client, "sam", "wrong guess").text
        locked = post_password(client, "sam", PASSWORD)
        assert "Too many failed login attempts" in locked.text
        assert session_user_id(client) is None

        # The same account from another address, and a colleague from the same address,
        # can still sign in: one office cannot lock everyone out.
        elsewhere = Client(REMOTE_ADDR="10.9.8.7")
        post_password(elsewhere, "sam", PASSWORD)
        assert session_user_id(elsewhere) is not None

        make_user("ben", Role.BUSINESS_SUPPORT, "Ben", "Hughes", mfa=False)
        colleague = Client()
        post_password(colleague, "ben", PASSWORD)
        assert session_user_id(colleague) is not None

    def test_nine_failures_do_not_lock(self, client: Client) -> None:
        make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False)
        for _ in range(9):
            post_password(client, "sam", "wrong guess")
        post_password(client, "sam", PASSWORD)
        assert session_user_id(client) is not None


@pytest.mark.django_db
def test_sign_up_is_closed(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "intruder",
            "password1": "a long enough pass",
            "password2": "a long enough pass",
        },
    )
    assert not User.objects.filter(username="intruder").exists()
    assert response.status_code in {200, 302, 404}
