"""Settings of the Celery worker started by ``test_worker.py``: the project's, plus
permission to crawl the test's 127.0.0.1 site."""

from gongkai.settings import *  # noqa: F403

GONGKAI_MONITOR_ALLOW_PRIVATE = True
