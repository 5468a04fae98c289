"""Shared personas, built through the real services (Zulip style: named people, real paths)."""

from __future__ import annotations

import datetime as dt

import pytest

from contracts_platform.accounts.models import Role, User
from contracts_platform.contracts.models import ModelText
from contracts_platform.contracts.services import contract_create
from contracts_platform.parties.identifiers import make_credit_code, make_id_number
from contracts_platform.parties.models import Employer, EmployerRole, Worker
from contracts_platform.parties.services import employer_create, membership_add, worker_create
from tests.contracts.factories import valid_fields

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _isolated_archive(settings, tmp_path_factory):
    """Every test gets its own archive directory: tests corrupt stored files on purpose."""
    location = tmp_path_factory.mktemp("archive")
    settings.STORAGES = {**settings.STORAGES, "archive": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}}


def make_user(username: str, role: Role = Role.EMPLOYER_HR, **extra: object) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, **extra)
    return user


@pytest.fixture
def acme(db) -> Employer:
    return employer_create(name="济南阿克米物流有限公司", credit_code=make_credit_code("91370102MA3AC0001"),
                           legal_representative="赵建国", address="山东省济南市历下区经十路 1 号", region="370102")


@pytest.fixture
def rival(db) -> Employer:
    return employer_create(name="青岛对手贸易有限公司", credit_code=make_credit_code("91370202MA3RW0002"),
                           legal_representative="钱多多", address="山东省青岛市市南区香港中路 2 号", region="370202")


@pytest.fixture
def hr(acme) -> User:
    user = make_user("wangfang", display_name="王芳")
    membership_add(employer=acme, user=user, role=EmployerRole.HR)
    return user


@pytest.fixture
def rival_hr(rival) -> User:
    user = make_user("qianhr", display_name="钱人事")
    membership_add(employer=rival, user=user, role=EmployerRole.HR)
    return user


@pytest.fixture
def li(acme, hr) -> Worker:
    return worker_create(employer=acme, created_by=hr, name="李晓明",
                         id_number=make_id_number("370102", dt.date(1992, 5, 17), 101),
                         phone="13812345678", address="山东省济南市历下区解放路 12 号")


@pytest.fixture
def rival_worker(rival, rival_hr) -> Worker:
    return worker_create(employer=rival, created_by=rival_hr, name="孙悟空",
                         id_number=make_id_number("370202", dt.date(1990, 1, 1), 202),
                         phone="13987654321", address="山东省青岛市市南区 1 号")


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


@pytest.fixture
def signatory(acme):
    user = make_user("zhaojianguo", display_name="赵建国")
    membership_add(employer=acme, user=user, role=EmployerRole.SIGNATORY)
    return user


@pytest.fixture
def ready_contract(acme, li, hr):
    model_text = ModelText.objects.get(contract_type="fixed_term", is_current=True)
    return contract_create(employer=acme, worker=li, model_text=model_text, fields=valid_fields(), user=hr,
                           mark_ready=True, acknowledge_warnings=True)


@pytest.fixture
def demo_outbox(settings):
    settings.HEQIAN_DEMO_OUTBOX = True
    return settings
