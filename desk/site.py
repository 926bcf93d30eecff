"""The admin site: Django's own, whose login takes a second step for staff with two-factor login
(desk/twofactor.py, desk/login.py). DeskAdminConfig makes it the default site, so `admin.site`
and every `@admin.register` use it."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from . import login, twofactor, views


class DeskAdminSite(admin.AdminSite):
    # The newsroom's own work first, in the order a shift goes through it; the rest (ingest,
    # and for the editor-in-chief accounts, lockouts, devices and tags) after, by name.
    APP_ORDER = ("articles", "images", "comments", "newsletter")

    def has_permission(self, request):
        # A session that has not given the second factor it owes (one from before two-factor
        # login was required, say) is sent back to log in.
        return super().has_permission(request) and login.second_step_done(request)

    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        """Django's admin login (as in AdminSite.login), with a login view that hands staff who
        owe a second factor to the verify or setup step instead of logging them in."""
        redirect_url = login.StaffLoginView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(redirect_url)
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            REDIRECT_FIELD_NAME: redirect_url,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return login.StaffLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )(request)

    def index(self, request, extra_context=None):
        context = {"two_factor_on": twofactor.has_two_factor(request.user)}
        return super().index(request, {**context, **(extra_context or {})})

    def my_byline(self, request):
        return views.my_byline(request, self.each_context(request))

    def get_app_list(self, request, app_label=None):
        rank = {label: place for place, label in enumerate(self.APP_ORDER)}
        apps = super().get_app_list(request, app_label)
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))

    def get_urls(self):
        return [
            path("two-factor/", self.admin_view(login.overview), name="two_factor"),
            path("two-factor/verify/", login.verify, name="two_factor_verify"),
            path("two-factor/setup/", login.setup, name="two_factor_setup"),
            path("my-byline/", self.admin_view(self.my_byline), name="my_byline"),
            *super().get_urls(),
        ]
