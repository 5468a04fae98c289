"""Users and their platform-level role.

Employer roles (HR, signatory, admin) live on ``parties.EmployerMembership`` because
one person may act for several employers; the user's own ``role`` says which kind of
user they are on the platform.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYER_HR = "employer_hr", _("用人单位人事")
    EMPLOYER_SIGNATORY = "employer_signatory", _("用人单位授权签字人")
    EMPLOYER_ADMIN = "employer_admin", _("用人单位管理员")
    WORKER = "worker", _("劳动者")
    MEDIATOR = "mediator", _("调解员")
    ARBITRATOR = "arbitrator", _("仲裁员")
    BUREAU_OFFICER = "bureau_officer", _("人社局工作人员")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")


EMPLOYER_ROLES = frozenset({Role.EMPLOYER_HR, Role.EMPLOYER_SIGNATORY, Role.EMPLOYER_ADMIN})


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.EMPLOYER_HR)
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, blank=True, db_index=True)
    # Bureau officers and arbitration staff work for one district (6-digit division code).
    region = models.CharField(_("所属行政区划"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_employer_staff(self) -> bool:
        return self.role in EMPLOYER_ROLES
