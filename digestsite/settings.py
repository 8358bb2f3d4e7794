"""Settings for Digest CMS, read from the environment.

The defaults without any variable set are production-safe: DEBUG is off, HTTPS settings are on,
and the site refuses to start on the development secret key or an empty ALLOWED_HOSTS.
`make run` sets DJANGO_DEBUG=1 for local work. README "Configuration" lists every variable.
"""

import hashlib
import importlib.util
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

if not DEBUG:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off the site refuses to start on the "
            "development key: set DJANGO_SECRET_KEY to a long random value, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is empty. With DJANGO_DEBUG off set it to the site's host "
            "names, comma-separated, e.g. DJANGO_ALLOWED_HOSTS=digest.example.org."
        )

INSTALLED_APPS = [
    "digestsite.apps.DigestAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "nested_admin",
    "taggit",
    "django_ckeditor_5",
    "reversion",
    "reversion_compare",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "people",
    "digests",
    "api",
]

MIDDLEWARE = [
    # First: a reader's cache hit is answered before any other work (sessions, CSRF, auth,
    # security headers…). Pages are stored as the middleware below left them, headers
    # included, so hits carry exactly the headers of a fresh page.
    "digestsite.cache_middleware.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language comes from the address (/be/, /ru/, English at the root), never from a
    # cookie or Accept-Language; staff may choose the admin's (digestsite/locale.py).
    "digestsite.locale.AddressLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Outside the admin, a session without its second factor is a reader (REQUIRE_2FA).
    "digestsite.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "digestsite.middleware.SecurityHeadersMiddleware",
    # Below the headers above, so that its 400 pages get them too.
    "digestsite.middleware.RejectMalformedInputMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Two-factor sign-in for staff (django-otp): on by default in production.
REQUIRE_2FA = env_bool("DJANGO_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Digest CMS"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff sign-in throttling (django-axes): after five failures that username is locked out from
# that address for 30 minutes; a successful sign-in resets the count. Attempts are recorded
# under staff usernames only (digestsite/security.py); readers never sign in.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "digestsite.security.client_ip"
AXES_USERNAME_CALLABLE = "digestsite.security.staff_username"

ROOT_URLCONF = "digestsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "digestsite.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "digestsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )


def _postgres_options(database: dict) -> dict:
    """Page views are many short queries at once: PostgreSQL's JIT compiler (a second on a cold
    search) and parallel workers (a topic page 47 → 35 ms at 100,000 items) cost more than they
    save on them, so both are off for the site's sessions."""
    if database["ENGINE"].startswith("django.db.backends.postgresql"):
        options = database.setdefault("OPTIONS", {})
        settings = "-c jit=off -c max_parallel_workers_per_gather=0"
        options["options"] = f"{options.get('options', '')} {settings}".strip()
    return database


_postgres_options(DATABASES["default"])

# A read replica (PostgreSQL streaming replica): readers' page views read from it; staff, every
# write and migrations use the primary (digestsite/routers.py says exactly when).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    _postgres_options(DATABASES["replica"])
    # Tests run against the primary's test database only.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["digestsite.routers.PrimaryReplicaRouter"]
    MIDDLEWARE = ["digestsite.routers.ReplicaReadsMiddleware", *MIDDLEWARE]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The site's languages, English first (at the root); Belarusian at /be/, Russian at /ru/.
LANGUAGES = [("en", "English"), ("be", "Беларуская"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Belarusian number and date formats (Django ships none for it).
FORMAT_MODULE_PATH = ["digestsite.formats"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Warsaw")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", "") or BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000


def _static_file_headers(headers, path, url):
    # Static files get the same Permissions-Policy as pages (SecurityHeadersMiddleware).
    headers["Permissions-Policy"] = PERMISSIONS_POLICY


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers

# Media on S3-compatible object storage (django-storages, `pip install '.[s3]'`) when a bucket is
# named; local disk otherwise. Readers must never fetch from the storage provider's host (it
# would see their address, and the CSP allows only the site itself), so media URLs use
# AWS_S3_CUSTOM_DOMAIN: the site's own host and a path the reverse proxy forwards to the bucket.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
if AWS_STORAGE_BUCKET_NAME:
    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set but django-storages with boto3 is not installed: "
            "pip install '.[s3]' (or pip install 'django-storages[s3]')."
        )
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip().strip("/")
    if not AWS_S3_CUSTOM_DOMAIN and not DEBUG:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set without AWS_S3_CUSTOM_DOMAIN. Readers must load "
            "media from the site itself: set AWS_S3_CUSTOM_DOMAIN to the site's host and a path "
            "the reverse proxy forwards to the bucket, e.g. digest.example.org/media."
        )
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "").strip().strip("/")
    if AWS_S3_CUSTOM_DOMAIN:
        # Where media is read from, as the storage builds its URLs: images in rich text are kept
        # only when they come from here (digestsite.richtext).
        MEDIA_URL = f"https://{AWS_S3_CUSTOM_DOMAIN}/" + (
            f"{AWS_LOCATION}/" if AWS_LOCATION else ""
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME", "").strip() or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID", "").strip() or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY", "").strip() or None,
            "custom_domain": AWS_S3_CUSTOM_DOMAIN or None,
            "location": AWS_LOCATION,
            "default_acl": os.environ.get("AWS_DEFAULT_ACL", "").strip() or None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", not AWS_S3_CUSTOM_DOMAIN),
            # Like local disk: a new upload never replaces an existing file of the same name.
            "file_overwrite": False,
        },
    }

