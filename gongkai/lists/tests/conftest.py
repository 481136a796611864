import io

import openpyxl
import pytest

from gongkai.lists import services


def csv_bytes(*lines: str, encoding: str = "utf-8-sig") -> bytes:
    return "\n".join(lines).encode(encoding)


def xlsx_bytes(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_version(org, kind, year, changes, *, publish=True, category="", complete=True):
    """A version whose entries have ``changes`` (e.g. ["retained"] * 3 + ["cancelled"])."""
    entries = [
        {"name": f"事项{n}", "category": category, "change": change}
        for n, change in enumerate(changes, start=1)
    ]
    version = services.save_version(org, kind, year, entries, by=None, complete=complete).version
    return services.publish(version, by=None) if publish else version


@pytest.fixture
def dept_admin(dept):
    from gongkai.orgs.enums import Role
    from gongkai.orgs.models import User

    return User.objects.create_user(
        username="dept_admin", password="Gongkai-test-2026", org=dept, role=Role.DEPT_ADMIN
    )
