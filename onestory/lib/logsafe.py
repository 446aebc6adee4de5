"""Keep log lines honest and free of personal data (docs/security.md, promise 12)."""

from __future__ import annotations

import logging
import re
import traceback

# Line breaks in user input would let it forge a log line of its own.
_CONTROL = re.compile(r"[\r\n\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Query strings carry search terms (names of children); the path alone is enough to debug.
_QUERY = re.compile(r"\?\S*")
_SECRET_KEYS = ("password", "token", "secret", "code", "otp")


def _clean(value: object) -> object:
    if isinstance(value, str):
        return _CONTROL.sub(" ", _QUERY.sub("?[query removed]", value))
    return value


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _safe_exception_text(exc: BaseException) -> str:
    """The traceback of an exception and of its causes, without their messages.

    Messages carry data: a child's name in a ValueError, a query string in a URL, the row in a
    database error's DETAIL. The exception's type and the frames (our code, not our data) are
    enough to debug; the messages never reach the log.
    """
    blocks: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        block = ""
        if current.__traceback__ is not None:
            block = "Traceback (most recent call last):\n" + "".join(
                traceback.format_tb(current.__traceback__)
            )
        blocks.append(f"{block}{_type_name(current)}: [message removed]")
        if current.__cause__ is not None:
            blocks.append(
                "\nThe above exception was the direct cause of the following exception:\n\n"
            )
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            blocks.append(
                "\nDuring handling of the above exception, another exception occurred:\n\n"
            )
            current = current.__context__
        else:
            current = None
    if len(blocks) % 2 == 0:  # a cycle ended the walk after a link
        blocks.pop()
    return "".join(reversed(blocks))


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
        # Exception messages are data too: keep the traceback, drop the messages. exc_info is
        # cleared so that no formatter can format the original again.
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _safe_exception_text(record.exc_info[1])
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = "[exception text removed]"
        # Django attaches the request to error records; its repr would include POST data.
        if hasattr(record, "request"):
            record.request = None
        return True
