from django import template

from .. import site_frame

register = template.Library()


@register.simple_tag
def nav_sections():
    """The sections of the navigation (site_frame)."""
    return site_frame.nav_sections()


@register.simple_tag
def policy_links():
    """[(kind, title, address)] of the policy pages for the footer (site_frame)."""
    return site_frame.policy_links()
