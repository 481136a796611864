"""Personas shared by every app's tests. Always include someone who must *not* see."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gongkai.orgs import services as org_services
from gongkai.orgs.enums import Kind, Level, Role
from gongkai.orgs.models import User


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 takes ~0.5 s a password; personas and demo accounts hash one each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # The file cache outlives a test; rate-limit counters must not leak between tests.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city(db):
    return org_services.create_org(
        name="绵阳市人民政府", short_name="绵阳市", level=Level.CITY, kind=Kind.GOVERNMENT
    )


@pytest.fixture
def dept(city):
    return org_services.create_org(
        name="绵阳市自然资源和规划局",
        short_name="市自然资源和规划局",
        level=Level.CITY,
        kind=Kind.DEPARTMENT,
        parent=city,
    )


@pytest.fixture
def other_dept(city):
    return org_services.create_org(
        name="绵阳市教育和体育局",
        short_name="市教育和体育局",
        level=Level.CITY,
        kind=Kind.DEPARTMENT,
        parent=city,
    )


def _staff(username, org, role):
    return User.objects.create_user(
        username=username, password="Gongkai-test-2026", org=org, role=role
    )


@pytest.fixture
def city_office(city):
    """公开办管理员 of the city: sees the whole city subtree."""
    return _staff("city_office", city, Role.OFFICE_ADMIN)


@pytest.fixture
def dept_staff(dept):
    """承办人 in 自然资源和规划局."""
    return _staff("dept_staff", dept, Role.HANDLER)


@pytest.fixture
def other_dept_staff(other_dept):
    """承办人 in 教育和体育局: must never see 自然资源和规划局's data."""
    return _staff("other_dept_staff", other_dept, Role.HANDLER)


@pytest.fixture
def applicant(db):
    """A citizen with an account: no org, no role."""
    return User.objects.create_user(username="applicant", password="Gongkai-test-2026")


# --- browser tests: Playwright driving Debian's Chromium ---------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Playwright's own browser download is not used)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def browser_clock(settings):
    """A fixed, ticking date for browser stories, shared by the live server's thread.

    Real dates would run past the last year with holiday data one day. Cookies must then be
    session cookies: an Expires date computed from the travelled clock would be in the past
    for the browser, which keeps real time.
    """
    import time_machine

    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(
        datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True
    ):
        yield


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """A file-based SQLite test database, so that other processes (the Celery worker of the
    monitor's test) see the test's rows; PostgreSQL's test database is shared by nature."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")
