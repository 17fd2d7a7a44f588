"""Creates the local `admin` superuser once and tells the developer its password.

`make run` calls this on every start. The first run generates a password, stores it in
`.admin-password` (git-ignored, readable by its owner only) and prints it; later runs print
the stored one again, so nobody has to scroll back or guess. It refuses production settings:
a production site gets its administrators through `createsuperuser`, never a password in a
file next to the code.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
ADMIN_URL = "http://127.0.0.1:8000/admin/"


def default_password_file():
    return Path(settings.BASE_DIR) / ".admin-password"


def is_production():
    env = os.environ.get("DJANGO_ENV", "").strip().lower()
    module = getattr(settings, "SETTINGS_MODULE", "") or os.environ.get(
        "DJANGO_SETTINGS_MODULE", ""
    )
    return env == "production" or module.endswith(".production")


def write_private(path, text):
    """Write `text` to `path` readable by its owner only, also when the file already exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


class Command(BaseCommand):
    help = "Create the local superuser 'admin' once (development only) and print its password."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password-file",
            type=Path,
            default=None,
            help="Where the generated password is kept (default: .admin-password).",
        )

    def handle(self, *args, password_file=None, **options):
        if is_production():
            raise CommandError(
                "ensure_local_admin is for local development only and refuses production "
                "settings. Create administrators with `manage.py createsuperuser`."
            )
        password_file = password_file or default_password_file()
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()

        if user is None:
            password = secrets.token_urlsafe(16)
            User.objects.create_superuser(USERNAME, email="", password=password)
            write_private(password_file, password + "\n")
            self.stdout.write(self.login_line(password))
            self.stdout.write(f"(password saved in {password_file})")
            return

        saved = self.read_saved(password_file)
        if saved and user.check_password(saved):
            self.stdout.write(self.login_line(saved))
            return
        reason = "is out of date" if saved else f"is not in {password_file}"
        self.stdout.write(
            f"Admin: {ADMIN_URL}  user: {USERNAME}  (the password {reason}; "
            f"set a new one with `.venv/bin/python manage.py changepassword {USERNAME}`)"
        )

    @staticmethod
    def read_saved(path):
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, PermissionError, UnicodeDecodeError):
            return ""

    @staticmethod
    def login_line(password):
        return f"Admin: {ADMIN_URL}  user: {USERNAME}  password: {password}"
