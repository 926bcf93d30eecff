"""Logging in to the admin: where a login lands, and the second step for staff with two-factor
login (TOTP codes from an authenticator app, or single-use recovery codes)."""

import io
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from desk import twofactor
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def staff_with_password(role, **fields):
    user = make_staff(role, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, user, *, next_url=None):
    data = {"username": user.get_username(), "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("admin:login"), data)


# Where a login lands


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_login_with_an_unsafe_or_empty_next_lands_on_the_admin_index(next_url):
    """Security finding 13.11: an unsafe `next` sent the editor to /accounts/profile/, a 404."""
    user = staff_with_password("writer")
    client = Client()
    response = log_in(client, user, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_login_with_a_safe_next_lands_there():
    user = staff_with_password("writer")
    target = reverse("admin:articles_article_changelist")
    response = log_in(Client(), user, next_url=target)
    assert response["Location"] == target


# Two-factor login (security finding 13.5)


@pytest.fixture
def required(settings):
    settings.NEWSROOM_REQUIRE_2FA = True


def current_code(device, *, later=0):
    """What the phone's app shows now (or `later` seconds from now)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + later
    return f"{totp.token():0{device.digits}d}"


def with_two_factor(role):
    """A staff member who set up two-factor login: (user, their app's device, recovery codes)."""
    user = staff_with_password(role)
    device = twofactor.totp_device_start(user=user)
    device, codes = twofactor.totp_device_confirm(
        user=user, device_id=device.pk, code=current_code(device, later=-30)
    )
    return user, device, codes


def is_logged_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def test_staff_without_two_factor_log_in_with_the_password_alone(required):
    writer = staff_with_password("writer")  # required for editors only
    client = Client()
    assert log_in(client, writer)["Location"] == reverse("admin:index")
    assert is_logged_in(client)


def test_an_editor_must_set_up_two_factor_before_the_password_lets_her_in(required):
    editor = staff_with_password("editor")
    client = Client()
    response = log_in(client, editor, next_url=reverse("admin:articles_article_changelist"))
    assert response["Location"] == reverse("admin:two_factor_setup")
    assert not is_logged_in(client)
    page = client.get(reverse("admin:two_factor_setup"))
    html = page.content.decode()
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    assert '<svg' in html and "two-factor-qr" in html
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert twofactor.secret_for_people(device) in html
    assert "<script>" not in html and " style=" not in html  # the strict CSP allows neither

    response = client.post(reverse("admin:two_factor_setup"), {"code": "000000"})
    assert response.status_code == 400 and not is_logged_in(client)
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # the device's throttle
        code = current_code(device)
        response = client.post(reverse("admin:two_factor_setup"), {"code": code})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    assert f'href="{reverse("admin:articles_article_changelist")}"' in response.content.decode()
    assert is_logged_in(client)
    device.refresh_from_db()
    assert device.confirmed
    assert twofactor.secret_for_people(device) not in client.get(reverse("admin:two_factor")).text


def test_a_login_with_two_factor_takes_a_code_after_the_password():
    user, device, _ = with_two_factor("writer")  # set up by choice
    client = Client()
    target = reverse("admin:articles_article_changelist")
    response = log_in(client, user, next_url=target)
    assert response["Location"] == reverse("admin:two_factor_verify")
    assert not is_logged_in(client)
    assert client.get(reverse("admin:two_factor_verify")).status_code == 200
    wrong = client.post(reverse("admin:two_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.text
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # the device's throttle
        code = current_code(device)
        response = client.post(reverse("admin:two_factor_verify"), {"code": code})
    assert response["Location"] == target
    assert is_logged_in(client)


def test_an_authenticator_code_works_once():
    user, device, _ = with_two_factor("editor")
    code = current_code(device)
    first = Client()
    log_in(first, user)
    first.post(reverse("admin:two_factor_verify"), {"code": code})
    assert is_logged_in(first)
    replay = Client()
    log_in(replay, user)
    assert replay.post(reverse("admin:two_factor_verify"), {"code": code}).status_code == 400
    assert not is_logged_in(replay)


def test_a_recovery_code_logs_in_once_and_says_how_many_are_left():
    user, _, codes = with_two_factor("editor")
    client = Client()
    log_in(client, user)
    verify = reverse("admin:two_factor_verify")
    response = client.post(verify, {"code": codes[0].upper()}, follow=True)
    assert "9 left" in response.text
    again = Client()
    log_in(again, user)
    assert again.post(reverse("admin:two_factor_verify"), {"code": codes[0]}).status_code == 400


def test_logging_in_with_the_app_never_slows_down_the_recovery_codes():
    user, device, codes = with_two_factor("editor")
    for later in range(0, 300, 30):
        client = Client()
        log_in(client, user)
        client.post(reverse("admin:two_factor_verify"), {"code": current_code(device, later=later)})
    client = Client()
    log_in(client, user)
    assert client.post(reverse("admin:two_factor_verify"), {"code": codes[1]}).status_code == 302


def test_wrong_codes_count_as_failed_logins_and_lock_the_pair_out():
    user, device, _ = with_two_factor("editor")
    client = Client(REMOTE_ADDR="203.0.113.5")
    log_in(client, user)
    for _ in range(5):
        response = client.post(reverse("admin:two_factor_verify"), {"code": "000000"})
    assert response.status_code == 429  # django-axes' lockout page
    assert client.get(reverse("admin:two_factor_verify"))["Location"] == reverse("admin:login")
    assert log_in(Client(REMOTE_ADDR="203.0.113.5"), user).status_code == 429
    assert log_in(Client(REMOTE_ADDR="198.51.100.9"), user).status_code == 302


def test_a_password_alone_cannot_put_another_phone_in_place_of_hers():
    user, _, _ = with_two_factor("editor")
    client = Client()
    log_in(client, user)
    response = client.get(reverse("admin:two_factor_setup"))
    assert response["Location"] == reverse("admin:two_factor_verify")
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert Client().get(reverse("admin:two_factor_setup"))["Location"] == reverse("admin:login")


def test_a_half_finished_login_expires():
    user, device, _ = with_two_factor("editor")
    client = Client()
    log_in(client, user)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post(reverse("admin:two_factor_verify"), {"code": current_code(device)})
    assert response["Location"] == reverse("admin:login")
    assert not is_logged_in(client)


def test_a_session_that_owes_a_second_factor_is_sent_back_to_log_in(settings):
    editor = make_staff("editor")
    client = Client()
    client.force_login(editor)  # as if logged in before two-factor login was required
    assert is_logged_in(client)
    settings.NEWSROOM_REQUIRE_2FA = True
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_turn_it_on_themselves_and_make_new_recovery_codes():
    writer = staff_with_password("writer")
    client = Client()
    log_in(client, writer)
    index = client.get(reverse("admin:index")).text
    assert "Two-factor login is off for your account" in index
    assert "is <strong>off</strong>" in client.get(reverse("admin:two_factor")).text
    client.get(reverse("admin:two_factor_setup"))
    device = TOTPDevice.objects.get(user=writer)
    response = client.post(reverse("admin:two_factor_setup"), {"code": current_code(device)})
    old_codes = response.context["codes"]
    assert is_logged_in(client)
    assert "on for your account" in client.get(reverse("admin:index")).text
    overview = client.get(reverse("admin:two_factor")).text
    assert "10 recovery codes left" in overview
    new_codes = client.post(reverse("admin:two_factor")).context["codes"]
    assert set(new_codes).isdisjoint(old_codes)
    assert twofactor.second_factor_check(user=writer, code=old_codes[0]) is None


def test_a_superuser_resets_someone_who_lost_phone_and_codes(editor_client):
    user, _, _ = with_two_factor("editor")
    changelist = editor_client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert changelist.status_code == 200 and user.username in changelist.text
    device = TOTPDevice.objects.get(user=user)
    change = editor_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert device.key not in change.text
    assert twofactor.secret_for_people(device) not in change.text
    out = io.StringIO()
    call_command("reset_two_factor", user.username, stdout=out)
    assert "2 devices removed" in out.getvalue()
    assert not twofactor.has_two_factor(user)
    client = Client()
    assert log_in(client, user)["Location"] == reverse("admin:index")


def test_editors_cannot_see_or_remove_anyones_devices(desk_editor_client):
    with_two_factor("writer")
    response = desk_editor_client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert response.status_code == 403


def test_reset_two_factor_dry_run_and_unknown_user():
    user, _, _ = with_two_factor("writer")
    out = io.StringIO()
    call_command("reset_two_factor", user.username, "--dry-run", stdout=out)
    assert "would remove 2 devices" in out.getvalue()
    assert twofactor.has_two_factor(user)
    with pytest.raises(CommandError, match="No staff account"):
        call_command("reset_two_factor", "nobody")
