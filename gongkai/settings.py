"""Gongkai settings: the only module that reads the environment.

Every ``GONGKAI_*`` variable read here is documented in ``docs/configuration.md``;
``gongkai/tests/test_configuration.py`` fails when one is missing there.
Defaults run on a laptop with SQLite and nothing else installed.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DATA_DIR = Path(env("GONGKAI_DATA_DIR", str(BASE_DIR / "var")))

DATA_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key(path: Path) -> str:
    """A laptop install keeps a generated key in its data folder instead of a shared default."""
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DEBUG = env_bool("GONGKAI_DEBUG", False)
SECRET_KEY = env_secret("GONGKAI_SECRET_KEY") or _local_secret_key(DATA_DIR / "secret-key")
ALLOWED_HOSTS = [
    h.strip()
    for h in env("GONGKAI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
GONGKAI_BIND = env("GONGKAI_BIND", "127.0.0.1:8000")
SITE_URL = env("GONGKAI_SITE_URL", f"http://{GONGKAI_BIND}")
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "gongkai.audit",
    "gongkai.orgs",
    "gongkai.workdays",
    "gongkai.applications",
    "gongkai.reports",
    "gongkai.search",
    "gongkai.catalog",
    "gongkai.lists",
    "gongkai.monitor",
    "gongkai.inspections",
    "gongkai.interaction",
    "gongkai.portal",
    "gongkai.api",
    "gongkai.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

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
                "gongkai.portal.context.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite in WAL mode is the embedded default; PostgreSQL via GONGKAI_DATABASE_URL.
DATABASE_URL = env_secret("GONGKAI_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "gongkai.sqlite3",
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue
                # instead of failing half-way with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

# --- Authentication and security -------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:workbench"
LOGOUT_REDIRECT_URL = "portal:home"

# Login rate limiting (django-axes): lock a username+address pair after N failures.
AXES_FAILURE_LIMIT = env_int("GONGKAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("GONGKAI_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_RESET_ON_SUCCESS = True

HTTPS = env_bool("GONGKAI_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation ---------------------------------------------------
# Chinese is the source language of every string; English is a translation catalog.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gongkai" / "locale"]
TIME_ZONE = "Asia/Shanghai"  # GEN-5
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the apps' static folders too, so a fresh checkout works before collectstatic.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# One cache for every worker process of a machine (wrong-code counters, rate limits).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

EMAIL_BACKEND = env("GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("GONGKAI_DEFAULT_FROM_EMAIL", "gongkai@localhost")

# --- Domain settings --------------------------------------------------------
GONGKAI_SITE_NAME = env("GONGKAI_SITE_NAME", "政府信息公开平台")
# Key for personal data encrypted at rest (ID and phone numbers); derived from the secret
# key when unset. Changing it makes stored personal data unreadable.
GONGKAI_FIELD_KEY = env_secret("GONGKAI_FIELD_KEY")
# FEE-7 (from memory, verify): the time from fee notice to payment does not count.
GONGKAI_FEE_PAUSES_CLOCK = env_bool("GONGKAI_FEE_PAUSES_CLOCK", True)
# Attachments of applications: stored outside the web root, capped in size.
GONGKAI_ATTACHMENT_MAX_MB = env_int("GONGKAI_ATTACHMENT_MAX_MB", 20)
# RPT-25: how stated percentages are rounded (half_up, or down as some offices truncate).
GONGKAI_REPORT_ROUNDING = env("GONGKAI_REPORT_ROUNDING", "half_up")
MEDIA_ROOT = DATA_DIR / "private"
GONGKAI_WORKERS = env_int("GONGKAI_WORKERS", 2)
GONGKAI_DEMO_PASSWORD = env_secret("GONGKAI_DEMO_PASSWORD", "gongkai-demo-2026")
# CAL-1 (from memory, verify): 调休 make-up Saturdays/Sundays count as working days.
GONGKAI_COUNT_MAKEUP_WORKDAYS = env_bool("GONGKAI_COUNT_MAKEUP_WORKDAYS", True)
# Catalog (主动公开). IDX-3: the 索引号 template; PUB-3: working days to publish.
GONGKAI_INDEX_TEMPLATE = env("GONGKAI_INDEX_TEMPLATE", "{org_code}/{year}-{serial:05d}")
GONGKAI_PUBLICATION_DAYS = env_int("GONGKAI_PUBLICATION_DAYS", 20)
# Search backend: auto (SQLite FTS5 or PostgreSQL by the database), sqlite, postgres, naive.
GONGKAI_SEARCH_BACKEND = env("GONGKAI_SEARCH_BACKEND", "auto")
GONGKAI_SEARCH_RANK_WINDOW = env_int("GONGKAI_SEARCH_RANK_WINDOW", 1000)
# PUB-7: days between the reviews of a 不予公开 item (the cycle is a design choice).
GONGKAI_WITHHELD_REVIEW_DAYS = env_int("GONGKAI_WITHHELD_REVIEW_DAYS", 365)
# Monitor (网站监测): the indicator sheet, and the broker that spreads crawls over workers
# (empty: `gongkai monitor run` does everything in one process).
GONGKAI_MONITOR_INDICATORS = env("GONGKAI_MONITOR_INDICATORS", "")
GONGKAI_BROKER_URL = env("GONGKAI_BROKER_URL", "")
# RND-8: working days to publish inspection results.
GONGKAI_INSPECTION_PUBLISH_DAYS = env_int("GONGKAI_INSPECTION_PUBLISH_DAYS", 20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("GONGKAI_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
