import os
import sys

from django.core.wsgi import get_wsgi_application

from onestory.lib.config import SettingsError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestory.settings")
try:
    application = get_wsgi_application()
except SettingsError as error:
    sys.exit(f"One Story cannot start: {error}")
