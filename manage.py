#!/usr/bin/env python
"""Django's command-line utility for One Story."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestory.settings")
    from django.core.management import execute_from_command_line

    from onestory.lib.config import SettingsError

    try:
        execute_from_command_line(sys.argv)
    except SettingsError as error:
        # A wrong setting is the operator's to fix: say what, without a stack trace.
        sys.exit(f"One Story cannot start: {error}")


if __name__ == "__main__":
    main()
