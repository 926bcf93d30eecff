"""Deployment checks of our own (`manage.py check --deploy`): the site's public address and the
addresses its emails come from must be ones readers can reach, not this machine's."""

import ipaddress
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


def is_local_host(host):
    """True for a name or address that means this machine (or none) to anyone else."""
    host = (host or "").strip("[]").rstrip(".").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # a bare name ("mail", "newsroom") is no internet domain
    return address.is_loopback or address.is_unspecified or address.is_link_local


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    url = urlsplit(settings.NEWSROOM_SITE_URL)
    errors = []
    if url.scheme != "https":
        errors.append(
            Error(
                f"NEWSROOM_SITE_URL is {settings.NEWSROOM_SITE_URL!r}, not an https:// address.",
                hint="Set NEWSROOM_SITE_URL to the site's public address, e.g. "
                "https://news.example.com: links in emails and feeds are built from it.",
                id="newsroom.E001",
            )
        )
    if is_local_host(url.hostname):
        errors.append(
            Error(
                f"NEWSROOM_SITE_URL is {settings.NEWSROOM_SITE_URL!r}, an address on this "
                "machine: readers' links in emails and feeds would lead nowhere.",
                hint="Set NEWSROOM_SITE_URL to the site's public address.",
                id="newsroom.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_sender_addresses(app_configs, **kwargs):
    senders = {
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "SERVER_EMAIL": settings.SERVER_EMAIL,
        "NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL": settings.NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL,
    }
    errors, seen = [], set()
    for name, value in senders.items():
        if not value or value in seen:
            continue  # an empty unsubscribe mailbox is the sender's; SERVER_EMAIL is the same
        seen.add(value)
        address = parseaddr(value)[1]
        domain = address.rpartition("@")[2] if "@" in address else ""
        if is_local_host(domain):
            errors.append(
                Error(
                    f"{name} is {value!r}, which no mail provider will accept or answer.",
                    hint=f"Set {name} to an address at the newsroom's own domain, e.g. "
                    "Newsroom <newsroom@news.example.com>.",
                    id="newsroom.E003",
                )
            )
    return errors
