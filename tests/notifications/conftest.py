"""Personas and objects for the notifications tests."""

from __future__ import annotations

import pytest

from contracts_platform.accounts.models import Role, User
from contracts_platform.contracts.models import Contract, ModelText
from contracts_platform.contracts.services import contract_create
from tests.conftest import make_user
from tests.contracts.factories import valid_fields
from tests.notifications import backends


@pytest.fixture
def platform_admin(db) -> User:
    return make_user("pingtai", role=Role.PLATFORM_ADMIN, display_name="平台管理员")


@pytest.fixture
def contract(acme, li, hr) -> Contract:
    fixed_term = ModelText.objects.get(contract_type="fixed_term", is_current=True)
    return contract_create(employer=acme, worker=li, model_text=fixed_term, fields=valid_fields(), user=hr,
                           mark_ready=True, acknowledge_warnings=True)


@pytest.fixture(autouse=True)
def _reset_counting_backend():
    backends.sent_ids.clear()
