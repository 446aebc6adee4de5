"""Encrypts MFA secrets stored before they were encrypted (docs/security.md, promise 14).

Written by hand. A stored value that is still plain (a TOTP secret in base32, a recovery-code
seed in hex) is encrypted with ONESTORY_MFA_KEY; a Fernet token is never plain in either
alphabet, so running this again changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

PLAIN = {
    "totp": ("secret", re.compile(r"[A-Z2-7]+=*")),
    "recovery_codes": ("seed", re.compile(r"[0-9a-f]+")),
}


def encrypt_plain_secrets(apps: Any, schema_editor: Any) -> None:
    from onestory.accounts.adapters import MFAAdapter

    adapter = MFAAdapter()
    authenticators = apps.get_model("mfa", "Authenticator").objects.using(
        schema_editor.connection.alias
    )
    for authenticator in authenticators.filter(type__in=PLAIN):
        field, plain = PLAIN[authenticator.type]
        value = authenticator.data.get(field)
        if isinstance(value, str) and plain.fullmatch(value):
            authenticator.data[field] = adapter.encrypt(value)
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_admin_only_for_administrators_and_user_history"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_plain_secrets, migrations.RunPython.noop)]
