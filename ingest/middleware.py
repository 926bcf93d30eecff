"""Old addresses of migrated articles answer 301, in the manner of django.contrib.redirects: only
an address that would otherwise be a 404 is looked up, so no page of ours is ever shadowed.

WordPress's "/?p=123" is the exception: "/" is our home page, which answers 200, so a request
for the home page that carries `p` (or `page_id`) is looked up first."""

from django.http import HttpResponsePermanentRedirect

from .models import LegacyAddress

WORDPRESS_ID_PARAMETERS = ("p", "page_id")


def legacy_target(paths):
    address = (
        LegacyAddress.objects.select_related("article")
        .filter(path__in=paths)
        .order_by("path")
        .first()
    )
    if address is not None and address.article.is_published():
        return address.article.get_absolute_url()
    return None


class LegacyAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/" and request.method in ("GET", "HEAD"):
            for name in WORDPRESS_ID_PARAMETERS:
                value = request.GET.get(name, "")
                if value.isdigit() and (target := legacy_target([f"/?p={int(value)}"])):
                    return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        path = request.path_info
        # No stored address holds a NUL, and PostgreSQL refuses to compare with one.
        candidates = [path, path.rstrip("/") + "/"] if path != "/" and "\x00" not in path else []
        if candidates and (target := legacy_target(candidates)):
            return HttpResponsePermanentRedirect(target)
        return response
