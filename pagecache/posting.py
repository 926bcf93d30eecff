"""
Forms on pages for everyone: CSRF protection without a per-reader token in the page.

A page that every reader gets the same bytes of cannot carry a CSRF token. The two forms such
pages hold (a comment, a newsletter signup) are guarded as OWASP's CSRF cheat sheet describes
for Fetch Metadata: a browser says where a request comes from in `Sec-Fetch-Site`, and in
`Origin`, and neither can be set by a page's script. A post is accepted only when the browser
says it comes from this origin (both headers, when both are sent, must agree); one from any
other site, a sibling subdomain or a `null` origin is refused with Django's CSRF failure page.

A browser that sends neither header (old ones, or privacy tools stripping them) falls back to
Django's token: a post carrying one is checked as any other form is; one without gets a page,
made for this reader alone and never cached, that asks them to confirm, with the fields kept
and a CSRF token. Nothing is lost and no JavaScript is needed. docs/security.md gives the
reasoning.
"""

import functools

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_protect

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
SAME, CROSS, UNKNOWN = "same", "cross", "unknown"


def request_origin(request):
    return f"{'https' if request.is_secure() else 'http'}://{request.get_host()}".lower()


def where_from(request):
    """SAME, CROSS or UNKNOWN (the browser sent neither header)."""
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if site is None and origin is None:
        return UNKNOWN
    if site is not None and site.strip().lower() != "same-origin":
        return CROSS
    if origin is not None:
        trusted = {request_origin(request), *(o.lower() for o in settings.CSRF_TRUSTED_ORIGINS)}
        if origin.strip().lower() not in trusted:
            return CROSS
    return SAME


def refuse(request):
    failure = import_string(settings.CSRF_FAILURE_VIEW)
    return failure(request, reason="The form was sent from another site.")


def confirm(request):
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    ]
    context = {"fields": fields, "action": request.path}
    response = render(request, "pagecache/confirm_post.html", context)
    add_never_cache_headers(response)
    return response


def same_site_post(view):
    """Accept posts to `view` from this site's pages without a CSRF token in them (see the
    module's docstring); Django's CSRF middleware leaves the view to this check."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return view(request, *args, **kwargs)
        verdict = where_from(request)
        if verdict == CROSS:
            return refuse(request)
        if verdict == SAME:
            return view(request, *args, **kwargs)
        if "csrfmiddlewaretoken" in request.POST or settings.CSRF_HEADER_NAME in request.META:
            return csrf_protect(view)(request, *args, **kwargs)
        return confirm(request)

    wrapper.csrf_exempt = True
    wrapper.same_site_post = True
    return wrapper
