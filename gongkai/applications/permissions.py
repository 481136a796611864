"""Who may do what with an application."""

from gongkai.orgs.enums import Role

ACTING_ROLES = frozenset({Role.OFFICE_ADMIN, Role.DEPT_ADMIN, Role.HANDLER})


def may_act(user, app) -> bool:
    """Staff of the application's org or above, as 公开办, 部门管理员 or 承办人.

    审核人 review publications for the catalog; they do not handle applications.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.role in ACTING_ROLES and user.org_id is not None and app.org.is_within(user.org)
