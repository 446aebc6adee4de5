import os
import sys

from django.core.wsgi import get_wsgi_application

from onestory.lib.config import SettingsError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestory.settings")
try:
    application = get_wsgi_application()
except SettingsError as error:
    sys.exit(f"One Story cannot start: {error}")

# gunicorn runs no system checks: in production, refuse a database that would lose acknowledged
# writes in a crash (fsync or synchronous_commit off; onestory/core/checks.py).
from onestory.core.checks import refusal_to_start

if reason := refusal_to_start():
    sys.exit(f"One Story cannot start: {reason}")
