"""
The Permissions-Policy header: browser features (camera, geolocation, payment…) that pages of
ours may use, from settings.PERMISSIONS_POLICY; features listed with no origins are refused.
"""

from django.conf import settings


def build_policy(config):
    """{"camera": [], "fullscreen": ["self"]} -> 'camera=(), fullscreen=(self)'."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in sorted(config.items())
    )


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = build_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
