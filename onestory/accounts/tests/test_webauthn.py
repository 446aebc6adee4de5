"""Security keys and passkeys (WebAuthn) as a second factor beside the authenticator app
(docs/security.md, promise 14), with allauth's JavaScript under our CSP: every script from a file
and carrying the response's nonce, none inline (promise 18).

The server's side of the ceremony is tested with a software authenticator built from fido2's
data types (`SoftKey`); the browser's part (navigator.credentials and allauth's script) is not."""

from __future__ import annotations

import html
import json
import os
import re
from hashlib import sha256
from typing import Any

from allauth.mfa.models import Authenticator
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.test import Client
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import AttestationObject, AttestedCredentialData, AuthenticatorData

from onestory.accounts.models import Role
from onestory.core.tests.test_headers import assert_security_headers
from onestory.test import PASSWORD, Cast, make_user, signed_in


def test_security_keys_are_supported() -> None:
    assert "webauthn" in settings.MFA_SUPPORTED_TYPES
    assert "totp" in settings.MFA_SUPPORTED_TYPES


def test_the_add_page_renders_under_the_csp_with_no_inline_script(cast: Cast) -> None:
    client = signed_in(cast.sam)
    # Adding a key changes how Sam signs in: allauth asks for the password again first.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD}, secure=True)
    response = client.get("/accounts/2fa/webauthn/add/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response, authenticated=True)
    html = response.text
    assert "Add a security key or passkey" in html
    # allauth's own scripts, and ours that starts them with the page's data.
    for script in ("mfa/js/webauthn-json.js", "mfa/js/webauthn.js", "webauthn-start.js"):
        assert re.search(rf'<script nonce="[^"]+" src="[^"]*{re.escape(script)}"', html), script
    assert 'data-onestory-webauthn="addForm"' in html
    assert "creation_options" in html


def test_the_account_page_offers_security_keys_beside_the_authenticator_app(cast: Cast) -> None:
    response = signed_in(cast.sam).get("/accounts/2fa/", secure=True)
    assert response.status_code == 200
    assert_security_headers(response, authenticated=True)
    assert "Authenticator App" in response.text
    assert "Security Keys" in response.text
    assert "/accounts/2fa/webauthn/add/" in response.text


ORIGIN = "https://testserver"
Flag = AuthenticatorData.FLAG


class SoftKey:
    """A security key in software: what a browser and an authenticator would send back."""

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    @staticmethod
    def _client_data(kind: str, options: dict[str, Any]) -> bytes:
        challenge = options["publicKey"]["challenge"]
        data = {"type": kind, "challenge": challenge, "origin": ORIGIN, "crossOrigin": False}
        return json.dumps(data).encode()

    def _auth_data(self, rp_id: str, flags: Flag, credential: bytes = b"") -> AuthenticatorData:
        self.counter += 1
        rp_id_hash = sha256(rp_id.encode()).digest()
        auth_data: AuthenticatorData = AuthenticatorData.create(
            rp_id_hash, flags, self.counter, credential
        )
        return auth_data

    def register(self, options: dict[str, Any]) -> dict[str, Any]:
        public_key = ES256.from_cryptography_key(self.private.public_key())  # type: ignore[no-untyped-call]
        attested = AttestedCredentialData.create(b"\0" * 16, self.credential_id, public_key)
        rp_id = options["publicKey"]["rp"]["id"]
        auth_data = self._auth_data(rp_id, Flag.UP | Flag.UV | Flag.AT, attested)
        attestation = AttestationObject.create("none", auth_data, {})
        return self._credential(
            clientDataJSON=self._client_data("webauthn.create", options),
            attestationObject=bytes(attestation),
        )

    def sign(self, options: dict[str, Any], rp_id: str = "testserver") -> dict[str, Any]:
        client_data = self._client_data("webauthn.get", options)
        auth_data = self._auth_data(rp_id, Flag.UP | Flag.UV)
        signed = bytes(auth_data) + sha256(client_data).digest()
        signature = self.private.sign(signed, ec.ECDSA(hashes.SHA256()))
        return self._credential(
            clientDataJSON=client_data, authenticatorData=bytes(auth_data), signature=signature
        )

    def _credential(self, **response: bytes) -> dict[str, Any]:
        key_id = websafe_encode(self.credential_id)
        return {
            "type": "public-key",
            "id": key_id,
            "rawId": key_id,
            "response": {name: websafe_encode(value) for name, value in response.items()},
            "clientExtensionResults": {},
        }


def page_options(page: str) -> dict[str, Any]:
    """The options the server put in the page for allauth's script (data-options)."""
    found = re.search(r'data-options="([^"]*)"', page)
    assert found, "no WebAuthn options in the page"
    options: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return options


def test_a_totp_user_is_not_offered_a_key_they_do_not_have(cast: Cast) -> None:
    client = Client()
    client.post("/accounts/login/", {"login": "sam", "password": PASSWORD})
    response = client.get("/accounts/2fa/authenticate/", secure=True)
    assert response.status_code == 200
    assert "Enter your security code" in response.text
    assert "Use a security key" not in response.text


def test_a_key_is_added_and_then_signs_in_under_the_csp(cast: Cast) -> None:
    # Kim has an authenticator app, and adds a security key beside it.
    kim = make_user("kim", Role.SOCIAL_WORKER, "Kim", "Holder")
    client = signed_in(kim)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD}, secure=True)
    add_page = client.get("/accounts/2fa/webauthn/add/", secure=True).text
    key = SoftKey()
    credential = key.register(page_options(add_page)["creation_options"])
    added = client.post(
        "/accounts/2fa/webauthn/add/",
        {"name": "Kim's key", "credential": json.dumps(credential)},
        secure=True,
    )
    assert added.status_code == 302, added.text
    stored = Authenticator.objects.get(user=kim, type=Authenticator.Type.WEBAUTHN)
    assert websafe_decode(credential["rawId"]) == key.credential_id
    assert stored.wrap().name == "Kim's key"

    # Next time, the key is offered beside the code, with no inline script, and it signs in.
    fresh = Client()
    fresh.post("/accounts/login/", {"login": "kim", "password": PASSWORD}, secure=True)
    challenge = fresh.get("/accounts/2fa/authenticate/", secure=True)
    assert_security_headers(challenge, authenticated=False)
    assert "Use a security key" in challenge.text
    assert 'data-onestory-webauthn="authenticateForm"' in challenge.text
    assertion = key.sign(page_options(challenge.text)["request_options"])
    signed = fresh.post(
        "/accounts/2fa/authenticate/", {"credential": json.dumps(assertion)}, secure=True
    )
    assert signed.status_code == 302, signed.text
    home = fresh.get("/", secure=True)
    assert home.status_code == 200

    # A key that signs for another site is refused.
    other = Client()
    other.post("/accounts/login/", {"login": "kim", "password": PASSWORD}, secure=True)
    challenge = other.get("/accounts/2fa/authenticate/", secure=True)
    phished = key.sign(page_options(challenge.text)["request_options"], rp_id="evil.example")
    refused = other.post(
        "/accounts/2fa/authenticate/", {"credential": json.dumps(phished)}, secure=True
    )
    assert refused.status_code == 200
    assert other.get("/", secure=True).status_code == 302
