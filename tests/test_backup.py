"""Backups: an encrypted, dated archive that restores into an empty database and empty media
folders with the same counts and the same rendered pages (.ci/backup-restore does the same
with the demo content and, in CI, on PostgreSQL)."""

import io
import os
import subprocess
import sys
import tarfile

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tongxin.core import backup

KEY = Fernet.generate_key().decode()


@pytest.fixture
def backup_key(monkeypatch):
    monkeypatch.setenv("BACKUP_KEY", KEY)


class TestEncryption:
    @pytest.mark.parametrize("size", [0, 10, 1024, 1025, 5000])
    def test_round_trip_in_chunks(self, size, monkeypatch):
        monkeypatch.setattr(backup, "CHUNK", 1024)
        data = os.urandom(size)
        box = Fernet(KEY)
        sealed, opened = io.BytesIO(), io.BytesIO()
        backup.encrypt_stream(io.BytesIO(data), sealed, box)
        backup.decrypt_stream(io.BytesIO(sealed.getvalue()), opened, box)
        assert opened.getvalue() == data

    def test_truncation_and_wrong_key_are_refused(self, monkeypatch):
        monkeypatch.setattr(backup, "CHUNK", 16)
        sealed = io.BytesIO()
        backup.encrypt_stream(io.BytesIO(b"x" * 100), sealed, Fernet(KEY))
        data = sealed.getvalue()
        first = backup._LENGTH.size + backup._LENGTH.unpack(data[:4])[0]
        with pytest.raises(backup.BackupError, match="截断"):
            backup.decrypt_stream(io.BytesIO(data[:first]), io.BytesIO(), Fernet(KEY))
        with pytest.raises(backup.BackupError, match="密钥"):
            backup.decrypt_stream(io.BytesIO(data), io.BytesIO(), Fernet(Fernet.generate_key()))

    def test_a_missing_key_is_a_clear_error(self, monkeypatch):
        monkeypatch.delenv("BACKUP_KEY", raising=False)
        with pytest.raises(CommandError, match="BACKUP_KEY"):
            call_command("backup", "--output", "/tmp/never")


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        # Not the test settings pytest-django exported: the subprocess reads the environment.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database(site_tree, backup_key, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL round trip runs in .ci/backup-restore")
    consent = os.path.join(settings.PRIVATE_MEDIA_ROOT, "consent-forms", "form.pdf")
    os.makedirs(os.path.dirname(consent), exist_ok=True)
    with open(consent, "wb") as f:
        f.write(b"%PDF-1.4 signed")
    call_command("backup", "--output", str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("tongxin-backup-*.tar")
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == [
            "database.enc",
            "manifest.json",
            "media.enc",
            "private.enc",
        ]
        assert b"signed" not in tar.extractfile("private.enc").read()
    env = {
        "DJANGO_ENV": "dev",
        "DEBUG": "0",
        "BACKUP_KEY": KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.db'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    other_key = Fernet.generate_key().decode()
    wrong = manage("restore", str(archive), env={**env, "BACKUP_KEY": other_key})
    assert wrong.returncode != 0 and "无法解密" in wrong.stderr
    assert "Traceback" not in wrong.stderr

    restored = manage("restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "pages: " in restored.stdout and "OK" in restored.stdout
    assert (tmp_path / "private" / "consent-forms" / "form.pdf").read_bytes() == b"%PDF-1.4 signed"

    again = manage("restore", str(archive), env=env)
    assert again.returncode != 0 and "数据库不是空的" in again.stderr

    shown = manage(
        "shell",
        "-c",
        "from django.test import Client; r = Client().get('/zh-hans/qingyun/'); "
        "print(r.status_code, r.content.decode().count('<h1'))",
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1].split()[0] == "200"