# Request size: the one limit on a request body, files included (RejectMalformedInputMiddleware;
# deploy/nginx.conf's client_max_body_size says the same, a test checks): room for the largest
# image with the form around it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Images (model fields and editor uploads share these limits).
IMAGE_MAX_BYTES = env_int("DJANGO_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("DJANGO_IMAGE_MAX_PIXELS", 40_000_000)

# Security headers. HTTPS settings default on with DEBUG off, each switchable by environment.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Health probes (Docker, the load balancer) call /healthz over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# Preload protects even a first visit from being downgraded to http.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# The editor reads the CSRF cookie to send it with image uploads.
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front of gunicorn, each appending to X-Forwarded-For: the
# client's address for sign-in throttling is the one the outermost of them saw
# (digestsite/security.py). 1 for nginx alone, 2 for a TLS terminator in front of nginx.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 1 if BEHIND_PROXY else 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXIES must be 0 or more.")
SECURE_CONTENT_TYPE_NOSNIFF = True
# The admin needs same-origin: with no-referrer browsers send `Origin: null` on POST and the CSRF
# check fails. Public pages get no-referrer from SecurityHeadersMiddleware.
SECURE_REFERRER_POLICY = "same-origin"
PUBLIC_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Powerful browser features the site never uses, and no FLoC cohorts (SecurityHeadersMiddleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The admin's editor (CKEditor 5) sets inline styles; staff pages get a CSP that allows them.
ADMIN_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

# Reader safety: e.g. http://abcdefghijklmnop.onion (no trailing slash; in ALLOWED_HOSTS too).
ONION_LOCATION = os.environ.get("DJANGO_ONION_LOCATION", "").strip().rstrip("/")

# The shared cache of readers' pages (digestsite/cache.py, docs/caching.md): Redis when
# REDIS_URL is set (every web node sees the same pages and invalidations), else files that
# gunicorn's workers on this machine share.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
else:
    _database = DATABASES["default"]
    _site = f"{BASE_DIR}|{_database['NAME']}|{_database.get('HOST')}|{_database.get('PORT')}"
    _shared_cache = {
        # Django's own file cache: files every worker process on this machine shares.
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        # Private to this site and database (Django creates it with mode 0700).
        "LOCATION": os.environ.get("DJANGO_CACHE_DIR", "").strip()
        or str(
            Path(tempfile.gettempdir())
            / f"digest-cms-cache-{hashlib.sha256(_site.encode()).hexdigest()[:12]}"
        ),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
CACHES = {
    "default": _shared_cache,
    # Each process keeps copies of the pages it serves most (digestsite/cache.py): keyed by the
    # content generation, a copy is never stale, and a hit needs nothing from the shared cache
    # but the two small counters (read at most once every PUBLIC_CACHE_COUNTER_SECONDS).
    "pages-local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_PUBLIC_CACHE_LOCAL_ENTRIES", 300)},
    },
}
PUBLIC_CACHE_TIMEOUT = env_int("DJANGO_PUBLIC_CACHE_TIMEOUT", 600)
PUBLIC_CACHE_MAX_AGE = env_int("DJANGO_PUBLIC_CACHE_MAX_AGE", 60)
PUBLIC_CACHE_S_MAXAGE = env_int("DJANGO_PUBLIC_CACHE_S_MAXAGE", 300)
PUBLIC_CACHE_STALE_WHILE_REVALIDATE = 60
# Seconds each process trusts the cache counters it read (digestsite/cache.py): another
# process's edit shows within this time, its own at once. 0: read them on every request.
PUBLIC_CACHE_COUNTER_SECONDS = env_int("DJANGO_PUBLIC_CACHE_COUNTER_SECONDS", 1)

# Logs go to the console: one JSON object per line in production (DJANGO_LOG_FORMAT=json, the
# default with DEBUG off), plain text under `make run`. Addresses are scrubbed from every record.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "").strip().lower()
LOG_FORMAT = LOG_FORMAT or ("text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "digestsite.logs.JSONFormatter"},
    },
    "filters": {"scrub_addresses": {"()": "digestsite.privacy.ScrubAddresses"}},
    "handlers": {
        "console": {
            # Standard error, like gunicorn's error log: commands keep stdout for their output
            # (`import_digest --json`); Docker and journald collect both.
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["scrub_addresses"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver's request log carries client addresses; readers' IPs are not kept.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

TAGGIT_CASE_INSENSITIVE = True

# CKEditor 5: headings limited to h4 (the digest page uses h1-h3), no raw HTML source editing.
CKEDITOR_5_CONFIGS = {
    "default": {
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "|",
                "insertImage",
                "insertTable",
                "|",
                "undo",
                "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraph", "class": "ck-heading_paragraph"},
                {
                    "model": "heading4",
                    "view": "h4",
                    "title": "Subheading",
                    "class": "ck-heading_heading4",
                },
            ]
        },
        "image": {
            "toolbar": ["imageTextAlternative", "|", "toggleImageCaption"],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        "link": {"defaultProtocol": "https://"},
    },
}
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "jpg", "png", "gif", "webp"]
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "editor-image-upload"

LOGIN_URL = "admin:login"
# Where sign-in leads when `next` is missing or points off the site.
LOGIN_REDIRECT_URL = "admin:index"


def gettext_noop(message: str) -> str:
    """Marks a string for `makemessages` (Django's own cannot be called before settings load)."""
    return message


# The default name is translated on the Belarusian and Russian pages (locale/).
SITE_NAME = os.environ.get("DJANGO_SITE_NAME", "") or gettext_noop("Belarus News Digest")
# The public address (e.g. https://digest.example.org) for canonical links and sharing tags;
# empty: the address of the request.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")


# Optional error reporting. Readers' addresses and request bodies are never sent.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install sentry-sdk."
        ) from None
    from digestsite.privacy import scrub_sentry_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        max_request_body_size="never",
        before_send=scrub_sentry_event,
        before_send_transaction=scrub_sentry_event,
        traces_sample_rate=0.0,
    )
