"""The `zhaoshang` command: Django's manage.py, installed as a console script."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.SECRET_KEY  # reads the settings: what is missing is said in one line, not a traceback
    except ImproperlyConfigured as error:
        sys.exit(f"zhaoshang: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
