from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.enums import Kind, Level, Role


class Org(models.Model):
    """An organization: a government (市, 县/市/区, 乡镇/街道) or one of its departments.

    ``path`` is a materialized path ("/1/7/42/") maintained by ``services``; the
    subtree of an org is ``path__startswith=org.path``.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, help_text=_("18位，GB 32100")
    )
    website = models.URLField(_("网站"), blank=True)
    office_name = models.CharField(_("公开工作机构"), max_length=100, blank=True)
    office_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    office_address = models.CharField(_("地址"), max_length=200, blank=True)
    office_postcode = models.CharField(_("邮编"), max_length=6, blank=True)
    office_email = models.EmailField(_("电子邮箱"), blank=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="org_credit_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: "Org") -> bool:
        """True when self is other or lies in other's subtree."""
        return self.path.startswith(other.path)


class User(AbstractUser):
    """A person who signs in: staff (with an org and a role) or a citizen (neither)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    org = models.ForeignKey(
        Org,
        verbose_name=_("所属机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.org_id is not None and bool(self.role)
