"""Council sign-in through Microsoft Entra ID (docs/security.md, promise 14;
docs/decisions/0002-sign-in-mfa-and-sessions.md), against a stub of Entra and Microsoft Graph at
the HTTP boundary allauth uses (its requests session): no network."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.account.authentication import get_authentication_records
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount
from django.test import Client, RequestFactory
from requests.adapters import BaseAdapter

from onestory.accounts import middleware, sso
from onestory.accounts.models import Role, User
from onestory.core.tests.test_settings_errors import run_check
from onestory.test import make_user

TENANT = "6f1c2a4e-0000-4000-8000-brightwater0"
CLIENT_ID = "one-story-client"
SECRET = "client-secret-from-the-council"
SAMS_OBJECT_ID = "3b1f5d2a-aaaa-4bbb-8ccc-000000000001"
STRANGER_OBJECT_ID = "3b1f5d2a-aaaa-4bbb-8ccc-000000000999"


class EntraStub(BaseAdapter):
    """Answers the token and profile requests as Entra ID and Microsoft Graph would, for one
    identity, and keeps what it was asked."""

    def __init__(self, identity: dict[str, str]) -> None:
        super().__init__()
        self.identity = identity
        self.asked: list[str] = []

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        url = str(request.url)
        self.asked.append(url.split("?")[0])
        if url == f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token":
            form = parse_qs(str(request.body))
            assert form["client_id"] == [CLIENT_ID] and form["client_secret"] == [SECRET]
            body: dict[str, Any] = {
                "access_token": "stub-access-token",
                "token_type": "Bearer",
                "expires_in": 3600,
            }
        elif url.startswith("https://graph.microsoft.com/v1.0/me"):
            assert request.headers["Authorization"] == "Bearer stub-access-token"
            body = self.identity
        else:
            raise AssertionError(f"unexpected request to {url}")
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(body).encode()
        response.url = url
        response.request = request
        return response

    def close(self) -> None:
        pass


def identity(object_id: str, name: str) -> dict[str, str]:
    return {
        "id": object_id,
        "displayName": f"{name.title()} Okafor",
        "givenName": name.title(),
        "surname": "Okafor",
        "mail": f"{name}@brightwater.gov.invalid",
        "userPrincipalName": f"{name}@brightwater.gov.invalid",
        "mailNickname": name,
    }


@pytest.fixture(autouse=True)
def council_sign_in(settings: Any) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {
        "microsoft": {
            "APPS": [{"client_id": CLIENT_ID, "secret": SECRET, "settings": {"tenant": TENANT}}]
        }
    }


def test_strangers_reach_the_council_sign_in_and_its_return() -> None:
    # Entra's redirect back arrives before anyone is signed in.
    assert set(sso.SSO_PUBLIC_PREFIXES) <= set(middleware.PUBLIC_PREFIXES)


def sign_in_through_entra(
    client: Client, who: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Any:
    stub = EntraStub(who)

    def session(_adapter: object) -> Iterator[requests.Session]:
        s = requests.Session()
        s.mount("https://", stub)
        return s  # type: ignore[return-value]

    monkeypatch.setattr(DefaultSocialAccountAdapter, "get_requests_session", session)
    start = client.post("/accounts/microsoft/login/", {"process": "login"})
    assert start.status_code == 302
    to_entra = urlparse(start["Location"])
    assert to_entra.netloc == "login.microsoftonline.com"
    assert to_entra.path == f"/{TENANT}/oauth2/v2.0/authorize"
    state = parse_qs(to_entra.query)["state"][0]
    response = client.get(
        "/accounts/microsoft/login/callback/", {"code": "stub-code", "state": state}
    )
    assert stub.asked == [
        f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token",
        "https://graph.microsoft.com/v1.0/me",
    ]
    return response


def session_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
class TestCouncilSignIn:
    def test_the_sign_in_page_offers_the_council_account(self) -> None:
        page = Client().get("/accounts/login/")
        assert "Sign in with your council account" in page.text

    def test_a_linked_user_signs_in_with_no_second_challenge(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Sam has an authenticator app too: Entra asked for MFA, so One Story does not.
        sam = make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", password=None)
        SocialAccount.objects.create(user=sam, provider="microsoft", uid=SAMS_OBJECT_ID)
        client = Client()
        response = sign_in_through_entra(client, identity(SAMS_OBJECT_ID, "sam"), monkeypatch)
        assert response.status_code == 302 and response["Location"] == "/"
        assert session_user_id(client) == str(sam.pk)

    def test_a_linked_user_signs_in_and_reaches_the_home_page(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        sam = make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False, password=None)
        SocialAccount.objects.create(user=sam, provider="microsoft", uid=SAMS_OBJECT_ID)
        client = Client()
        response = sign_in_through_entra(client, identity(SAMS_OBJECT_ID, "sam"), monkeypatch)

        # No second MFA challenge from One Story: Entra asked for it.
        assert response.status_code == 302 and response["Location"] == "/"
        assert session_user_id(client) == str(sam.pk)
        request = RequestFactory().get("/")
        request.session = client.session
        assert sso.signed_in_through_sso(request, sam)
        records = get_authentication_records(request, sam)
        assert [(r["method"], r["provider"]) for r in records] == [("socialaccount", "microsoft")]

        home = client.get("/")
        assert home.status_code == 200, home.get("Location")
        assert "Sam" in home.text

    def test_an_unknown_identity_is_refused_and_no_one_is_created(
        self, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        # Someone in the council's tenant whose identity no administrator has linked, even
        # with the same email address as a staff account.
        make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False, password=None)
        before = User.objects.count()
        client = Client()
        stranger = identity(STRANGER_OBJECT_ID, "sam")
        response = sign_in_through_entra(client, stranger, monkeypatch)
        assert response.status_code == 403
        assert "You cannot sign in with this council account" in response.text
        assert session_user_id(client) is None
        assert User.objects.count() == before
        assert not SocialAccount.objects.filter(uid=STRANGER_OBJECT_ID).exists()
        refusals = [r.getMessage() for r in caplog.records if "Council sign-in refused" in r.msg]
        assert len(refusals) == 1
        assert "no account is linked to this identity" in refusals[0]
        assert "sam" not in refusals[0].lower()

    def test_a_deactivated_user_is_refused(self, monkeypatch: pytest.MonkeyPatch) -> None:
        sam = make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False, password=None)
        SocialAccount.objects.create(user=sam, provider="microsoft", uid=SAMS_OBJECT_ID)
        sam.is_active = False
        sam.save()
        client = Client()
        response = sign_in_through_entra(client, identity(SAMS_OBJECT_ID, "sam"), monkeypatch)
        assert response.status_code == 403
        assert session_user_id(client) is None


@pytest.mark.django_db
def test_without_settings_there_is_no_council_sign_in(settings: Any) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {"microsoft": {"APPS": []}}
    client = Client()
    assert "council account" not in client.get("/accounts/login/").text
    # The provider's pages are not found, rather than failing.
    assert client.get("/accounts/microsoft/login/").status_code == 404
    assert client.post("/accounts/microsoft/login/", {"process": "login"}).status_code == 404
    callback = client.get("/accounts/microsoft/login/callback/", {"code": "x", "state": "y"})
    assert callback.status_code == 404


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"ONESTORY_ENTRA_TENANT": TENANT},
            "ONESTORY_ENTRA_CLIENT_ID, ONESTORY_ENTRA_CLIENT_SECRET must be set too",
        ),
        (
            {
                "ONESTORY_ENTRA_TENANT": "organizations",
                "ONESTORY_ENTRA_CLIENT_ID": CLIENT_ID,
                "ONESTORY_ENTRA_CLIENT_SECRET": SECRET,
            },
            "must be the council's own tenant id",
        ),
    ],
)
def test_council_sign_in_half_set_up_stops_with_a_plain_message(
    env: dict[str, str], message: str
) -> None:
    result = run_check(ONESTORY_ENV="test", **env)
    assert result.returncode != 0
    assert result.stderr.startswith("One Story cannot start:")
    assert message in result.stderr
    assert SECRET not in result.stderr
