"""
Two-factor login for staff: a code from an authenticator app (django-otp's TOTP devices) after
the password, or one of ten single-use recovery codes (its static devices) for a lost phone.

Who gives a second factor: editors (whoever may publish, superusers included) when
NEWSROOM_REQUIRE_2FA is on, and anyone who has set it up. Someone who lost both their phone and
their codes is reset by a superuser, who deletes their devices in the admin (django-otp's
pages, which never show a secret) or runs `manage.py reset_two_factor USERNAME`; they then log
in with their password and set up again.
"""

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import workflow

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def two_factor_required(user):
    return settings.NEWSROOM_REQUIRE_2FA and workflow.is_editor(user)


def has_two_factor(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def needs_second_step(user):
    """Whether `user`'s login goes on past the password: to a code, or to setting one up."""
    return two_factor_required(user) or has_two_factor(user)


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_device_start(*, user):
    """A new, unconfirmed authenticator for `user`, in place of any other unconfirmed one. Its
    secret is shown on the page that asks for its first code, and nowhere else."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def totp_device_confirm(*, user, device_id, code):
    """Confirm the authenticator being set up with its first code. It replaces any earlier one
    and new recovery codes replace the old: returns (device, recovery codes), or None when the
    code is wrong or the setup is gone."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device_id, user=user, confirmed=False)
            .first()
        )
        if device is None or not device.verify_token("".join(code.split())):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return device, recovery_codes_replace(user=user)


def recovery_codes_replace(*, user):
    """Ten new single-use recovery codes for `user`, in place of any left; shown to them once."""
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def second_factor_check(*, user, code):
    """The confirmed device that `code` is good for, or None. Six digits are an authenticator
    code; anything else a recovery code, which is then used up. Each device slows down repeated
    failures itself, so the code decides which device is tried: a login with the app must not
    count as a failure against the recovery codes."""
    code = "".join(code.split()).lower()
    kind = TOTPDevice if code.isdigit() else StaticDevice
    for device in kind.objects.devices_for_user(user, confirmed=True):
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def two_factor_reset(*, user):
    """Remove every device of `user`; returns how many went."""
    removed = 0
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            devices = model.objects.filter(user=user)
            removed += devices.count()
            devices.delete()
    return removed


def secret_for_people(device):
    """The device's secret as authenticator apps take it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device):
    """The device's otpauth:// address as an inline SVG QR code: markup, no style attribute
    or script, so the strict Content-Security-Policy lets it show."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="two-factor-qr", title="QR code"
    )
    return mark_safe(svg)  # noqa: S308 - segno builds it from the address alone
