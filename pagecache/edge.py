"""
Purge adapters: how the shared cache in front of the site (Varnish, a CDN) is told which
surrogate keys changed. NEWSROOM_EDGE_PURGE picks one:

- "none": nothing in front keeps pages longer than NEWSROOM_EDGE_SECONDS allows (the default);
- "varnish": a PURGE request with an `xkey-purge` header to each of NEWSROOM_VARNISH_URLS
  (deploy/varnish/default.vcl hands it to vmod xkey);
- "varnish-ban": a BAN request with an `xkey-ban` header instead, for a Varnish without xkey;
- "fastly": Fastly's surrogate-key purge API;
- "cloudflare": Cloudflare's purge by Cache-Tag.

Each adapter raises PurgeFailed when the cache did not confirm; purging.py retries and logs.
"""

import functools
import json
import urllib.error
import urllib.request
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TIMEOUT_SECONDS = 5


class PurgeFailed(Exception):
    pass


def _send(url, what, *, method, headers, data=None):
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{what}: purge addresses start with http(s)://; got {url!r}.")
    # S310: the scheme is checked above; addresses come from settings.
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        raise PurgeFailed(f"{what} answered {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise PurgeFailed(f"{what} did not answer: {getattr(error, 'reason', error)}") from None


def _batches(keys, size):
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


class VarnishPurger:
    """vmod xkey: every object tagged with any of the keys is dropped at once."""

    method, header = "PURGE", "xkey-purge"
    # Varnish's default limit on one header line is 8 KB; keys are short.
    batch = 200

    def __init__(self, urls):
        self.urls = urls

    def purge(self, keys):
        for url in self.urls:
            for batch in _batches(keys, self.batch):
                _send(
                    url.rstrip("/") + "/",
                    f"Varnish at {url}",
                    method=self.method,
                    headers={self.header: " ".join(batch)},
                )


class VarnishBanPurger(VarnishPurger):
    """A ban on the objects whose xkey header names any of the keys, for a Varnish without
    vmod xkey (the same VCL turns the header into the ban)."""

    method, header = "BAN", "xkey-ban"


class FastlyPurger:
    """https://www.fastly.com/documentation/reference/api/purging/ (purge by surrogate keys)."""

    batch = 256  # the most Fastly takes in one call

    def __init__(self, api_url, service_id, token):
        self.url = f"{api_url.rstrip('/')}/service/{quote(service_id)}/purge"
        self.token = token

    def purge(self, keys):
        for batch in _batches(keys, self.batch):
            headers = {"Fastly-Key": self.token, "Surrogate-Key": " ".join(batch),
                       "Accept": "application/json"}  # fmt: skip
            _send(self.url, "Fastly", method="POST", headers=headers)


class CloudflarePurger:
    """https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-tags/"""

    batch = 30  # tags per call

    def __init__(self, api_url, zone_id, token):
        self.url = f"{api_url.rstrip('/')}/zones/{quote(zone_id)}/purge_cache"
        self.token = token

    def purge(self, keys):
        for batch in _batches(keys, self.batch):
            headers = {"Authorization": f"Bearer {self.token}",
                       "Content-Type": "application/json"}  # fmt: skip
            data = json.dumps({"tags": batch}).encode()
            _status, body = _send(self.url, "Cloudflare", method="POST", headers=headers, data=data)
            try:
                answer = json.loads(body)
            except ValueError:
                answer = {}
            if not answer.get("success"):
                raise PurgeFailed(f"Cloudflare refused the purge: {body[:200]!r}")


def _required(name):
    value = getattr(settings, name, "")
    if not value:
        raise ImproperlyConfigured(
            f"{name} is required with NEWSROOM_EDGE_PURGE={settings.NEWSROOM_EDGE_PURGE}."
        )
    return value


@functools.cache
def _purger(kind):
    if kind == "none":
        return None
    if kind in ("varnish", "varnish-ban"):
        cls = VarnishPurger if kind == "varnish" else VarnishBanPurger
        return cls(_required("NEWSROOM_VARNISH_URLS"))
    if kind == "fastly":
        return FastlyPurger(
            settings.NEWSROOM_FASTLY_API_URL,
            _required("NEWSROOM_FASTLY_SERVICE_ID"),
            _required("NEWSROOM_FASTLY_API_TOKEN"),
        )
    if kind == "cloudflare":
        return CloudflarePurger(
            settings.NEWSROOM_CLOUDFLARE_API_URL,
            _required("NEWSROOM_CLOUDFLARE_ZONE_ID"),
            _required("NEWSROOM_CLOUDFLARE_API_TOKEN"),
        )
    raise ImproperlyConfigured(
        "NEWSROOM_EDGE_PURGE must be none, varnish, varnish-ban, fastly or cloudflare; "
        f"got {kind!r}."
    )


def purger():
    """The adapter NEWSROOM_EDGE_PURGE names, or None."""
    return _purger(settings.NEWSROOM_EDGE_PURGE)


def forget(**kwargs):
    """Settings changed (tests): build the adapter again."""
    _purger.cache_clear()
