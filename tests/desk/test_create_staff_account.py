import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Author
from desk.roles import EDITORS, WRITERS
from tests.factories import make_author

pytestmark = pytest.mark.django_db


def test_creates_a_writer_with_byline_profile_and_prints_the_password_once(capsys):
    call_command(
        "create_staff_account", "Ana Maria Silva", "--role", "writer", "--title", "Reporter"
    )
    out = capsys.readouterr().out
    password = out.split("Password: ")[1].split()[0]
    user = get_user_model().objects.get()
    assert re.fullmatch(r"ana\.maria\.silva\.[a-z2-9]{6}", user.username)
    assert f"account '{user.username}'" in out
    assert user.check_password(password) and user.is_staff and not user.is_superuser
    assert (user.first_name, user.last_name) == ("Ana Maria", "Silva")
    assert list(user.groups.values_list("name", flat=True)) == [WRITERS]
    assert user.has_perm("articles.add_article") and not user.has_perm("articles.publish_article")
    assert (user.author.name, user.author.slug, user.author.title) == (
        "Ana Maria Silva",
        "ana-maria-silva",
        "Reporter",
    )


def test_creates_an_editor_with_the_given_password_without_printing_it(capsys):
    call_command(
        "create_staff_account",
        "Bo Lee",
        "--role=editor",
        "--username=bo",
        "--email=bo@example.com",
        "--password=a-long-passphrase",
    )
    out = capsys.readouterr().out
    assert "a-long-passphrase" not in out and "Password" not in out
    user = get_user_model().objects.get(username="bo")
    assert user.check_password("a-long-passphrase") and user.email == "bo@example.com"
    assert user.has_perm("articles.publish_article")
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]


def test_links_an_existing_author_without_an_account(capsys):
    existing = make_author(name="Ana Silva", slug="ana")
    call_command("create_staff_account", "Ana Silva", "--role", "writer")
    existing.refresh_from_db()
    assert existing.user.username.startswith("ana.silva.")
    assert Author.objects.count() == 1
    assert "existing author profile" in capsys.readouterr().out


def test_non_latin_name_gets_a_byline_address_in_its_own_script():
    make_author(name="Someone else", slug="иван-петров")
    call_command("create_staff_account", "Иван Петров", "--role", "writer", "--username", "ivan")
    assert get_user_model().objects.get(username="ivan").author.slug == "иван-петров-2"


def test_generated_usernames_cannot_be_guessed_from_the_byline():
    """Security finding 13.5: "Ana Silva" was `ana.silva`, so anyone reading a byline knew the
    username to fail logins with."""
    call_command("create_staff_account", "Ana Silva", "--role", "writer")
    call_command("create_staff_account", "Ana Silva", "--role", "editor")
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert len(usernames) == 2 and "ana.silva" not in usernames
    call_command("create_staff_account", "Иван Петров", "--role", "writer")
    assert get_user_model().objects.filter(username__regex=r"^staff\.[a-z2-9]{6}$").exists()


def test_refuses_a_taken_username_a_weak_password_and_an_unknown_role():
    call_command("create_staff_account", "Ana Silva", "--role", "writer", "--username", "ana")
    with pytest.raises(CommandError, match="taken"):
        call_command("create_staff_account", "Ana Lima", "--role", "editor", "--username", "Ana")
    with pytest.raises(CommandError, match="too weak"):
        call_command("create_staff_account", "Cy Doe", "--role", "writer", "--password", "123")
    with pytest.raises(CommandError):
        call_command("create_staff_account", "Cy Doe", "--role", "publisher")
    assert get_user_model().objects.count() == 1
    assert Author.objects.count() == 1


def test_dry_run_saves_nothing(capsys):
    call_command("create_staff_account", "Di Roe", "--role", "editor", "--dry-run")
    assert "Dry run, nothing saved" in capsys.readouterr().out
    assert not get_user_model().objects.exists() and not Author.objects.exists()
