"""Employer portal over HTTP: access, validation, escaping, search and pagination."""

import datetime as dt

import pytest
from django.urls import reverse

from contracts_platform.contracts.models import Contract, ContractStatus, ContractVersion, ModelText
from contracts_platform.contracts.services import contract_create
from contracts_platform.parties.identifiers import make_id_number
from contracts_platform.parties.models import Worker
from tests.conftest import PASSWORD
from tests.contracts.factories import form_data, valid_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed_term():
    return ModelText.objects.get(contract_type="fixed_term", is_current=True)


def new_contract_data(worker, model_text, **overrides):
    return {"worker": worker.pk, "model_text": model_text.pk, **form_data(**overrides)}


class TestLoginAndPages:
    def test_login_in_chinese_by_default_then_dashboard(self, client, hr):
        page = client.get(reverse("accounts:login"))
        assert 'lang="zh-CN"' in page.content.decode() and "登录" in page.content.decode()
        response = client.post(reverse("accounts:login"), {"username": "wangfang", "password": PASSWORD})
        assert response.status_code == 302
        assert "工作台" in client.get(reverse("employer:dashboard")).content.decode()

    def test_wrong_password_is_a_clear_message(self, client, hr):
        response = client.post(reverse("accounts:login"), {"username": "wangfang", "password": "nope"})
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()

    def test_english_is_switchable(self, hr_client):
        hr_client.post(reverse("set_language"), {"language": "en", "next": "/employer/"})
        body = hr_client.get(reverse("employer:dashboard")).content.decode()
        assert 'lang="en"' in body and "Draft contract" in body

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("employer:contract_list"))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    def test_non_staff_user_is_refused(self, client, db):
        from contracts_platform.accounts.models import Role
        from tests.conftest import make_user

        client.force_login(make_user("someone", role=Role.WORKER))
        assert client.get(reverse("employer:contract_list")).status_code == 403


