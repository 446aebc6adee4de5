from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from onestory.demo.accounts import DEMO_ACCOUNTS, create_demo_accounts
from onestory.demo.models import DemoCouncil
from onestory.test import Cast, sign_in, signed_in


@pytest.mark.django_db
def test_health_check_reports_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"


@pytest.mark.django_db
def test_health_check_fails_when_the_database_is_unreachable(client: Client, monkeypatch) -> None:
    def unreachable(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "database unreachable" in response.text
    assert "connection refused" not in response.text


@pytest.mark.django_db
def test_accessibility_statement_is_public(client: Client) -> None:
    response = client.get("/accessibility/")
    assert response.status_code == 200
    assert "Accessibility statement for One Story" in response.text


def test_home_shows_service_and_council(cast: Cast, settings) -> None:
    response = signed_in(cast.sam).get("/")
    assert "One Story" in response.text
    assert settings.COUNCIL_NAME in response.text
    assert 'href="#main-content"' in response.text  # skip link
    assert "Sign out" in response.text


def test_navigation_shows_administration_only_to_administrators(cast: Cast) -> None:
    sams_home = signed_in(cast.sam).get("/").text
    assert "Welcome, Sam" in sams_home
    assert "Administration" not in sams_home
    cast.hana.role = "administrator"
    cast.hana.is_staff = True
    cast.hana.save()
    assert "Administration" in signed_in(cast.hana).get("/").text


def test_admin_is_for_administrators_only(cast: Cast) -> None:
    response = signed_in(cast.sam).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
class TestDemoMode:
    @pytest.fixture(autouse=True)
    def demo_council(self, db: None) -> None:
        create_demo_accounts(password="demo-password-for-tests", scale="small", seed=1)

    def test_demo_accounts_one_per_role(self) -> None:
        council = DemoCouncil.objects.get()
        names = {u.username for u in council.accounts}
        assert names == {username for username, *_ in DEMO_ACCOUNTS}
        assert "demo-social-worker" in names and "demo-other-pod-social-worker" in names

    def test_banner_and_password_shown_only_in_demo_mode(self, client: Client, settings) -> None:
        settings.DEMO_MODE = True
        page = client.get("/accounts/login/")
        assert "Demo council: not for real records" in page.text
        assert "demo-password-for-tests" in page.text
        settings.DEMO_MODE = False
        page = client.get("/accounts/login/")
        assert "Sign in to One Story" in page.text
        assert "Demo council" not in page.text
        assert "demo-password-for-tests" not in page.text

    def test_demo_accounts_skip_mfa_only_in_demo_mode(self, client: Client, settings) -> None:
        settings.DEMO_MODE = True
        client.post(
            "/accounts/login/",
            {"login": "demo-social-worker", "password": "demo-password-for-tests"},
        )
        assert client.get("/").status_code == 200
        settings.DEMO_MODE = False
        assert client.get("/")["Location"] == reverse("mfa_activate_totp")


def test_htmx_posts_carry_the_csrf_token_from_the_page(cast: Cast) -> None:
    """htmx sends the token from the body's hx-headers; without it a POST is refused."""
    import json
    import re

    from django.test import Client

    client = sign_in(Client(enforce_csrf_checks=True), cast.sam)
    page = client.get("/").text
    headers = json.loads(re.search(r"hx-headers='([^']+)'", page).group(1))  # type: ignore[union-attr]

    refused = client.post("/accounts/logout/", HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    assert "_auth_user_id" in client.session

    accepted = client.post(
        "/accounts/logout/", HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=headers["X-CSRFToken"]
    )
    assert accepted.status_code in {200, 302}
    assert "_auth_user_id" not in client.session


def test_htmx_version_is_pinned_to_2() -> None:
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    pinned = json.loads((root / "package.json").read_text())["dependencies"]["htmx.org"]
    assert pinned.startswith("2.")


@pytest.mark.django_db
def test_the_demo_password_can_be_chosen_when_the_council_is_created(monkeypatch) -> None:
    from django.core.management import call_command

    monkeypatch.setenv("ONESTORY_DEMO_PASSWORD", "a-password-chosen-by-the-operator")
    call_command("seed_demo", "--scale", "small", "--seed", "3", "--today", "2026-01-05")
    user = DemoCouncil.objects.get().accounts.get(username="demo-pod-manager")
    assert user.check_password("a-password-chosen-by-the-operator")
    assert DemoCouncil.objects.get().password == "a-password-chosen-by-the-operator"


@pytest.mark.django_db
def test_the_demo_council_is_only_loaded_into_an_empty_database(cast: Cast) -> None:
    from django.core.management import CommandError, call_command

    call_command("seed_demo", "--if-empty")  # succeeds, does nothing
    assert not DemoCouncil.objects.exists()
    with pytest.raises(CommandError, match="only loaded into an empty database"):
        call_command("seed_demo")
