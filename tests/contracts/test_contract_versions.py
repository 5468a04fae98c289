import pytest
from django.core.exceptions import ValidationError

from contracts_platform.contracts.models import (
    Contract,
    ContractStatus,
    ContractVersion,
    ImmutableVersionError,
    ModelText,
)
from contracts_platform.contracts.services import contract_create, contract_update
from contracts_platform.core.canonical import canonical_sha256
from tests.contracts.factories import valid_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed_term():
    return ModelText.objects.get(contract_type="fixed_term", is_current=True)


def test_model_texts_for_every_contract_type_are_shipped():
    assert set(ModelText.objects.filter(is_current=True).values_list("contract_type", flat=True)) == {
        "fixed_term", "open_ended", "task_based", "part_time", "dispatch"}


class TestContractVersions:
    def test_create_freezes_version_one_with_hash_of_full_terms(self, acme, li, hr, fixed_term):
        contract = contract_create(employer=acme, worker=li, model_text=fixed_term, fields=valid_fields(), user=hr)
        version = contract.current_version
        assert contract.number.startswith("HQ") and version.number == 1
        assert contract.status == ContractStatus.DRAFT
        assert version.terms["worker"]["id_number"] == li.id_number_masked  # clear copy is masked
        assert version.full_terms()["worker"]["id_number"] == li.id_number
        assert version.terms_sha256 == canonical_sha256(version.full_terms())

    def test_edit_makes_new_version_and_never_mutates_old(self, acme, li, hr, fixed_term):
        contract = contract_create(employer=acme, worker=li, model_text=fixed_term, fields=valid_fields(), user=hr)
        v1 = contract.current_version
        v1_terms, v1_hash = dict(v1.terms), v1.terms_sha256
        v2 = contract_update(contract=contract, fields=valid_fields(job_title="叉车司机"), user=hr, mark_ready=False)
        v1.refresh_from_db()
        assert v2.number == 2 and v2.terms["job_title"] == "叉车司机"
        assert v1.terms == v1_terms and v1.terms_sha256 == v1_hash
        contract.refresh_from_db()
        assert contract.current_version == v2

    def test_same_terms_again_creates_nothing(self, acme, li, hr, fixed_term):
        contract = contract_create(employer=acme, worker=li, model_text=fixed_term, fields=valid_fields(), user=hr)
        again = contract_update(contract=contract, fields=valid_fields(), user=hr, mark_ready=False)
        assert again == contract.current_version and contract.versions.count() == 1

    def test_versions_refuse_a_second_write(self, acme, li, hr, fixed_term):
        contract = contract_create(employer=acme, worker=li, model_text=fixed_term, fields=valid_fields(), user=hr)
        version = ContractVersion.objects.get(pk=contract.current_version.pk)
        version.terms = {**version.terms, "job_title": "篡改"}
        with pytest.raises(ImmutableVersionError):
            version.save()

    def test_ready_is_blocked_by_errors_and_nothing_is_written(self, acme, li, hr, fixed_term):
        bad = valid_fields(probation_months=7)
        with pytest.raises(ValidationError) as exc:
            contract_create(employer=acme, worker=li, model_text=fixed_term, fields=bad, user=hr, mark_ready=True)
        assert exc.value.code == "ready_errors"
        assert not Contract.objects.exists() and not ContractVersion.objects.exists()

    def test_draft_with_errors_is_kept_with_its_findings(self, acme, li, hr, fixed_term):
        contract = contract_create(employer=acme, worker=li, model_text=fixed_term,
                                   fields=valid_fields(probation_months=7), user=hr)
        rules = {f["rule"] for f in contract.current_version.findings}
        assert any(r.startswith("art19") for r in rules)
        assert contract.status == ContractStatus.DRAFT

    def test_warnings_must_be_acknowledged_for_ready(self, acme, li, hr, fixed_term):
        hours = {"system": "comprehensive", "hours_per_day": "8", "hours_per_week": "40"}
        with pytest.raises(ValidationError) as exc:
            contract_create(employer=acme, worker=li, model_text=fixed_term, fields=valid_fields(working_hours=hours),
                            user=hr, mark_ready=True)
        assert exc.value.code == "ready_unacknowledged"
        contract = contract_create(employer=acme, worker=li, model_text=fixed_term,
                                   fields=valid_fields(working_hours=hours), user=hr, mark_ready=True,
                                   acknowledge_warnings=True)
        assert contract.status == ContractStatus.READY
        assert contract.current_version.warnings_acknowledged

    def test_foreign_worker_refused(self, acme, rival_worker, hr, fixed_term):
        with pytest.raises(ValidationError):
            contract_create(employer=acme, worker=rival_worker, model_text=fixed_term, fields=valid_fields(), user=hr)
        assert not Contract.objects.exists()

    def test_version_created_is_an_evidence_event(self, acme, li, hr, fixed_term):
        from contracts_platform.archive.models import EvidenceEvent

        contract = contract_create(employer=acme, worker=li, model_text=fixed_term, fields=valid_fields(), user=hr)
        event = EvidenceEvent.objects.get(event_type="contract.version_created")
        assert event.subject_id == str(contract.pk)
        assert contract.current_version.terms_sha256 in event.payload
