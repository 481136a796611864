"""Every GONGKAI_* variable that settings.py reads is documented in docs/configuration.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def read_variables() -> set[str]:
    source = (ROOT / "gongkai" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'env(?:_bool|_int|_secret)?\(\s*"(GONGKAI_[A-Z0-9_]+)"', source))


def documented_variables() -> set[str]:
    docs = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(GONGKAI_[A-Z0-9_]+)` \|", docs, re.M))


def test_every_variable_settings_reads_is_documented():
    assert read_variables() - documented_variables() == set()


def test_docs_name_no_variable_settings_does_not_read():
    assert documented_variables() - read_variables() == set()


def test_settings_reads_at_least_the_database_url():
    assert "GONGKAI_DATABASE_URL" in read_variables()
