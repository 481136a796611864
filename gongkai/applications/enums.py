"""Choices of the applications app: English values, Chinese labels (RULES.zh.md §3, §4, §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Regime(models.TextChoices):
    """GEN-1: chosen by the receipt date (before 2019-05-15 → 2007)."""

    R2007 = "2007", _("2007年条例")
    R2019 = "2019", _("2019年条例")


class Channel(models.TextChoices):
    """REQ-4."""

    IN_PERSON = "in_person", _("当面")
    POST_SIGNED = "post_signed", _("信函（需签收）")
    POST_PLAIN = "post_plain", _("信函（平信）")
    ONLINE = "online", _("网络在线")
    EMAIL = "email", _("电子邮件")
    FAX = "fax", _("传真")
    OTHER = "other", _("其他")


class ApplicantKind(models.TextChoices):
    """REQ-29: the columns of table 三."""

    PERSON = "person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他证件")


class FormWanted(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    ON_SITE = "on_site", _("当场阅读、抄录")


class Delivery(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("自行领取")
    ONLINE = "online", _("网上获取")
    FAX = "fax", _("传真")


class Stage(models.TextChoices):
    """REQ-31. Overdue is not a stage: it is derived from the stored deadline and today."""

    PENDING_CONFIRMATION = "pending_confirmation", _("待确认收到")
    RECEIVED = "received", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    DECIDED = "decided", _("已决定待送达")
    REPLIED = "replied", _("已答复")
    ARCHIVED = "archived", _("已归档")
    CLOSED = "closed", _("已终止")


class Action(models.TextChoices):
    """Every change of stage is one of these, through ``services.act``."""

    CONFIRM = "confirm", _("确认收到")
    ASSIGN = "assign", _("分办")
    TRANSFER = "transfer", _("转办")
    REQUEST_CORRECTION = "request_correction", _("告知补正")
    RECEIVE_CORRECTION = "receive_correction", _("收到补正")
    START_CONSULTATION = "start_consultation", _("征求意见")
    END_CONSULTATION = "end_consultation", _("收回意见")
    EXTEND = "extend", _("延期答复")
    FEE_NOTICE = "fee_notice", _("收费通知")
    RECORD_PAYMENT = "record_payment", _("登记缴费")
    DECIDE = "decide", _("作出决定")
    DELIVER = "deliver", _("送达答复")
    ARCHIVE = "archive", _("归档")
    WITHDRAW = "withdraw", _("申请人撤回")
    ABANDON_NO_CORRECTION = "abandon_no_correction", _("逾期未补正，视为放弃")
    ABANDON_NO_PAYMENT = "abandon_no_payment", _("逾期未缴费，视为放弃")


class Decision(models.TextChoices):
    """REQ-17: every code maps to exactly one row of table 三 (``rules.TABLE3_ROW``)."""

    ALREADY_PUBLIC = "already_public", _("已主动公开，告知获取途径")
    GRANT = "grant", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    DENY_STATE_SECRET = "deny_state_secret", _("不予公开：属于国家秘密")
    DENY_LAW_PROHIBITS = "deny_law_prohibits", _("不予公开：其他法律行政法规禁止公开")
    DENY_SECURITY_STABILITY = "deny_security_stability", _("不予公开：危及“三安全一稳定”")
    DENY_THIRD_PARTY = "deny_third_party", _("不予公开：保护第三方合法权益")
    DENY_INTERNAL_AFFAIRS = "deny_internal_affairs", _("不予公开：属于三类内部事务信息")
    DENY_PROCESS_INFO = "deny_process_info", _("不予公开：属于四类过程性信息")
    DENY_ENFORCEMENT_FILE = "deny_enforcement_file", _("不予公开：属于行政执法案卷")
    SPECIAL_ACCESS_ROUTE = "special_access_route", _("不予公开：属于行政查询事项")
    NOT_HELD = "not_held", _("无法提供：本机关不掌握相关政府信息")
    NOT_RESPONSIBLE = "not_responsible", _("无法提供：不属于本机关负责公开")
    NEEDS_CREATION = "needs_creation", _("无法提供：没有现成信息需要另行制作")
    STILL_UNCLEAR = "still_unclear", _("无法提供：补正后申请内容仍不明确")
    PETITION_NOT_APPLICATION = "petition", _("不予处理：信访举报投诉类申请")
    REPEATED = "repeated", _("不予处理：重复申请")
    PUBLICATION_REQUEST = "publication", _("不予处理：要求提供公开出版物")
    EXCESSIVE_UNREASONABLE = "excessive", _("不予处理：无正当理由大量反复申请")
    CONFIRM_OR_REISSUE = "confirm_or_reissue", _("不予处理：要求确认或重新出具已获取信息")
    ABANDONED_NO_CORRECTION = "abandoned_no_correction", _("其他处理：逾期不补正")
    ABANDONED_NO_PAYMENT = "abandoned_no_payment", _("其他处理：逾期未缴费")
    OTHER = "other", _("其他处理：其他")


class Timeliness(models.TextChoices):
    """REQ-30."""

    ON_TIME = "on_time", _("按时答复")
    EXTENDED_ON_TIME = "extended_on_time", _("延期后按时答复")
    OVERDUE = "overdue", _("超期答复")


class FeeMethod(models.TextChoices):
    """FEE-2: one method per application, never both."""

    BY_COUNT = "by_count", _("按件计收")
    BY_PAGES = "by_pages", _("按量计收")
    COST = "cost", _("成本费（2007年条例）")


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("第三方")
    OTHER_AGENCY = "other_agency", _("其他机关")


class AppealKind(models.TextChoices):
    """LIT-1."""

    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")
    COMPLAINT = "complaint", _("投诉举报")


class AppealOutcome(models.TextChoices):
    """LIT-2: the columns of table 四."""

    MAINTAINED = "maintained", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")