class TestWorkerForm:
    def test_create_worker(self, hr_client, acme):
        number = make_id_number("370102", dt.date(1991, 1, 1), 7)
        response = hr_client.post(reverse("employer:worker_create"), {
            "name": "张喆", "id_number": number, "phone": "13912345678", "address": "济南"})
        assert response.status_code == 302
        worker = Worker.objects.get(employer=acme)
        listing = hr_client.get(reverse("employer:worker_list")).content.decode()
        assert worker.id_number_masked in listing and number not in listing

    @pytest.mark.parametrize("field, value, message", [
        ("id_number", "370102199101010071", "校验位不正确"),
        ("id_number", "3701021991", "18位"),
        ("phone", "02112345678", "手机号码"),
        ("name", "", "必填项"),
        ("address", "长" * 201, "200"),
    ])
    def test_bad_input_shows_error_and_saves_nothing(self, hr_client, field, value, message):
        data = {"name": "张喆", "id_number": make_id_number("370102", dt.date(1991, 1, 1), 7),
                "phone": "13912345678", "address": "济南"}
        if field == "id_number" and value == "370102199101010071":
            good = data["id_number"]
            value = good[:-1] + ("1" if good[-1] != "1" else "2")
        data[field] = value
        response = hr_client.post(reverse("employer:worker_create"), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Worker.objects.exists()


class TestContractCreate:
    def test_ready_needs_warnings_acknowledged(self, hr_client, li, fixed_term):
        # The shipped Jinan minimum wage is marked unconfirmed, so every draft carries that warning.
        response = hr_client.post(reverse("employer:contract_create"),
                                  {**new_contract_data(li, fixed_term), "action": "save_ready"})
        assert response.status_code == 200 and "请先阅读并确认" in response.content.decode()
        assert not Contract.objects.exists()

    def test_check_shows_findings_without_saving(self, hr_client, li, fixed_term):
        response = hr_client.post(reverse("employer:contract_create"),
                                  {**new_contract_data(li, fixed_term, probation_months=7), "action": "check"})
        body = response.content.decode()
        assert response.status_code == 200 and "劳动合同法第十九条" in body
        assert not Contract.objects.exists()

    def test_save_ready(self, hr_client, li, fixed_term):
        response = hr_client.post(reverse("employer:contract_create"),
                                  {**new_contract_data(li, fixed_term), "action": "save_ready",
                                   "acknowledge_warnings": "on"})
        assert response.status_code == 302
        contract = Contract.objects.get()
        assert contract.status == ContractStatus.READY and contract.current_version.number == 1

    @pytest.mark.parametrize("overrides, field, message", [
        ({"wage_amount": "abc"}, "wage_amount", "请输入金额数字"),
        ({"wage_amount": "-1"}, "wage_amount", "不能为负数"),
        ({"wage_amount": "1000000000000"}, "wage_amount", "9,999,999.99"),
        ({"end_date": "2026-12-31"}, "end_date", "不能早于开始日期"),
        ({"start_date": "2027-02-30"}, "start_date", "请输入有效日期"),
        ({"job_title": "岗" * 101}, "job_title", "100"),
        ({"pay_day": "32"}, "pay_day", "31"),
    ])
    def test_bad_input_is_a_clear_field_error_and_nothing_saved(self, hr_client, li, fixed_term, overrides, field,
                                                                message):
        response = hr_client.post(reverse("employer:contract_create"),
                                  {**new_contract_data(li, fixed_term, **overrides), "action": "save_draft"})
        assert response.status_code == 200
        body = response.content.decode()
        assert f'id="field-{field}"' in body and message in body
        assert not Contract.objects.exists() and not ContractVersion.objects.exists()

    def test_script_in_text_is_escaped_everywhere(self, hr_client, li, fixed_term):
        evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
        response = hr_client.post(reverse("employer:contract_create"), {
            **new_contract_data(li, fixed_term, job_title=evil, supplementary_clauses=evil), "action": "save_draft"})
        assert response.status_code == 302
        contract = Contract.objects.get()
        pages = [hr_client.get(reverse("employer:contract_detail", args=[contract.pk])),
                 hr_client.get(reverse("employer:contract_preview", args=[contract.pk, 1]))]
        for page in pages:
            body = page.content.decode()
            assert "<script>alert" not in body and "<img src=x" not in body
            assert "&lt;script&gt;" in body

    def test_another_employers_worker_is_refused(self, hr_client, rival_worker, fixed_term):
        response = hr_client.post(reverse("employer:contract_create"),
                                  {**new_contract_data(rival_worker, fixed_term), "action": "save_draft"})
        assert response.status_code == 200 and "请选择本单位名册中的劳动者" in response.content.decode()
        assert not Contract.objects.exists()

    def test_live_check_api(self, hr_client, li, fixed_term):
        response = hr_client.post(reverse("employer:contract_check"), new_contract_data(li, fixed_term,
                                                                                       probation_months=7))
        data = response.json()
        assert data["ok"] and any(f["rule"].startswith("art19") for f in data["findings"])
        assert all({"rule", "level", "text", "article", "field"} <= set(f) for f in data["findings"])
        bad = hr_client.post(reverse("employer:contract_check"), new_contract_data(li, fixed_term, wage_amount="x"))
        assert bad.status_code == 200 and not bad.json()["ok"] and "wage_amount" in bad.json()["form_errors"]


class TestObjectAccess:
    @pytest.fixture
    def rival_contract(self, rival, rival_worker, rival_hr, fixed_term):
        return contract_create(employer=rival, worker=rival_worker, model_text=fixed_term, fields=valid_fields(),
                               user=rival_hr)

    @pytest.mark.parametrize("name, args", [("employer:contract_detail", ()), ("employer:contract_edit", ()),
                                            ("employer:contract_preview", (1,))])
    def test_other_employers_contract_is_404(self, hr_client, rival_contract, name, args):
        assert hr_client.get(reverse(name, args=[rival_contract.pk, *args])).status_code == 404

    def test_tampered_edit_post_changes_nothing(self, hr_client, rival_contract):
        response = hr_client.post(reverse("employer:contract_edit", args=[rival_contract.pk]),
                                  {**form_data(job_title="篡改"), "action": "save_draft"})
        assert response.status_code == 404
        assert rival_contract.versions.count() == 1

    def test_tampered_check_api_for_foreign_contract(self, hr_client, rival_contract):
        response = hr_client.post(reverse("employer:contract_check"), {**form_data(), "contract": rival_contract.pk})
        assert response.status_code == 404

    def test_list_shows_only_own_contracts(self, hr_client, rival_contract, acme, li, hr, fixed_term):
        own = contract_create(employer=acme, worker=li, model_text=fixed_term, fields=valid_fields(), user=hr)
        body = hr_client.get(reverse("employer:contract_list")).content.decode()
        assert own.number in body and rival_contract.number not in body


class TestContractList:
    def test_search_and_pagination(self, hr_client, acme, hr, fixed_term):
        from contracts_platform.parties.services import worker_create

        names = ["李晓明", "张喆", "王堃"]
        workers = [worker_create(employer=acme, created_by=hr, name=n, phone="13812345678", address="济南",
                                 id_number=make_id_number("370102", dt.date(1990, 1, 1), i))
                   for i, n in enumerate(names)]
        for i in range(25):
            contract_create(employer=acme, worker=workers[i % 3], model_text=fixed_term, fields=valid_fields(),
                            user=hr)
        page1 = hr_client.get(reverse("employer:contract_list")).content.decode()
        assert "第 1 页，共 2 页" in page1
        page2 = hr_client.get(reverse("employer:contract_list") + "?page=2").content.decode()
        assert page2.count("<tr>") - 1 == 5
        found = hr_client.get(reverse("employer:contract_list") + "?q=王堃").content.decode()
        assert found.count("王堃") >= 8 and "李晓明" not in found
        number = Contract.objects.order_by("pk").first().number
        assert number in hr_client.get(reverse("employer:contract_list") + f"?q={number}").content.decode()
        assert hr_client.get(reverse("employer:contract_list") + "?page=99").status_code == 404
        drafts = hr_client.get(reverse("employer:contract_list") + "?status=ready").content.decode()
        assert "暂无合同" in drafts
