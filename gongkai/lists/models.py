from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.lists.enums import Change, ListKind, Status


class ListVersion(models.Model):
    """One year's version of one public list of one org (PUB-9).

    ``complete`` is False when only the changed entries were entered (the seed gives
    "取消13项" without the list itself): such a version yields no "保留N项" and no figures.
    """

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="list_versions")
    kind = models.CharField(_("清单"), max_length=20, choices=ListKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    complete = models.BooleanField(_("完整清单"), default=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("清单版本")
        ordering = ["kind", "org__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "year"], name="lists_one_version_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年{self.get_kind_display()}"


class ListEntry(models.Model):
    version = models.ForeignKey(ListVersion, on_delete=models.CASCADE, related_name="entries")
    seq = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("事项名称"), max_length=200)
    category = models.CharField(_("事项类别"), max_length=40, blank=True)
    basis = models.TextField(_("依据"), blank=True)
    department = models.CharField(_("实施主体"), max_length=100, blank=True)
    standard = models.CharField(_("标准"), max_length=300, blank=True)
    change = models.CharField(_("变更类型"), max_length=12, choices=Change.choices)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("清单条目")
        ordering = ["version", "seq"]

    def __str__(self) -> str:
        return self.name
