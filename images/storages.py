"""Where uploaded media is stored, from the environment (read by newsroom/settings.py).

The filesystem under MEDIA_ROOT by default, served by this app (views.py). With
NEWSROOM_MEDIA_S3_BUCKET set, an S3-compatible bucket through django-storages, served from
NEWSROOM_MEDIA_PUBLIC_URL (the bucket's public address or a CDN in front of it); credentials come
from boto3's usual sources (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role).
Kept free of Django models so that settings can import it.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Every name this project stores is fingerprinted (models.py), so a file never changes.
IMMUTABLE = "public, max-age=31536000, immutable"


def media_storage(environ):
    """(STORAGES["default"], the origin readers load media from, or None for this site)."""
    bucket = environ.get("NEWSROOM_MEDIA_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, None
    public_url = environ.get("NEWSROOM_MEDIA_PUBLIC_URL", "").strip().rstrip("/")
    parts = urlsplit(public_url)
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            "NEWSROOM_MEDIA_PUBLIC_URL must be the https:// address readers load media from "
            f"when NEWSROOM_MEDIA_S3_BUCKET is set, e.g. https://media.example.com; got "
            f"{public_url!r}."
        )
    options = {
        "bucket_name": bucket,
        "custom_domain": parts.netloc + parts.path,
        "url_protocol": "https:",
        # Public, unsigned addresses: pages are cached and shared, signatures would expire.
        "querystring_auth": False,
        "default_acl": None,
        "file_overwrite": True,
        "object_parameters": {"CacheControl": IMMUTABLE},
    }
    endpoint = environ.get("NEWSROOM_MEDIA_S3_ENDPOINT_URL", "").strip()
    if endpoint:
        if urlsplit(endpoint).scheme not in ("https", "http") or not urlsplit(endpoint).netloc:
            raise ImproperlyConfigured(
                "NEWSROOM_MEDIA_S3_ENDPOINT_URL must be an http(s):// address, e.g. "
                f"https://s3.eu-central-1.amazonaws.com; got {endpoint!r}."
            )
        options["endpoint_url"] = endpoint
    region = environ.get("NEWSROOM_MEDIA_S3_REGION", "").strip()
    if region:
        options["region_name"] = region
    backend = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    return backend, f"{parts.scheme}://{parts.netloc}"
