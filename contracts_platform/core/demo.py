"""Demo data for ``make run``: one employer with staff, workers, contracts, and the other roles.

Idempotent: running it again changes nothing. Refused in production.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from contracts_platform.accounts.models import Role, User
from contracts_platform.parties.identifiers import make_credit_code, make_id_number
from contracts_platform.parties.models import Employer, EmployerRole, Worker

DEMO_PASSWORD = "heqian-demo-2026"  # noqa: S105 - printed on purpose; seed refuses in production


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str


DEMO_LOGINS = [
    DemoLogin("hr", "employer HR / 人事专员", "王芳"),
    DemoLogin("signatory", "employer signatory / 授权签字人", "赵建国"),
    DemoLogin("employer_admin", "employer admin / 单位管理员", "陈静"),
    DemoLogin("mediator", "mediator / 调解员", "孙丽"),
    DemoLogin("arbitrator", "arbitrator / 仲裁员", "周正"),
    DemoLogin("officer", "bureau officer / 人社局工作人员", "吴敏"),
    DemoLogin("admin", "platform admin / 平台管理员", "平台管理员"),
]
_ROLES = {"hr": Role.EMPLOYER_HR, "signatory": Role.EMPLOYER_SIGNATORY, "employer_admin": Role.EMPLOYER_ADMIN,
          "mediator": Role.MEDIATOR, "arbitrator": Role.ARBITRATOR, "officer": Role.BUREAU_OFFICER,
          "admin": Role.PLATFORM_ADMIN}
_MEMBERSHIP = {"hr": EmployerRole.HR, "signatory": EmployerRole.SIGNATORY, "employer_admin": EmployerRole.ADMIN}

DEMO_WORKERS = [
    ("李晓明", dt.date(1992, 5, 17), "13812345678", "山东省济南市历下区解放路 12 号"),
    ("张喆", dt.date(1988, 11, 2), "13912345678", "山东省济南市市中区经四路 88 号"),
    ("王堃", dt.date(1995, 2, 28), "15012345678", "河南省周口市川汇区七一路 3 号"),
    ("刘赟", dt.date(1990, 7, 9), "18612345678", "山东省德州市德城区东风路 6 号"),
]


def _user(username: str) -> User:
    login = next(item for item in DEMO_LOGINS if item.username == username)
    user, created = User.objects.get_or_create(username=username, defaults={
        "role": _ROLES[username], "display_name": login.name, "region": "370102",
        "is_staff": username == "admin", "is_superuser": username == "admin"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def seed_demo() -> Employer:
    if settings.PRODUCTION:
        raise RuntimeError("demo data is never seeded in production")
    from contracts_platform.contracts.models import Contract, ModelText
    from contracts_platform.contracts.services import contract_create
    from contracts_platform.parties.services import employer_create, membership_add, worker_create

    credit_code = make_credit_code("91370102MA3HQ0001")
    employer = Employer.objects.filter(credit_code=credit_code).first() or employer_create(
        name="济南和签示范科技有限公司", credit_code=credit_code, legal_representative="赵建国",
        address="山东省济南市历下区经十路 10001 号", region="370102")
    for login in DEMO_LOGINS:
        user = _user(login.username)
        if login.username in _MEMBERSHIP:
            membership_add(employer=employer, user=user, role=_MEMBERSHIP[login.username])
    hr = User.objects.get(username="hr")
    for seq, (name, birth, phone, address) in enumerate(DEMO_WORKERS, start=1):
        id_number = make_id_number("370102", birth, 100 + seq)
        if not Worker.objects.filter(employer=employer, name=name).exists():
            worker_create(employer=employer, created_by=hr, name=name, id_number=id_number, phone=phone,
                          address=address)
    if not Contract.objects.filter(employer=employer).exists():
        fixed_term = ModelText.objects.filter(contract_type="fixed_term", is_current=True).first()
        start = timezone.localdate().replace(day=1) + dt.timedelta(days=32)
        start = start.replace(day=1)
        for worker, ready in ((Worker.objects.get(employer=employer, name="李晓明"), True),
                              (Worker.objects.get(employer=employer, name="张喆"), False)):
            contract_create(
                employer=employer, worker=worker, model_text=fixed_term, user=hr, mark_ready=ready,
                acknowledge_warnings=ready, fields=demo_fields(start=start))
    return employer


def demo_fields(*, start: dt.date, years: int = 3) -> dict:
    end = start.replace(year=start.year + years) - dt.timedelta(days=1)
    return {
        "start_date": start.isoformat(), "end_date": end.isoformat(), "task_description": "",
        "probation_months": 3, "job_title": "仓储管理员", "work_location": "山东省济南市历下区经十路 10001 号",
        "work_region": "370102",
        "working_hours": {"system": "standard", "hours_per_day": "8", "hours_per_week": "40"},
        "wage": {"type": "monthly", "amount": "5200.00", "probation_amount": "4500.00", "pay_day": 15,
                 "pay_cycle_days": 30},
        "social_insurance": "甲方依法为乙方缴纳养老、医疗、失业、工伤、生育保险和住房公积金。",
        "labor_protection": "甲方提供符合国家规定的劳动安全卫生条件和必要的劳动防护用品。",
        "dispatch": None, "training": {"employer_funded": False, "cost": None}, "service_period_months": 0,
        "service_penalty": None, "non_compete_months": 0,
        "history": {"consecutive_fixed_terms": 0, "years_of_service": "0"},
        "worker_requests_fixed_term": False, "supplementary_clauses": ["乙方每年享受带薪年休假，天数按国家规定执行。"],
    }
