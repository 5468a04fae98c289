"""Identity test fixtures: a ready contract for 李晓明 and an invitation to sign it."""

from __future__ import annotations

import pytest

from contracts_platform.identity.models import SigningInvitation
from contracts_platform.identity.services import invitation_create
from tests.notifications.conftest import contract, platform_admin  # noqa: F401 - shared fixtures


@pytest.fixture
def invitation_and_token(contract, li, hr) -> tuple[SigningInvitation, str]:  # noqa: F811 - the fixture
    return invitation_create(version=contract.current_version, worker=li, actor=hr)


@pytest.fixture
def invitation(invitation_and_token) -> SigningInvitation:
    return invitation_and_token[0]
