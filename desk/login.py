"""
The steps of a staff login after the password, for those who owe a second factor
(twofactor.needs_second_step): the password step does not log them in but remembers, in the
session and for a few minutes, who gave it; the verify step takes a code from their app or a
recovery code, and the setup step has those who must use two-factor login and have not yet set
it up do so. Only then does Django's login happen, so no session is ever logged in on a
password alone where a second factor is owed.
"""

import time

from django import forms
from django.contrib import admin, auth, messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor

PENDING_KEY = "desk.login.pending"
VERIFIED_KEY = "desk.login.second_factor"
SETUP_KEY = "desk.login.setup_device"
# Long enough to find the phone, or install an app; short, since a password alone got this far.
PENDING_SECONDS = 10 * 60
# Wrong codes in one login before it starts again at the password (where django-axes, which
# hears of each wrong code, may refuse it).
MAX_CODE_ATTEMPTS = 5


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The six digits your authenticator app shows now, or one of your recovery "
        "codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class StaffLoginView(LoginView):
    """Django's login view, which stops after the password for staff who owe a second factor."""

    def form_valid(self, form):
        user = form.get_user()
        if not twofactor.needs_second_step(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "since": time.time(),
            "attempts": 0,
        }
        step = "verify" if twofactor.has_two_factor(user) else "setup"
        return redirect(f"admin:two_factor_{step}")


def second_step_done(request):
    """Whether the logged-in staff member has given the second factor they owe, if any."""
    if request.session.get(VERIFIED_KEY):
        return True
    return not twofactor.needs_second_step(request.user)


def pending_user(request):
    """Who gave their password in this session and owes a second factor, or None."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = auth.get_user_model()._default_manager.filter(pk=pending["user"]).first()
    if user is None or not (user.is_active and user.is_staff):
        return None
    return user


def complete_login(request, user, device):
    pending = request.session.pop(PENDING_KEY)
    auth.login(request, user, backend=pending["backend"])
    request.session[VERIFIED_KEY] = device.persistent_id
    return pending["next"]


def step_context(request, **context):
    return {**admin.site.each_context(request), **context}


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request):
    user = pending_user(request)
    if user is None or not twofactor.has_two_factor(user):
        return redirect("admin:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = twofactor.second_factor_check(user=user, code=form.cleaned_data["code"])
        if device is not None:
            next_url = complete_login(request, user, device)
            if device.name == twofactor.RECOVERY_DEVICE_NAME:
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You logged in with a recovery code; {left} left. Make new ones under "
                    "Two-factor login if you are running out.",
                )
            return redirect(next_url)
        return wrong_code(request, user, form)
    context = step_context(request, title="Two-factor login", form=form, username=user)
    return render(request, "admin/two_factor/verify.html", context)


def wrong_code(request, user, form):
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    pending = request.session[PENDING_KEY]
    pending["attempts"] += 1
    request.session[PENDING_KEY] = pending
    if pending["attempts"] >= MAX_CODE_ATTEMPTS:
        del request.session[PENDING_KEY]
        messages.error(request, "Too many wrong codes. Log in again.")
        return redirect("admin:login")
    form.add_error(
        "code", "That code is not right, or has been used. Wait for the next one and try again."
    )
    context = step_context(request, title="Two-factor login", form=form, username=user)
    return render(request, "admin/two_factor/verify.html", context, status=400)


@never_cache
@login_not_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Set up an authenticator app: at login for someone who must and has not yet, or later by
    someone logged in. Someone at login who already has one gives its code instead: a password
    alone must not be enough to put another phone in its place."""
    user = pending_user(request)
    if user is not None and twofactor.has_two_factor(user):
        return redirect("admin:two_factor_verify")
    if user is None:
        if not admin.site.has_permission(request):
            return redirect("admin:login")
        user = request.user
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        device = twofactor.totp_device_start(user=user)
        request.session[SETUP_KEY] = device.pk
    else:
        device_id = request.session.get(SETUP_KEY)
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
        if device is None:
            return redirect("admin:two_factor_setup")  # start again, with a new key
        confirmed = form.is_valid() and twofactor.totp_device_confirm(
            user=user, device_id=device.pk, code=form.cleaned_data["code"]
        )
        if confirmed:
            device, codes = confirmed
            request.session.pop(SETUP_KEY, None)
            if PENDING_KEY in request.session:
                next_url = complete_login(request, user, device)
            else:
                request.session[VERIFIED_KEY] = device.persistent_id
                next_url = reverse("admin:two_factor")
            return render_codes(request, codes, next_url, first_time=True)
        form.add_error(None, "That code is not right. Check the time on your phone, and try "
                       "the code it shows now.")  # fmt: skip
    context = step_context(
        request,
        title="Set up two-factor login",
        form=form,
        username=user,
        required=twofactor.two_factor_required(user),
        qr_code=twofactor.qr_code_svg(device),
        secret=twofactor.secret_for_people(device),
    )
    status = 400 if form.is_bound else 200
    return render(request, "admin/two_factor/setup.html", context, status=status)


def render_codes(request, codes, next_url, *, first_time=False):
    """The recovery codes, shown this once: the page is never cached and cannot be reloaded."""
    context = step_context(
        request, title="Your recovery codes", codes=codes, next_url=next_url, first_time=first_time
    )
    return render(request, "admin/two_factor/recovery_codes.html", context)


@require_http_methods(["GET", "POST"])
def overview(request):
    """Two-factor login for the logged-in staff member: on or off, and new recovery codes."""
    user = request.user
    on = twofactor.has_two_factor(user)
    if request.method == "POST" and on:
        codes = twofactor.recovery_codes_replace(user=user)
        return render_codes(request, codes, reverse("admin:two_factor"))
    context = step_context(
        request,
        title="Two-factor login",
        on=on,
        required=twofactor.two_factor_required(user),
        codes_left=twofactor.recovery_codes_left(user) if on else 0,
    )
    return render(request, "admin/two_factor/overview.html", context)
