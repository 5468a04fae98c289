"""The employer's signing actions over HTTP, and who may reach viewflow's own screens."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contracts_platform.accounts.models import Role
from contracts_platform.contracts.models import ContractStatus
from tests.conftest import make_user
from workflows import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_hr_starts_and_signatory_approves_from_the_contract_page(client, ready_contract, hr, signatory,
                                                                  demo_outbox):
    client.force_login(hr)
    page = client.get(reverse("employer:contract_detail", args=[ready_contract.pk])).content.decode()
    assert "发起签署" in page
    response = client.post(reverse("employer:signing_start", args=[ready_contract.pk]))
    assert response.status_code == 302
    ready_contract.refresh_from_db()
    assert ready_contract.status == ContractStatus.IN_APPROVAL
    # HR cannot approve; the button is not even shown to them.
    assert "同意并加盖单位印章" not in client.get(reverse("employer:contract_detail",
                                                          args=[ready_contract.pk])).content.decode()
    client.post(reverse("employer:signing_decide", args=[ready_contract.pk]), {"decision": "approve"})
    ready_contract.refresh_from_db()
    assert ready_contract.status == ContractStatus.IN_APPROVAL

    client.force_login(signatory)
    page = client.get(reverse("employer:contract_detail", args=[ready_contract.pk])).content.decode()
    assert "同意并加盖单位印章" in page
    client.post(reverse("employer:signing_decide", args=[ready_contract.pk]), {"decision": "approve"})
    ready_contract.refresh_from_db()
    assert ready_contract.status == ContractStatus.SIGNING
    chart = client.get(reverse("employer:signing_chart", args=[ready_contract.pk]))
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"


@pytest.mark.parametrize("name", ["signing_start", "signing_decide", "signing_withdraw", "signing_remind",
                                  "signing_resubmit", "signing_retry"])
def test_another_employer_cannot_act(client, ready_contract, rival_hr, name):
    client.force_login(rival_hr)
    assert client.post(reverse(f"employer:{name}", args=[ready_contract.pk])).status_code == 404
    assert services.signing_process_for(contract=ready_contract) is None


def test_another_employer_cannot_see_the_chart(client, ready_contract, rival_hr):
    client.force_login(rival_hr)
    assert client.get(reverse("employer:signing_chart", args=[ready_contract.pk])).status_code == 404


def test_viewflow_screens_are_for_platform_staff_only(client, ready_contract, hr, signatory):
    services.contract_signing_start(contract=ready_contract, user=hr)
    client.force_login(hr)
    assert client.get("/workflow/workflows/contractsigning/").status_code in (302, 403, 404)
    client.force_login(make_user("ops", role=Role.PLATFORM_ADMIN))
    assert client.get("/workflow/workflows/contractsigning/").status_code == 200
