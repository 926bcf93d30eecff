import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_first_run_creates_admin_with_random_password_shown_once(capsys, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_superuser")
    out = capsys.readouterr().out
    password = out.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    call_command("ensure_superuser")
    assert "password" not in capsys.readouterr().out
    assert get_user_model().objects.count() == 1


def test_admin_comes_from_environment_when_set(monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "desk")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-passphrase")
    call_command("ensure_superuser")
    assert get_user_model().objects.get(username="desk").check_password("a-long-passphrase")
    assert "a-long-passphrase" not in capsys.readouterr().out


def test_half_configured_admin_is_an_error(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "desk")
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="both"):
        call_command("ensure_superuser")
    assert not get_user_model().objects.exists()
