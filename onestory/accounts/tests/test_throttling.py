"""Failed sign-ins behind the council's proxy (docs/security.md, promise 15): counted per account
and *client* address, the client address taken from X-Forwarded-For only when a proxy is trusted,
and an office's shared address slowed down rather than locked out."""

from __future__ import annotations

import pytest
from django.test import Client

from onestory.accounts import adapters
from onestory.accounts.models import Role
from onestory.core.tests.test_settings_errors import run_check
from onestory.test import PASSWORD, make_user

LOGIN = "/accounts/login/"
PROXY = "10.0.0.1"
OFFICE = "203.0.113.10"
HOME = "198.51.100.20"


def post_password(client: Client, username: str, password: str, *, forwarded_for: str = ""):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(LOGIN, {"login": username, "password": password}, headers=headers)


def signed_in(client: Client) -> bool:
    return client.session.get("_auth_user_id") is not None


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The progressive delay, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(adapters, "pause", slept.append, raising=False)
    return slept


@pytest.mark.django_db
class TestBehindTheProxy:
    @pytest.fixture(autouse=True)
    def one_trusted_proxy(self, settings: object) -> None:
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]

    def test_two_clients_through_one_proxy_are_counted_separately(
        self, pauses: list[float]
    ) -> None:
        make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False)
        proxy = Client(REMOTE_ADDR=PROXY)
        for _ in range(10):
            post_password(proxy, "sam", "wrong guess", forwarded_for=OFFICE)
        locked = post_password(proxy, "sam", PASSWORD, forwarded_for=OFFICE)
        assert "Too many failed login attempts" in locked.text
        assert not signed_in(proxy)

        # Sam at home comes through the same proxy, from another client address.
        home = Client(REMOTE_ADDR=PROXY)
        post_password(home, "sam", PASSWORD, forwarded_for=HOME)
        assert signed_in(home)

    def test_the_address_is_the_one_the_proxy_added(self, pauses: list[float]) -> None:
        # A client may send its own X-Forwarded-For; the proxy appends the address it saw.
        # With one trusted proxy, only that last entry counts.
        make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False)
        attacker = Client(REMOTE_ADDR=PROXY)
        for n in range(10):
            post_password(attacker, "sam", "wrong guess", forwarded_for=f"192.0.2.{n}, {OFFICE}")
        locked = post_password(attacker, "sam", PASSWORD, forwarded_for=f"192.0.2.99, {OFFICE}")
        assert "Too many failed login attempts" in locked.text

    def test_ten_failures_lock_sam_at_the_office_but_not_priya(self, pauses: list[float]) -> None:
        make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False)
        make_user("priya", Role.POD_MANAGER, "Priya", "Shah", mfa=False)
        office = Client(REMOTE_ADDR=PROXY)
        for _ in range(10):
            post_password(office, "sam", "wrong guess", forwarded_for=OFFICE)
        assert (
            "Too many failed" in post_password(office, "sam", PASSWORD, forwarded_for=OFFICE).text
        )

        colleague = Client(REMOTE_ADDR=PROXY)
        post_password(colleague, "priya", PASSWORD, forwarded_for=OFFICE)
        assert signed_in(colleague)


@pytest.mark.django_db
def test_a_spoofed_header_is_ignored_when_no_proxy_is_trusted(
    settings: object, pauses: list[float]
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0  # type: ignore[attr-defined]
    make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor", mfa=False)
    attacker = Client(REMOTE_ADDR=OFFICE)
    for n in range(10):
        post_password(attacker, "sam", "wrong guess", forwarded_for=f"192.0.2.{n}")
    # A fresh made-up address does not reset the count: the connection's address is used.
    locked = post_password(attacker, "sam", PASSWORD, forwarded_for="192.0.2.200")
    assert "Too many failed login attempts" in locked.text
    assert not signed_in(attacker)


@pytest.mark.django_db
def test_many_failures_from_one_address_slow_it_down_but_lock_no_one_out(
    pauses: list[float],
) -> None:
    # A password spray from the office's shared address: one guess at each of many names.
    make_user("priya", Role.POD_MANAGER, "Priya", "Shah", mfa=False)
    office = Client(REMOTE_ADDR=OFFICE)
    for n in range(120):
        post_password(office, f"guess{n}", "wrong guess")

    # The address is slowed, more with each failure, up to a cap...
    assert pauses, "no delay after 120 failures from one address"
    assert pauses == sorted(pauses)
    assert pauses[0] < pauses[-1] == adapters.MAX_PAUSE_SECONDS

    # ...but Priya, in the same office, still signs in (after the pause).
    colleague = Client(REMOTE_ADDR=OFFICE)
    pauses.clear()
    post_password(colleague, "priya", PASSWORD)
    assert signed_in(colleague)
    assert pauses == [adapters.MAX_PAUSE_SECONDS]


@pytest.mark.parametrize("value", ["two", "-1"])
def test_a_proxy_count_that_is_not_a_count_stops_with_a_plain_message(value: str) -> None:
    result = run_check(ONESTORY_ENV="test", ONESTORY_TRUSTED_PROXIES=value)
    assert result.returncode != 0
    assert result.stderr.startswith("One Story cannot start:")
    assert "ONESTORY_TRUSTED_PROXIES must be the number of reverse proxies" in result.stderr
