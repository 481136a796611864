"""The demo city of the seed report (绵阳市, 2017) and a few staff accounts to sign in with."""

from pathlib import Path

from gongkai.orgs import services
from gongkai.orgs.enums import Role
from gongkai.orgs.models import Org, User
from gongkai.orgs.queries import by_name

DEMO_CITY = Path(__file__).parent / "data" / "demo_city.yaml"
CITY = "绵阳市人民政府"

# username, 姓名 (a label, not a person), org, role. E-mail: <username>@demo.invalid, a
# domain that can never receive mail, so digests show on the console backend only.
STAFF = (
    ("office", "市政府公开办", CITY, Role.OFFICE_ADMIN),
    ("guotu", "市国土资源局承办人", "绵阳市国土资源局", Role.HANDLER),
    ("guotu_head", "市国土资源局负责人", "绵阳市国土资源局", Role.DEPT_ADMIN),
    ("guotu_shenhe", "市国土资源局审核人", "绵阳市国土资源局", Role.REVIEWER),
    ("jiaoyu", "市教育局承办人", "绵阳市教育局", Role.HANDLER),
    ("fucheng", "涪城区公开办", "涪城区人民政府", Role.OFFICE_ADMIN),
)


def build_demo_city(*, actor=None) -> Org:
    """Load the demo city from ``data/demo_city.yaml``; running it again changes nothing."""
    services.import_orgs(DEMO_CITY.read_text(encoding="utf-8"), fmt="yaml", actor=actor)
    return Org.objects.get(name=CITY)


def demo_staff(*, password: str, actor=None) -> list[User]:
    """Create (or reset to ``password``) the demo accounts of ``STAFF``; needs the demo city."""
    orgs = by_name([org for _, _, org, _ in STAFF])
    return [
        services.save_staff(
            username,
            org=orgs[org],
            role=role,
            password=password,
            full_name=label,
            email=f"{username}@demo.invalid",
            actor=actor,
        )
        for username, label, org, role in STAFF
    ]
