from ninja import Router, Schema

from gongkai.orgs.queries import public_tree

router = Router(tags=["机关 orgs"])


class OrgOut(Schema):
    id: int
    name: str
    short_name: str
    level: str
    kind: str
    parent_id: int | None
    credit_code: str
    website: str


@router.get("", response=list[OrgOut], summary="机关树（公开）/ the public org tree")
def list_orgs(request):
    return public_tree()
