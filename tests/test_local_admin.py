"""`manage.py ensure_local_admin`: the local superuser `make run` creates once."""

import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(password_file, capsys):
    call_command("ensure_local_admin", password_file=password_file)
    return capsys.readouterr().out


def test_creates_admin_once_and_keeps_the_password_private(tmp_path, capsys):
    password_file = tmp_path / ".admin-password"
    out = run(password_file, capsys)
    password = password_file.read_text().strip()
    assert len(password) >= 16
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert f"Admin: http://127.0.0.1:8000/admin/  user: admin  password: {password}" in out
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.check_password(password)


def test_second_run_prints_the_saved_password_and_creates_nothing(tmp_path, capsys):
    password_file = tmp_path / ".admin-password"
    run(password_file, capsys)
    password = password_file.read_text().strip()
    out = run(password_file, capsys)
    assert f"password: {password}" in out
    assert get_user_model().objects.filter(username="admin").count() == 1
    assert password_file.read_text().strip() == password


def test_existing_admin_without_saved_password_explains_the_reset(tmp_path, capsys, admin_user):
    out = run(tmp_path / ".admin-password", capsys)
    assert "changepassword admin" in out
    assert "password: " not in out
    assert not (tmp_path / ".admin-password").exists()


def test_stale_saved_password_is_not_shown(tmp_path, capsys):
    password_file = tmp_path / ".admin-password"
    run(password_file, capsys)
    user = get_user_model().objects.get(username="admin")
    user.set_password("changed-by-hand-42")
    user.save()
    out = run(password_file, capsys)
    assert "out of date" in out
    assert "changepassword admin" in out
    assert password_file.read_text().strip() not in out


def test_refuses_production(tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ENV", "production")
    with pytest.raises(CommandError, match="production"):
        call_command("ensure_local_admin", password_file=tmp_path / "pw")
    assert not get_user_model().objects.filter(username="admin").exists()
    assert not (tmp_path / "pw").exists()
