"""Sessions end after 30 minutes idle or 12 hours in all; signing out ends them at once."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from onestory.test import Cast, signed_in


def age_session(client: Client, *, idle: float, since_start: float) -> None:
    session = client.session
    now = time.time()
    session["onestory_started"] = now - since_start
    session["onestory_last_seen"] = now - idle
    session.save()


def test_an_active_session_continues(cast: Cast) -> None:
    client = signed_in(cast.sam)
    client.get("/")
    age_session(client, idle=29 * 60, since_start=11 * 3600)
    assert client.get("/").status_code == 200


def test_thirty_minutes_idle_ends_the_session(cast: Cast) -> None:
    client = signed_in(cast.sam)
    client.get("/")
    age_session(client, idle=31 * 60, since_start=3600)
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert "you had not used One Story for 30 minutes" in response.text
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_twelve_hours_ends_the_session_however_busy(cast: Cast) -> None:
    client = signed_in(cast.sam)
    client.get("/")
    age_session(client, idle=10, since_start=12 * 3600 + 60)
    response = client.get("/", follow=True)
    assert "you had been signed in for 12 hours" in response.text
    assert "_auth_user_id" not in client.session


def test_deactivating_an_account_ends_its_sessions(cast: Cast) -> None:
    client = signed_in(cast.sam)
    assert client.get("/").status_code == 200
    cast.sam.is_active = False
    cast.sam.save()
    assert client.get("/").status_code == 302


def test_a_password_change_ends_other_sessions(cast: Cast) -> None:
    other_device = signed_in(cast.sam)
    assert other_device.get("/").status_code == 200
    cast.sam.set_password("a brand new passphrase for sam")
    cast.sam.save()
    assert other_device.get("/").status_code == 302


@pytest.mark.django_db
def test_session_cookie_flags(client: Client, settings) -> None:
    settings.SESSION_COOKIE_SECURE = True
    from onestory.accounts.models import Role
    from onestory.test import PASSWORD, make_user

    make_user("ben", Role.BUSINESS_SUPPORT, "Ben", "Hughes", mfa=False)
    response = client.post("/accounts/login/", {"login": "ben", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
