"""Choices of the catalog (issue 5). Rule ids cite ``shared/domain/RULES.zh.md`` §5."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待审查")
    RETURNED = "returned", _("已退回")
    REFERRED = "referred", _("已报主管部门")
    APPROVED = "approved", _("已审签（待随文件发布）")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Attribute(models.TextChoices):
    """PUB-6: 公开属性 fixed at drafting."""

    ACTIVE = "active", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    WITHHELD = "withheld", _("不予公开")


class DocKind(models.TextChoices):
    """What kind of document an item is; 规章 and 行政规范性文件 feed table 二 (RPT)."""

    RULE = "rule", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")
    INTERPRETATION = "interpretation", _("政策解读")
    OTHER = "other", _("其他")


class Validity(models.TextChoices):
    NONE = "", _("不适用")
    VALID = "valid", _("有效")
    INVALID = "invalid", _("失效")
    REPEALED = "repealed", _("废止")


class Legacy(models.TextChoices):
    """PUB-8: the seed report's eight categories; their sum is the published total."""

    OVERVIEW = "overview", _("概况信息")
    PLANS = "plans", _("计划总结信息")
    NORMATIVE = "normative", _("规范性文件信息")
    NEWS = "news", _("工作动态信息")
    PERSONNEL = "personnel", _("人事信息")
    FINANCE = "finance", _("财政信息")
    ENFORCEMENT = "enforcement", _("行政执法信息")
    OTHER = "other", _("其他信息")


class Art20(models.IntegerChoices):
    """PUB-1: 条例（2019）第二十条 15 items."""

    RULES = 1, _("（一）行政法规、规章和规范性文件")
    ORGANIZATION = 2, _("（二）机关职能、机构设置、联系方式、负责人")
    PLANNING = 3, _("（三）规划及相关政策")
    STATISTICS = 4, _("（四）统计信息")
    LICENSING = 5, _("（五）行政许可和其他对外管理服务事项")
    PENALTY = 6, _("（六）行政处罚、行政强制")
    BUDGET = 7, _("（七）财政预算、决算")
    FEES = 8, _("（八）行政事业性收费")
    PROCUREMENT = 9, _("（九）政府集中采购")
    PROJECTS = 10, _("（十）重大建设项目")
    WELFARE = 11, _("（十一）扶贫、教育、医疗、社保、就业")
    EMERGENCY = 12, _("（十二）突发公共事件")
    SUPERVISION = 13, _("（十三）环保、卫生、安全生产、食品药品、产品质量监督检查")
    CIVIL_SERVICE = 14, _("（十四）公务员招考")
    OTHER = 15, _("（十五）其他")


class Conclusion(models.TextChoices):
    """SEC-3 review conclusions, plus 退回 (return to the author)."""

    PUBLISHABLE = "publishable", _("可以公开")
    PARTIAL_REDACT = "partial_redact", _("遮蔽后公开")
    NOT_PUBLISHABLE = "not_publishable", _("不予公开")
    REFER = "refer", _("报主管部门确定")
    RETURNED = "returned", _("退回修改")


class Channel(models.TextChoices):
    """PUB-4 channels an item went out on."""

    WEBSITE = "website", _("政府网站")
    WECHAT = "wechat", _("政务微信")
    WEIBO = "weibo", _("政务微博")
    ENGLISH = "english", _("英文网站")
    GAZETTE = "gazette", _("政府公报")
    READING_ROOM = "reading_room", _("公共查阅点")


class NewMediaKind(models.TextChoices):
    """The seed's three kinds of 微信/微博 posts."""

    NONE = "", _("—")
    ACTIVITIES = "activities", _("重大活动、政务工作类")
    POLICY = "policy", _("新政宣传、政策解读类")
    PROGRESS = "progress", _("工作进展、经验交流类")


class SeriesKind(models.TextChoices):
    GAZETTE = "gazette", _("政府公报")
    BULLETIN = "bulletin", _("政务要情")


class JobStatus(models.TextChoices):
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
