from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from pagecache import same_site_post
from throttle import RateLimit, client_ip, hash_ip

from .forms import SignupForm
from .models import Subscriber
from .services import signup_request_create, subscriber_confirm, subscriber_unsubscribe


# The form is on pages for everyone, which carry no CSRF token.
@same_site_post
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        limit = RateLimit.from_settings("newsletter-signup", "NEWSROOM_NEWSLETTER_SIGNUP")
        if not limit.hit(f"ip:{hash_ip(client_ip(request))}"):
            context = {"form": form, "rate_limited": True}
            return render(request, "newsletter/subscriber_signup.html", context, status=429)
        if form.is_valid():
            signup_request_create(**form.signup_arguments())
            return redirect("newsletter:thanks")
    return render(request, "newsletter/subscriber_signup.html", {"form": form})


class SignupThanksView(TemplateView):
    template_name = "newsletter/subscriber_thanks.html"


class ConfirmedView(TemplateView):
    template_name = "newsletter/subscriber_confirmed.html"


def invalid_link(request, purpose):
    context = {"purpose": purpose, "form": SignupForm()}
    return render(request, "newsletter/link_invalid.html", context, status=400)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button and changes nothing (mail scanners open links); POST confirms."""
    subscriber = Subscriber.from_confirmation_token(token)
    if subscriber is None:
        return invalid_link(request, "confirm")
    if request.method == "POST":
        subscriber_confirm(subscriber=subscriber)
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return redirect("newsletter:confirmed")
    return render(request, "newsletter/subscriber_confirm.html", {"subscriber": subscriber})


# The signed token in the address is the proof of ownership, and RFC 8058 one-click
# unsubscribes are POSTed by mail providers with no cookie or CSRF token to send.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a button and changes nothing; POST (the button or a mail client) unsubscribes.

    The POST answers with the page itself, not a redirect: one-click senders must not redirect.
    """
    subscriber = Subscriber.from_unsubscribe_token(token)
    if subscriber is None:
        return invalid_link(request, "unsubscribe")
    if request.method == "POST":
        subscriber_unsubscribe(subscriber=subscriber)
    context = {"subscriber": subscriber, "done": request.method == "POST"}
    return render(request, "newsletter/subscriber_unsubscribe.html", context)
