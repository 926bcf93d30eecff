"""
The Permissions-Policy header: the browser features (camera, geolocation, payment…) pages of
ours may use, from settings.NEWSROOM_PERMISSIONS_POLICY; a feature listed with no origins is
refused to every frame and script.
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
        self.header = build_policy(settings.NEWSROOM_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
