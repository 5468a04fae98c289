"""Employers, their staff, and workers.

A ``Worker`` row is an employer's record of a person (its own copy of address and
phone). The same person at two employers is two rows sharing ``id_number_hash``,
which is how disputes and the worker portal find all of a person's contracts
without ever searching by the plain ID number.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts_platform.core import pii
from contracts_platform.core.fields import EncryptedTextField
from contracts_platform.parties.validators import (
    validate_credit_code,
    validate_id_number,
    validate_mobile,
    validate_region_code,
)


class Employer(models.Model):
    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                                   validators=[validate_credit_code])
    legal_representative = models.CharField(_("法定代表人（主要负责人）"), max_length=50)
    address = models.CharField(_("住所"), max_length=200)
    region = models.CharField(_("所在行政区划代码"), max_length=6, validators=[validate_region_code])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")

    def __str__(self) -> str:
        return self.name


class EmployerRole(models.TextChoices):
    HR = "hr", _("人事专员")
    SIGNATORY = "signatory", _("授权签字人")
    ADMIN = "admin", _("单位管理员")


class EmployerMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("单位内角色"), max_length=16, choices=EmployerRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("单位成员")
        verbose_name_plural = _("单位成员")
        constraints = [models.UniqueConstraint(fields=["user", "employer"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.employer} ({self.get_role_display()})"


class Worker(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="workers")
    name = models.CharField(_("姓名"), max_length=50)
    id_number = EncryptedTextField(_("居民身份证号码"), validators=[validate_id_number])
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    id_number_masked = models.CharField(_("身份证号码（脱敏）"), max_length=18, editable=False)
    phone = models.CharField(_("手机号码"), max_length=11, validators=[validate_mobile])
    address = models.CharField(_("住址"), max_length=200)
    # Set once the worker logs in to the portal (phone + OTP).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="worker_records")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("劳动者")
        verbose_name_plural = _("劳动者")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "id_number_hash"], name="uniq_worker_per_employer"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_number_masked})"

    def set_id_number(self, id_number: str) -> None:
        """Keep the ciphertext, the lookup hash and the masked form in step."""
        self.id_number = id_number
        self.id_number_hash = pii.lookup_hash(id_number)
        self.id_number_masked = pii.mask_id_number(id_number)
