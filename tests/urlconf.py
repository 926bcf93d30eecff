"""Every route in the URLconf, for tests that must cover new routes without being told."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    route: str  # as written in the URLconf, prefixes included
    name: str | None  # namespaced, e.g. "articles:detail"; None for unnamed routes
    callback: object
    converters: dict  # parameter name -> path converter; empty for regex routes
    regex: object  # the compiled pattern of the route's own part

    @property
    def is_admin(self):
        return self.route.startswith(settings.NEWSROOM_ADMIN_URL)

    def url(self, **values):
        """An address of this route, each parameter from `values` or else 1."""
        names = self.converters or self.regex.groupindex
        if names or not self.regex.groups:
            return reverse(self.name, kwargs={name: values.get(name, 1) for name in names})
        return reverse(self.name, args=[1] * self.regex.groups)


def all_routes(patterns=None, prefix="", namespace=""):
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes.extend(all_routes(pattern.url_patterns, route, inner))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            converters = getattr(pattern.pattern, "converters", {})
            routes.append(Route(route, name, pattern.callback, converters, pattern.pattern.regex))
    return routes


def public_routes():
    return [route for route in all_routes() if not route.is_admin]
