"""Dispute cases, wage-arrears complaints, and what the people handling them record.

Rows are written only through ``disputes.services``; the flows in
``workflows/dispute_flow.py`` and ``workflows/arrears_flow.py`` drive the status
fields. Uploaded files, agreements and awards are archive objects (content-addressed,
write-once); the rows here only point at them.

The viewflow process proxies live in ``workflows/dispute_models.py`` (next to the
flows, as the contract process does) but belong to this app's label, so their
migration lives here and not in ``workflows`` (another team's area). They are
imported at the bottom of this module so they register while apps load.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts_platform.parties.validators import validate_region_code


class CommissionMember(models.Model):
    """Staff of a district's labor-dispute arbitration commission (or its labor-inspection office).

    ``accounts.User`` has no clerk role and is not ours to change, so the clerk is an
    ``arbitrator`` or ``mediator`` user flagged ``is_clerk`` here for the commission of
    ``region``; a flagged ``is_supervisor`` (the commission's chair or a bureau head)
    receives missed-deadline escalations and approves the 15-day award extension.
    Platform admins can always act as both.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="commission_member")
    region = models.CharField(_("所属行政区划"), max_length=6, validators=[validate_region_code])
    is_clerk = models.BooleanField(_("立案庭（立案审查）"), default=False)
    is_supervisor = models.BooleanField(_("主管（接收超期督办）"), default=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("仲裁委工作人员")
        verbose_name_plural = _("仲裁委工作人员")

    def __str__(self) -> str:
        return f"{self.user} ({self.region})"


class ClaimType(models.TextChoices):
    UNPAID_WAGES = "unpaid_wages", _("拖欠工资")
    OVERTIME = "overtime", _("加班费")
    UNLAWFUL_TERMINATION = "unlawful_termination", _("违法解除劳动合同赔偿金")
    SEVERANCE = "severance", _("经济补偿")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险")
    OTHER = "other", _("其他")


class FiledBy(models.TextChoices):
    WORKER = "worker", _("劳动者本人")
    CLERK = "clerk", _("仲裁委代为登记")
    ARREARS = "arrears", _("欠薪投诉转入")


class CaseStatus(models.TextChoices):
    FILED = "filed", _("待受理")
    REJECTED = "rejected", _("不予受理")
    ACCEPTED = "accepted", _("已受理")
    MEDIATION = "mediation", _("调解中")
    ARBITRATION = "arbitration", _("仲裁审理中")
    AWARDED = "awarded", _("已裁决")
    CLOSED = "closed", _("已结案")


OPEN_CASE_STATUSES = (CaseStatus.FILED, CaseStatus.ACCEPTED, CaseStatus.MEDIATION, CaseStatus.ARBITRATION,
                      CaseStatus.AWARDED)


class Route(models.TextChoices):
    FAST_TRACK = "fast_track", _("速裁（简易程序）")
    ORDINARY = "ordinary", _("普通程序（先行调解）")


class CaseOutcome(models.TextChoices):
    AGREEMENT = "agreement", _("调解结案")
    AWARD = "award", _("裁决结案")
    REJECTED = "rejected", _("不予受理")


class DisputeCase(models.Model):
    # Null only inside the creating transaction, until the primary key is known.
    number = models.CharField(_("案号"), max_length=32, unique=True, null=True)  # noqa: DJ001
    filed_by = models.CharField(_("申请方式"), max_length=16, choices=FiledBy.choices)
    filer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    # The applicant worker: their account (if any), the employer's record of them, and a snapshot.
    worker_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("劳动者账号"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("parties.Worker", verbose_name=_("劳动者"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    worker_name = models.CharField(_("申请人姓名"), max_length=50)
    worker_phone = models.CharField(_("申请人手机号"), max_length=11, blank=True)
    # Keyed hash of the applicant's ID number (parties.Worker.id_number_hash): how the
    # worker's accounts and contracts are matched without the plain number.
    worker_id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    employer = models.ForeignKey("parties.Employer", verbose_name=_("被申请人（用人单位）"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    employer_name = models.CharField(_("被申请人名称"), max_length=100)
    region = models.CharField(_("管辖地区"), max_length=6, validators=[validate_region_code], db_index=True)
    facts = models.TextField(_("事实与理由"), max_length=2000)
    total_claimed = models.DecimalField(_("请求金额合计"), max_digits=14, decimal_places=2, default=Decimal("0"))

    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.FILED,
                              db_index=True)
    route = models.CharField(_("程序"), max_length=16, choices=Route.choices, blank=True)
    route_reason = models.CharField(_("程序依据"), max_length=300, blank=True)
    outcome = models.CharField(_("结案方式"), max_length=16, choices=CaseOutcome.choices, blank=True)
    rejection_reason = models.TextField(_("不予受理理由"), blank=True, max_length=1000)

    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("立案审查人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调解员"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    arbitrator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("仲裁员"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    # Statutory clock (LDMAL Art 29, 32, 14, 43); the due moments are fixed when each period starts.
    filed_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    acceptance_due = models.DateTimeField(_("受理期限"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    mediation_started_at = models.DateTimeField(_("调解开始"), null=True, blank=True)
    mediation_due = models.DateTimeField(_("调解期限"), null=True, blank=True)
    mediation_ended_at = models.DateTimeField(_("调解结束"), null=True, blank=True)
    tribunal_due = models.DateTimeField(_("组庭期限"), null=True, blank=True)
    arbitrator_assigned_at = models.DateTimeField(_("组庭时间"), null=True, blank=True)
    award_due = models.DateTimeField(_("裁决期限"), null=True, blank=True)
    award_extended = models.BooleanField(_("已延长审限"), default=False)
    awarded_at = models.DateTimeField(_("裁决时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    legal_aid_requested_at = models.DateTimeField(_("申请法律援助时间"), null=True, blank=True)
    legal_aid_note = models.CharField(_("法律援助申请说明"), max_length=300, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("劳动争议案件")
        verbose_name_plural = _("劳动争议案件")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES


class Claim(models.Model):
    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="claims")
    claim_type = models.CharField(_("请求类型"), max_length=32, choices=ClaimType.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("仲裁请求")
        verbose_name_plural = _("仲裁请求")
        ordering = ["case", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="disputes_claim_amount_nonneg")]

    def __str__(self) -> str:
        return f"{self.get_claim_type_display()} {self.amount}"


class DocumentKind(models.TextChoices):
    EVIDENCE = "evidence", _("证据材料")
    AGREEMENT = "agreement", _("调解协议书")
    AWARD = "award", _("仲裁裁决书")


class CaseDocument(models.Model):
    case = models.ForeignKey(DisputeCase, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("类别"), max_length=16, choices=DocumentKind.choices)
    stored = models.ForeignKey("archive.StoredObject", verbose_name=_("归档对象"), on_delete=models.PROTECT,
                               related_name="+")
    filename = models.CharField(_("文件名"), max_length=120)
    content_type = models.CharField(_("类型"), max_length=60)
    size = models.PositiveIntegerField(_("字节数"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("案件材料")
        verbose_name_plural = _("案件材料")
        ordering = ["case", "created_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class LinkMethod(models.TextChoices):
    FILING = "filing", _("申请时选定")
    NUMBER = "number", _("按合同编号")
    ID_NUMBER = "id_number", _("按劳动者身份证号")


class CaseContract(models.Model):
    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="contract_links")
    contract = models.ForeignKey("contracts.Contract", verbose_name=_("劳动合同"), on_delete=models.PROTECT,
                                 related_name="+")
    method = models.CharField(_("关联方式"), max_length=16, choices=LinkMethod.choices)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    linked_at = models.DateTimeField(_("关联时间"), default=timezone.now)

    class Meta:
        verbose_name = _("关联合同")
        verbose_name_plural = _("关联合同")
        ordering = ["case", "linked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "contract"], name="disputes_one_link_per_contract")]

    def __str__(self) -> str:
        return f"{self.case} ↔ {self.contract}"


class MediationSession(models.Model):
    case = models.ForeignKey(DisputeCase, on_delete=models.PROTECT, related_name="mediation_sessions")
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("调解日期"))
    notes = models.TextField(_("调解记录"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["case", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.held_on}"


class CaseAgreement(models.Model):
    """A mediation agreement (调解协议书): its PDF, and each side's acceptance of exactly those bytes."""

    case = models.OneToOneField(DisputeCase, on_delete=models.PROTECT, related_name="agreement")
    terms = models.TextField(_("协议内容"), max_length=4000)
    amount = models.DecimalField(_("支付金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, related_name="+")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    worker_accepted_at = models.DateTimeField(null=True, blank=True)
    worker_accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    employer_accepted_at = models.DateTimeField(null=True, blank=True)
    employer_accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self) -> str:
        return f"{self.case} {self.amount}"

    @property
    def accepted_by_both(self) -> bool:
        return self.worker_accepted_at is not None and self.employer_accepted_at is not None


class Award(models.Model):
    case = models.OneToOneField(DisputeCase, on_delete=models.PROTECT, related_name="award")
    text = models.TextField(_("裁决主文"), max_length=8000)
    amount = models.DecimalField(_("裁决支付金额（元）"), max_digits=12, decimal_places=2, default=Decimal("0"))
    # LDMAL Art 47: small pay claims and national-standard disputes are final for the employer.
    final = models.BooleanField(_("终局裁决"), default=False)
    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, related_name="+")
    arbitrator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("仲裁裁决")
        verbose_name_plural = _("仲裁裁决")

    def __str__(self) -> str:
        return f"{self.case} {self.amount}"


class LegalAidAssignment(models.Model):
    """A legal-aid lawyer acting for the worker on one case; the row is what marks the user as such."""

    case = models.ForeignKey(DisputeCase, on_delete=models.PROTECT, related_name="legal_aid")
    lawyer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("法律援助律师"), on_delete=models.PROTECT,
                               related_name="legal_aid_assignments")
    organisation = models.CharField(_("法律援助机构"), max_length=100)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("法律援助指派")
        verbose_name_plural = _("法律援助指派")
        ordering = ["case", "-assigned_at"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=Q(ended_at__isnull=True),
                                               name="disputes_one_active_legal_aid")]

    def __str__(self) -> str:
        return f"{self.case} → {self.lawyer}"


class ComplaintStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理，核查中")
    PAID = "paid", _("已解决（工资已支付）")
    TRANSFERRED = "transferred", _("已转劳动争议仲裁")
    REJECTED = "rejected", _("不予受理/已驳回")


OPEN_COMPLAINT_STATUSES = (ComplaintStatus.SUBMITTED, ComplaintStatus.ACCEPTED)


class ArrearsComplaint(models.Model):
    """A wage-arrears report from the public page (no account; the phone is OTP-verified)."""

    number = models.CharField(_("投诉编号"), max_length=32, unique=True, null=True)  # noqa: DJ001
    # The reporter's link to the status page; it shows no personal data.
    public_token = models.CharField(max_length=43, unique=True, editable=False)
    project_name = models.CharField(_("项目/工地名称"), max_length=100)
    employer_name = models.CharField(_("欠薪单位"), max_length=100)
    district = models.CharField(_("所在区县"), max_length=6, validators=[validate_region_code], db_index=True)
    amount = models.DecimalField(_("拖欠金额（元）"), max_digits=14, decimal_places=2)
    months_owed = models.PositiveSmallIntegerField(_("拖欠月数"))
    workers_affected = models.PositiveIntegerField(_("涉及人数"))
    reporter_phone = models.CharField(_("联系电话"), max_length=11)
    reporter_name = models.CharField(_("联系人"), max_length=50, blank=True)
    description = models.TextField(_("情况说明"), max_length=2000, blank=True)

    status = models.CharField(_("状态"), max_length=16, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.SUBMITTED, db_index=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    outcome_reason = models.TextField(_("处理结果说明"), max_length=2000, blank=True)
    dispute_case = models.ForeignKey(DisputeCase, verbose_name=_("转入的仲裁案件"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="source_complaints")
    submitted_at = models.DateTimeField(_("投诉时间"), default=timezone.now)
    accept_due = models.DateTimeField(_("受理期限"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    investigation_due = models.DateTimeField(_("办结期限"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("欠薪投诉")
        verbose_name_plural = _("欠薪投诉")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disputes_complaint_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_COMPLAINT_STATUSES


class ContactParty(models.TextChoices):
    EMPLOYER = "employer", _("用人单位")
    REPORTER = "reporter", _("投诉人")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("电话")
    VISIT = "visit", _("现场检查")
    SUMMONS = "summons", _("约谈/询问通知书")
    OTHER = "other", _("其他")


class ArrearsContact(models.Model):
    complaint = models.ForeignKey(ArrearsComplaint, on_delete=models.PROTECT, related_name="contacts")
    party = models.CharField(_("联系对象"), max_length=16, choices=ContactParty.choices)
    method = models.CharField(_("方式"), max_length=16, choices=ContactMethod.choices)
    notes = models.TextField(_("情况记录"), max_length=2000)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contacted_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("核查记录")
        verbose_name_plural = _("核查记录")
        ordering = ["complaint", "contacted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint} {self.get_party_display()}"


class DeadlineKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("仲裁受理期限（5日）")
    TRIBUNAL = "tribunal", _("组庭期限（5日）")
    AWARD = "award", _("裁决期限（45日）")
    AWARD_EXTENDED = "award_extended", _("延长后的裁决期限（60日）")
    ARREARS_ACCEPTANCE = "arrears_acceptance", _("投诉受理期限（5个工作日）")
    ARREARS_INVESTIGATION = "arrears_investigation", _("投诉办结期限（60个工作日）")
    NO_OFFICER = "no_officer", _("属地无承办人员")


class Escalation(models.Model):
    """A missed statutory deadline reported to the supervisors (督办); shown on their desk."""

    kind = models.CharField(_("期限"), max_length=32, choices=DeadlineKind.choices)
    case = models.ForeignKey(DisputeCase, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="escalations")
    complaint = models.ForeignKey(ArrearsComplaint, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="escalations")
    region = models.CharField(_("地区"), max_length=6, db_index=True)
    due_at = models.DateTimeField(_("期限"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), default=timezone.now)
    supervisors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    acknowledged_at = models.DateTimeField(_("已阅时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    # The flow task that raised it; the supervisor's escalation task follows it.
    flow_task_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("超期督办")
        verbose_name_plural = _("超期督办")
        ordering = ["-escalated_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(case__isnull=False) | Q(complaint__isnull=False),
                                              name="disputes_escalation_has_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case or self.complaint}"


# The viewflow process proxies (see the module docstring).
from workflows.dispute_models import ArrearsProcess, DisputeProcess, MediationProcess  # noqa: E402, F401
