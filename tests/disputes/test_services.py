"""Linking contracts, legal aid, and the pure helpers (routing thresholds, working days, amounts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.disputes import services
from contracts_platform.disputes.models import CaseContract, LegalAidAssignment
from contracts_platform.disputes.selectors import case_access, visible_cases
from tests.disputes.conftest import file_case, ready_contract_for, sign_contract

pytestmark = [pytest.mark.django_db(transaction=True)]


class TestLinking:
    def test_link_by_number_and_by_id_hash_but_never_other_parties(self, signed_contract, li, li_user, hr,
                                                                   acme_signatory, acme, clerk, rival, rival_hr,
                                                                   rival_worker, outbox):
        case = file_case(li_user, signed_contract)
        clerk_view = case_access(user=clerk, case_id=case.pk)
        second = sign_contract(ready_contract_for(acme, li, hr), hr, acme_signatory)
        rival_signatory = acme_signatory.__class__.objects.create_user(username="rival_sig", password="x" * 12)
        from contracts_platform.parties.models import EmployerRole
        from contracts_platform.parties.services import membership_add

        membership_add(employer=rival, user=rival_signatory, role=EmployerRole.SIGNATORY)
        foreign = sign_contract(ready_contract_for(rival, rival_worker, rival_hr), rival_hr, rival_signatory)

        with pytest.raises(ValidationError, match="当事人与本案不一致"):
            services.case_link_contracts(viewer=clerk_view, number=foreign.number)
        with pytest.raises(ValidationError, match="没有找到"):
            services.case_link_contracts(viewer=clerk_view, number="HQ0000000000")
        with pytest.raises(ValidationError, match="身份证号码"):
            services.case_link_contracts(viewer=clerk_view, id_number="370102199205171010")
        linked = services.case_link_contracts(viewer=clerk_view, id_number=li.id_number)
        assert linked == [second]  # the filing contract was linked already
        assert set(CaseContract.objects.filter(case=case).values_list("method", flat=True)) == {"filing",
                                                                                               "id_number"}
        # The plain ID number is in no evidence payload.
        assert not EvidenceEvent.objects.filter(payload__contains=li.id_number).exists()
        with pytest.raises(PermissionDenied):
            services.case_link_contracts(viewer=case_access(user=li_user, case_id=case.pk),
                                         number=second.number)

    def test_acceptance_links_every_contract_between_the_parties(self, signed_contract, li, li_user, hr,
                                                                 acme_signatory, acme, clerk):
        second = sign_contract(ready_contract_for(acme, li, hr), hr, acme_signatory)
        case = services.case_accept(case=file_case(li_user, signed_contract), user=clerk)
        assert set(CaseContract.objects.filter(case=case).values_list("contract_id", flat=True)) == {
            signed_contract.pk, second.pk}


class TestLegalAid:
    def test_request_assign_and_act_with_the_workers_access(self, signed_contract, li_user, hr, clerk, lawyer):
        case = file_case(li_user, signed_contract)
        assert not visible_cases(user=lawyer).exists()
        with pytest.raises(PermissionDenied):
            services.legal_aid_request(viewer=case_access(user=hr, case_id=case.pk))
        services.legal_aid_request(viewer=case_access(user=li_user, case_id=case.pk), note="经济困难")
        with pytest.raises(ValidationError):
            services.legal_aid_request(viewer=case_access(user=li_user, case_id=case.pk))
        with pytest.raises(ValidationError, match="利害关系"):
            services.legal_aid_assign(viewer=case_access(user=clerk, case_id=case.pk), lawyer=hr,
                                      organisation="法律援助中心")
        assignment = services.legal_aid_assign(viewer=case_access(user=clerk, case_id=case.pk), lawyer=lawyer,
                                               organisation="历下区法律援助中心")
        assert EvidenceEvent.objects.filter(event_type="dispute.legal_aid_assigned",
                                            subject_id=str(case.pk)).exists()
        viewer = case_access(user=lawyer, case_id=case.pk)
        assert viewer.label == "legal_aid" and viewer.can_see_evidence
        # A replacement ends the first assignment.
        other = lawyer.__class__.objects.create_user(username="lawyer2", password="x" * 12)
        services.legal_aid_assign(viewer=case_access(user=clerk, case_id=case.pk), lawyer=other,
                                  organisation="历下区法律援助中心")
        assignment.refresh_from_db()
        assert assignment.ended_at is not None
        assert LegalAidAssignment.objects.filter(case=case, ended_at__isnull=True).get().lawyer == other
        assert not visible_cases(user=lawyer).exists()


class TestHelpers:
    @pytest.mark.parametrize("value, ok", [("0", True), ("3500", True), ("3500.5", True), ("99999999.99", True),
                                           ("1,200.00", True), ("abc", False), ("-0.01", False), ("Infinity", False),
                                           ("100000000", False), ("0.001", False)])
    def test_amounts(self, value, ok):
        if ok:
            assert services.parse_amount(value) >= 0
        else:
            with pytest.raises(ValidationError):
                services.parse_amount(value)

    def test_working_days(self):
        friday = timezone.make_aware(dt.datetime(2026, 6, 5, 16, 0))
        assert services.add_working_days(friday, 1).date() == dt.date(2026, 6, 8)
        assert services.add_working_days(friday, 5).date() == dt.date(2026, 6, 12)
        assert services.add_working_days(friday, 60).weekday() < 5

    def test_fast_track_threshold_is_twelve_monthly_minimum_wages(self, signed_contract, li_user):
        # Jinan (3701xx): 2100 a month in the seeded table, so the line is 25,200.
        at = file_case(li_user, signed_contract, claims=[services.ClaimInput("severance", Decimal("25200.00"))])
        above = file_case(li_user, signed_contract, claims=[services.ClaimInput("severance", Decimal("25200.01"))])
        assert services.route_for(at)[0] == "fast_track"
        assert services.route_for(above)[0] == "ordinary"
        wages = file_case(li_user, signed_contract, claims=[services.ClaimInput("unpaid_wages", Decimal("900000"))])
        assert services.route_for(wages)[0] == "fast_track"


class TestClerkRegistration:
    def test_walk_in_application_reaches_the_workers_portal_and_contracts(self, signed_contract, li, acme, li_user,
                                                                          clerk, outbox):
        case = services.dispute_register(
            user=clerk, worker_name="李晓明", worker_phone="13812345678", worker_id_number=li.id_number.lower(),
            employer_credit_code=acme.credit_code, claims=[services.ClaimInput("unpaid_wages", "5200")],
            facts="现场提交书面申请。", files=[])
        assert case.filed_by == "clerk" and case.employer == acme and case.worker == li
        assert case.worker_id_hash == li.id_number_hash and li.id_number not in str(case.__dict__)
        # The worker's portal finds it by the keyed hash; acceptance links the signed contract.
        assert case in visible_cases(user=li_user)
        case = services.case_accept(case=case, user=clerk)
        assert CaseContract.objects.filter(case=case, contract=signed_contract, method="id_number").exists()

    def test_registration_checks_input_and_jurisdiction(self, clerk, rival, arbitrator):
        with pytest.raises(ValidationError, match="身份证号码"):
            services.dispute_register(user=clerk, worker_name="张三", worker_id_number="123", employer_name="某公司",
                                      claims=[services.ClaimInput("other", "0")], facts="x", files=[])
        with pytest.raises(ValidationError, match="统一社会信用代码"):
            services.dispute_register(user=clerk, worker_name="张三", employer_credit_code="91370102MA3XXXXXXX",
                                      claims=[services.ClaimInput("other", "0")], facts="x", files=[])
        with pytest.raises(PermissionDenied):  # the respondent sits in another commission's district
            services.dispute_register(user=clerk, worker_name="张三", employer_credit_code=rival.credit_code,
                                      claims=[services.ClaimInput("other", "0")], facts="x", files=[])
        with pytest.raises(PermissionDenied):  # an arbitrator who is not a clerk
            services.dispute_register(user=arbitrator, worker_name="张三", employer_name="某公司",
                                      claims=[services.ClaimInput("other", "0")], facts="x", files=[])
        case = services.dispute_register(user=clerk, worker_name="张三", employer_name="某建筑劳务队",
                                         claims=[services.ClaimInput("overtime", "3000")], facts="加班费未付。",
                                         files=[])
        assert case.region == "370102" and case.employer is None and case.worker_id_hash == ""
