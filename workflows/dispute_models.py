"""Process proxies of the dispute, mediation and wage-arrears flows: fields kept in the process JSON.

They sit beside the flows, like ``workflows.models.ContractProcess``, but carry the
``disputes`` app label: that app owns their migration. ``contracts_platform.disputes.models``
imports this module, so the domain models are imported lazily here (no import cycle).
Plain ``jsonstore.IntegerField`` ids with properties, because ``jsonstore.ForeignKey``
registers reverse relations that break Django's model checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow import jsonstore
from viewflow.workflow.models import Process

if TYPE_CHECKING:
    from contracts_platform.disputes.models import ArrearsComplaint, DisputeCase


class MediationOutcome(models.TextChoices):
    AGREED = "agreed", _("达成调解协议")
    FAILED = "failed", _("调解不成")
    TIMED_OUT = "timed_out", _("调解期限届满")


class ComplaintOutcome(models.TextChoices):
    PAID = "paid", _("已支付")
    TRANSFERRED = "transferred", _("转仲裁")
    REJECTED = "rejected", _("驳回")


class _CaseMixin:
    """The ``case`` property over the ``case_id`` kept in the process JSON."""

    case_id: int | None

    @property
    def case(self) -> DisputeCase:
        from contracts_platform.disputes.models import DisputeCase

        cached = getattr(self, "_case_cache", None)
        if cached is None or cached.pk != self.case_id:
            cached = DisputeCase.objects.get(pk=self.case_id)
            self._case_cache = cached
        return cached

    @case.setter
    def case(self, case: DisputeCase) -> None:
        self.case_id, self._case_cache = case.pk, case


class DisputeProcess(_CaseMixin, Process):
    case_id = jsonstore.IntegerField(null=True)
    accepted = jsonstore.BooleanField(default=False)
    fast_track = jsonstore.BooleanField(default=False)
    mediation_outcome = jsonstore.CharField(max_length=16, blank=True, choices=MediationOutcome.choices)

    class Meta:
        proxy = True
        app_label = "disputes"
        verbose_name = _("劳动争议仲裁流程")
        verbose_name_plural = _("劳动争议仲裁流程")

    @property
    def agreed(self) -> bool:
        return self.mediation_outcome == MediationOutcome.AGREED


class MediationProcess(_CaseMixin, Process):
    case_id = jsonstore.IntegerField(null=True)
    agreement_proposed = jsonstore.BooleanField(default=False)
    agreement_signed = jsonstore.BooleanField(default=False)

    class Meta:
        proxy = True
        app_label = "disputes"
        verbose_name = _("仲裁前调解流程")
        verbose_name_plural = _("仲裁前调解流程")


class ArrearsProcess(Process):
    complaint_id = jsonstore.IntegerField(null=True)
    accepted = jsonstore.BooleanField(default=False)
    outcome = jsonstore.CharField(max_length=16, blank=True, choices=ComplaintOutcome.choices)

    class Meta:
        proxy = True
        app_label = "disputes"
        verbose_name = _("欠薪投诉处理流程")
        verbose_name_plural = _("欠薪投诉处理流程")

    @property
    def complaint(self) -> ArrearsComplaint:
        from contracts_platform.disputes.models import ArrearsComplaint

        cached = getattr(self, "_complaint_cache", None)
        if cached is None or cached.pk != self.complaint_id:
            cached = ArrearsComplaint.objects.get(pk=self.complaint_id)
            self._complaint_cache = cached
        return cached

    @complaint.setter
    def complaint(self, complaint: ArrearsComplaint) -> None:
        self.complaint_id, self._complaint_cache = complaint.pk, complaint

    @property
    def is_paid(self) -> bool:
        return self.outcome == ComplaintOutcome.PAID

    @property
    def is_transferred(self) -> bool:
        return self.outcome == ComplaintOutcome.TRANSFERRED
