"""
Settings for Newsroom, read from the environment.

Safe by default: DEBUG is off and a secret key is required unless DJANGO_DEBUG is on.
`make run` sets the local development values; see README.md for every variable.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from images.storages import media_storage
from newsroom.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off "
            "(`make run` generates one for local use)."
        )
    # Debug runs without a key still get an unpredictable one, different on every start.
    from django.core.management.utils import get_random_secret_key

    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

_port = env_int("PORT", 8000, minimum=1, maximum=65535)

# Absolute links in emails and feeds; no request is at hand when a command sends a newsletter.
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", f"http://127.0.0.1:{_port}").rstrip("/")
if not NEWSROOM_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"NEWSROOM_SITE_URL must start with http:// or https://; got {NEWSROOM_SITE_URL!r}."
    )

# How many reverse proxies of ours append to X-Forwarded-For; 0 trusts only REMOTE_ADDR.
NEWSROOM_PROXY_COUNT = env_int("NEWSROOM_PROXY_COUNT", 0, minimum=0, maximum=10)

# HTTPS: on whenever debug is off. README.md says when to turn a switch off, and why.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer checks health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
# One year, subdomains and preload: the values https://hstspreload.org asks for.
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = bool(SECURE_HSTS_SECONDS)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    # Only behind a proxy that sets this header itself and drops any copy a client sends.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Links to other sites tell them only our address, not the page; previews send nothing.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Uploaded pictures (images/, docs/images.md): on this server's disk by default, served by the
# images app; in an S3-compatible bucket when NEWSROOM_MEDIA_S3_BUCKET is set (docs/deploy.md).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT", "").strip() or BASE_DIR / "media")
MEDIA_STORAGE, NEWSROOM_MEDIA_ORIGIN = media_storage(os.environ)
# Uploads above either cap are refused; 50 megapixels is below Pillow's own bomb limit (89).
NEWSROOM_IMAGES_MAX_BYTES = env_int("NEWSROOM_IMAGES_MAX_BYTES", 25 * 1024 * 1024, minimum=1024)
NEWSROOM_IMAGES_MAX_PIXELS = env_int(
    "NEWSROOM_IMAGES_MAX_PIXELS", 50_000_000, minimum=1_000_000, maximum=178_956_970
)

# Where embedded posts, videos and charts load from once a reader clicks (images/embeds.py): these
# providers and the Mastodon servers named in NEWSROOM_EMBED_MASTODON_HOSTS, and no other frame.
NEWSROOM_EMBED_FRAME_ORIGINS = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://platform.twitter.com",
    "https://embed.bsky.app",
    "https://datawrapper.dwcdn.net",
    "https://flo.uri.sh",
    *(f"https://{host}" for host in env_list("NEWSROOM_EMBED_MASTODON_HOSTS", ["mastodon.social"])),
]

# No nonces: reader pages are cached whole, and a cached nonce would be one every reader shares.
# Pages and the admin load scripts and styles only from files; JSON-LD blocks are data and are
# not run, so they need none either. Images come from this site or its media bucket only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, *filter(None, [NEWSROOM_MEDIA_ORIGIN])],
    "frame-src": NEWSROOM_EMBED_FRAME_ORIGINS,
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Features no page of ours uses, refused to every frame and script.
NEWSROOM_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "encrypted-media", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    )
}  # fmt: skip

# Staff sessions end with the working day or the browser, whichever comes first.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

NEWSROOM_ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip()
if not re.fullmatch(r"([\w.~-]+/)+", NEWSROOM_ADMIN_URL):
    raise ImproperlyConfigured(
        f"DJANGO_ADMIN_URL must be a path such as admin/ or desk-7f3a/, ending in a slash and "
        f"without a leading one; got {NEWSROOM_ADMIN_URL!r}."
    )

INSTALLED_APPS = [
    # Django's admin, with the desk's site as the default one: its login has a second step for
    # staff with two-factor login (desk/site.py).
    "desk.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "taggit",
    "reversion",
    "newsroom",
    "pagecache",
    "articles",
    "comments",
    "desk",
    "ingest",
    "newsletter",
    "images",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Up here, so that pages served by the page cache below carry it too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Above WhiteNoise, so that static files carry the policies too; they only add headers.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "newsroom.permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.outage.DatabaseUnavailableMiddleware",
    # Above sessions, CSRF and the rest (see pagecache/middleware.py): a stored page is the same
    # for everyone without a session, and needs nothing further down.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Old addresses of articles migrated from WordPress: acts only on what would be a 404.
    "ingest.middleware.LegacyAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    # The reader pages (each app's jinja2/ folder) render several times faster: newsroom/jinja.py.
    {"BACKEND": "newsroom.jinja.Jinja2", "APP_DIRS": True, "OPTIONS": {
        "environment": "newsroom.jinja.environment",
        "context_processors": ["newsroom.context_processors.site"],
    }},  # fmt: skip
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    },
]


# A statement is prepared on a connection once it has run this many times there (psycopg).
PREPARE_AFTER_RUNS = 5


def database_config():
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL Django understands: {exc}"
        ) from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL must name a database, e.g. postgres://user@127.0.0.1:5432/newsroom."
        )
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        # A database host that stops answering fails requests (503) in seconds, not minutes.
        options.setdefault("connect_timeout", 5)
        # Parameters go to PostgreSQL apart from the SQL, so that a statement a connection runs
        # again and again (each page's queries) is prepared once, after its fifth run, and
        # neither parsed nor planned again: 0.2 to 0.4 ms of a listing's query. A pooler in
        # transaction mode must keep prepared statements (PgBouncer 1.21 or later, with
        # max_prepared_statements) or be told of none with DJANGO_DB_PREPARED_STATEMENTS=0.
        options.setdefault("server_side_binding", True)
        if env_bool("DJANGO_DB_PREPARED_STATEMENTS", True):
            options.setdefault("prepare_threshold", PREPARE_AFTER_RUNS)
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix://; got {REDIS_URL!r}."
        )
    CACHES = {
        "default": {
            # django-redis keeps one client per connection pool; Django's own RedisCache builds
            # one for every call, which doubles the cost of a page served from the cache
            # (docs/benchmarks.md, "The cache client").
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            # A Redis that stops answering must not hold pages up: fail fast, serve from the
            # database (pagecache/store.py), try again a few seconds later.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

# Staff log in through the admin only; a login whose `next` is unsafe or missing lands on the
# admin's front page rather than Django's default /accounts/profile/, which does not exist here.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Admin logins: after NEWSROOM_LOGIN_FAILURE_LIMIT failures for one username from one client
# address, or from one address across usernames, that pair or address is locked out for
# NEWSROOM_LOGIN_LOCKOUT_MINUTES. Never the username alone: anyone could then lock an editor out
# from her own desk by failing on purpose. Editors see and lift lockouts under Axes › Access
# attempts in the admin.
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NEWSROOM_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "throttle.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "newsroom.lockout.lockout_response"

# How long Django keeps an anonymous reader's page (0 turns Django's page and fragment caching
# off; the edge headers stay). Changes show at once whatever this is; it bounds only what no
# write announces. Every process must see the same key markers, so the default is on only with
# Redis or in a debug run (runserver is one process); see pagecache/__init__.py.
NEWSROOM_PAGE_CACHE_SECONDS = env_int(
    "NEWSROOM_PAGE_CACHE_SECONDS", 300 if REDIS_URL or DEBUG else 0, minimum=0
)
# Per process: the pages served last, and the markers Redis tells of changes to (0: ask each time).
NEWSROOM_PAGE_CACHE_LOCAL_BYTES = env_int("NEWSROOM_PAGE_CACHE_LOCAL_BYTES", 8 << 20, minimum=0)
NEWSROOM_PAGE_CACHE_TRACKED_KEYS = env_int("NEWSROOM_PAGE_CACHE_TRACKED_KEYS", 20000, minimum=0)

# What readers see, and which pages a change affects: for each model, its app's function that
# names the surrogate keys of the pages a save, delete or many-to-many change touches (see
# pagecache/watching.py). A comment awaiting moderation, seen only by its writer, names none.
NEWSROOM_PAGE_CACHE_WATCH = {
    "articles.Article": "articles.cache_keys.article_changed",
    "articles.Section": "articles.cache_keys.section_changed",
    "articles.Author": "articles.cache_keys.author_changed",
    "articles.ArticleAuthor": "articles.cache_keys.byline_changed",
    "articles.FaqItem": "articles.cache_keys.part_changed",
    "articles.RelatedLink": "articles.cache_keys.part_changed",
    "articles.Correction": "articles.cache_keys.correction_changed",
    "articles.OldSlug": "articles.cache_keys.part_changed",
    "taggit.Tag": "articles.cache_keys.tag_changed",
    "taggit.TaggedItem": "articles.cache_keys.tagged_item_changed",
    # Pages show images' alt text, captions and rendition addresses, and the publisher's logo.
    "images.Image": "images.cache_keys.image_changed",
    "articles.Publisher": "articles.cache_keys.publisher_changed",
    "articles.PolicyPage": "articles.cache_keys.policy_changed",
    "comments.Comment": "comments.models.comment_changed",
}
# When pages change by themselves: scheduled articles going live, and the pages each joins.
NEWSROOM_PAGE_CACHE_CHANGES_AT = ["articles.cache_keys.upcoming_changes"]
# Readers carrying one of these cookies get pages made for them, and shared caches pass them
# by (deploy/varnish/default.vcl tests the same names): staff's session, and the signed cookie
# in which a reader's browser keeps their own comments (comments/cookie.py), which shows those
# awaiting moderation.
NEWSROOM_COMMENTS_COOKIE = "newsroom_comments"
NEWSROOM_PAGE_CACHE_BYPASS_COOKIES = [NEWSROOM_COMMENTS_COOKIE]

# The shared cache in front of the site (docs/deploy.md): how long it may keep a page for
# everyone (s-maxage; changes are purged at once through NEWSROOM_EDGE_PURGE, so with a purger
# this can be long), how long browsers may (max-age: 0, as they cannot be purged and a reader
# who just commented must see their comment), and how long a stale copy may be served while a
# fresh one is fetched or while the site is failing.
NEWSROOM_EDGE_PURGE = os.environ.get("NEWSROOM_EDGE_PURGE", "none").strip() or "none"
NEWSROOM_EDGE_SECONDS = env_int(
    "NEWSROOM_EDGE_SECONDS", 86400 if NEWSROOM_EDGE_PURGE != "none" else 0, minimum=0
)
NEWSROOM_BROWSER_SECONDS = env_int("NEWSROOM_BROWSER_SECONDS", 0, minimum=0)
NEWSROOM_EDGE_STALE_SECONDS = env_int("NEWSROOM_EDGE_STALE_SECONDS", 30, minimum=0)
NEWSROOM_EDGE_STALE_IF_ERROR_SECONDS = env_int(
    "NEWSROOM_EDGE_STALE_IF_ERROR_SECONDS", 86400, minimum=0
)
# Each purge is sent again this long after the first, for a page that was on its way to the
# edge when the first one landed (pagecache/purging.py); 0 sends each once.
NEWSROOM_EDGE_REPURGE_SECONDS = env_int("NEWSROOM_EDGE_REPURGE_SECONDS", 2, minimum=0)
NEWSROOM_VARNISH_URLS = env_list("NEWSROOM_VARNISH_URLS", ["http://127.0.0.1:6081"])
NEWSROOM_FASTLY_API_URL = os.environ.get("NEWSROOM_FASTLY_API_URL", "https://api.fastly.com")
NEWSROOM_FASTLY_SERVICE_ID = os.environ.get("NEWSROOM_FASTLY_SERVICE_ID", "")
NEWSROOM_FASTLY_API_TOKEN = os.environ.get("NEWSROOM_FASTLY_API_TOKEN", "")
NEWSROOM_CLOUDFLARE_API_URL = os.environ.get(
    "NEWSROOM_CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
)
NEWSROOM_CLOUDFLARE_ZONE_ID = os.environ.get("NEWSROOM_CLOUDFLARE_ZONE_ID", "")
NEWSROOM_CLOUDFLARE_API_TOKEN = os.environ.get("NEWSROOM_CLOUDFLARE_API_TOKEN", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The site's one time zone, named after every time shown (newsroom/formats/en/formats.py).
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["newsroom.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests render pages without running collectstatic first.
WHITENOISE_MANIFEST_STRICT = False
# Files browsers ask for at the site's root, /favicon.ico (newsroom/icons.py draws it).
WHITENOISE_ROOT = BASE_DIR / "newsroom" / "root"

TAGGIT_CASE_INSENSITIVE = True

email_host = os.environ.get("EMAIL_HOST", "").strip()
if email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": email_host,
                "port": env_int("EMAIL_PORT", 587, minimum=1, maximum=65535),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
            },
        }
    }
else:
    # Without an SMTP host, emails are printed to the console (development).
    MAILERS = {"default": {"BACKEND": "newsroom.mail.ReadableConsoleBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The mailto: of the newsletter's List-Unsubscribe, a mailbox someone reads (docs/deploy.md);
# empty: the sender's address.
NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL = os.environ.get("NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL", "")

# Newsletter sending runs as a task. Without a worker package for this Django version, debug
# runs send at once (in the request) and production queues: `manage.py send_newsletter`, run
# from cron, sends queued editions. Any backend's dotted path may be given instead.
tasks_backend_aliases = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}
tasks_backend = os.environ.get("NEWSROOM_TASKS_BACKEND", "").strip() or (
    "immediate" if DEBUG else "dummy"
)
TASKS = {"default": {"BACKEND": tasks_backend_aliases.get(tasks_backend, tasks_backend)}}
if "." not in TASKS["default"]["BACKEND"]:
    raise ImproperlyConfigured(
        f"NEWSROOM_TASKS_BACKEND must be immediate, dummy or a backend's dotted path; "
        f"got {tasks_backend!r}."
    )

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
NEWSROOM_SITE_TAGLINE = os.environ.get("NEWSROOM_SITE_TAGLINE", "The latest news and analysis.")

# Two-factor login (desk/twofactor.py): staff may set up an authenticator app; with
# NEWSROOM_REQUIRE_2FA on, editors (whoever may publish) must, at their next login.
NEWSROOM_REQUIRE_2FA = env_bool("NEWSROOM_REQUIRE_2FA")
# Authenticator apps list the account under the site's name.
OTP_TOTP_ISSUER = NEWSROOM_SITE_NAME
# Device pages in the admin (superusers only) never show a secret or a recovery code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Reader comments; README.md describes each setting.
NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS = env_int("NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS", 30, minimum=0)
NEWSROOM_COMMENTS_MIN_FILL_SECONDS = env_int("NEWSROOM_COMMENTS_MIN_FILL_SECONDS", 3, minimum=0)
NEWSROOM_COMMENTS_RATE_LIMIT = env_int("NEWSROOM_COMMENTS_RATE_LIMIT", 5, minimum=1)
NEWSROOM_COMMENTS_RATE_PERIOD = env_int("NEWSROOM_COMMENTS_RATE_PERIOD", 600, minimum=1)
NEWSROOM_COMMENTS_MAX_LINKS = env_int("NEWSROOM_COMMENTS_MAX_LINKS", 2, minimum=0)
NEWSROOM_COMMENTS_SPAM_PHRASES = env_list(
    "NEWSROOM_COMMENTS_SPAM_PHRASES",
    [
        "viagra",
        "cialis",
        "online casino",
        "payday loan",
        "buy followers",
        "seo services",
        "crypto giveaway",
        "earn money from home",
    ],
)
NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN = env_bool("NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN")
NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES = env_int(
    "NEWSROOM_COMMENTS_NOTIFY_EVERY_MINUTES", 15, minimum=0
)
NEWSROOM_EDITOR_EMAILS = env_list("NEWSROOM_EDITOR_EMAILS", [])

# Newsletter signups; README.md describes each setting.
NEWSROOM_NEWSLETTER_SIGNUP_RATE_LIMIT = env_int(
    "NEWSROOM_NEWSLETTER_SIGNUP_RATE_LIMIT", 10, minimum=1
)
NEWSROOM_NEWSLETTER_SIGNUP_RATE_PERIOD = env_int(
    "NEWSROOM_NEWSLETTER_SIGNUP_RATE_PERIOD", 3600, minimum=1
)
NEWSROOM_NEWSLETTER_CONFIRMATION_RATE_LIMIT = env_int(
    "NEWSROOM_NEWSLETTER_CONFIRMATION_RATE_LIMIT", 3, minimum=1
)
NEWSROOM_NEWSLETTER_CONFIRMATION_RATE_PERIOD = env_int(
    "NEWSROOM_NEWSLETTER_CONFIRMATION_RATE_PERIOD", 24 * 3600, minimum=1
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
