"""Keep log lines honest and free of personal data (docs/security.md, promise 12)."""

from __future__ import annotations

import logging
import re

# Line breaks in user input would let it forge a log line of its own.
_CONTROL = re.compile(r"[\r\n\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Query strings carry search terms (names of children); the path alone is enough to debug.
_QUERY = re.compile(r"\?\S*")
_SECRET_KEYS = ("password", "token", "secret", "code", "otp")


def _clean(value: object) -> object:
    if isinstance(value, str):
        return _CONTROL.sub(" ", _QUERY.sub("?[query removed]", value))
    return value


class SafeLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                key: "[removed]" if any(s in str(key).lower() for s in _SECRET_KEYS) else _clean(v)
                for key, v in record.args.items()
            }
        # Django attaches the request to error records; its repr would include POST data.
        if hasattr(record, "request"):
            record.request = None
        return True
