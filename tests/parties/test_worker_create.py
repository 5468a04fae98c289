import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from contracts_platform.core import pii
from contracts_platform.parties.identifiers import make_id_number
from contracts_platform.parties.models import Worker
from contracts_platform.parties.services import worker_create, worker_find_by_id_number

pytestmark = pytest.mark.django_db


class TestWorkerCreate:
    def test_id_number_is_encrypted_at_rest_and_masked(self, li):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number, id_number_masked FROM parties_worker WHERE id = %s", [li.pk])
            stored, masked = cursor.fetchone()
        plain = make_id_number("370102", dt.date(1992, 5, 17), 101)
        assert plain not in stored and "19920517" not in stored
        assert pii.decrypt(stored) == plain
        assert masked == plain[:3] + "*" * 11 + plain[-4:]
        assert Worker.objects.get(pk=li.pk).id_number == plain

    def test_found_by_keyed_hash_across_employers(self, li, rival, rival_hr):
        again = worker_create(employer=rival, created_by=rival_hr, name="李晓明", id_number=li.id_number,
                              phone="13700000000", address="青岛")
        assert {w.pk for w in worker_find_by_id_number(id_number=li.id_number)} == {li.pk, again.pk}
        assert li.id_number_hash != li.id_number and len(li.id_number_hash) == 64

    def test_duplicate_in_same_employer_refused(self, li, acme, hr):
        with pytest.raises(ValidationError) as exc:
            worker_create(employer=acme, created_by=hr, name="李晓明", id_number=li.id_number,
                          phone="13812345678", address="x")
        assert "id_number" in exc.value.message_dict
        assert Worker.objects.filter(employer=acme).count() == 1

    @pytest.mark.parametrize("field, value", [("id_number", "370102199205171012"), ("phone", "12345")])
    def test_bad_input_saves_nothing(self, acme, hr, field, value):
        data = {"name": "某人", "id_number": make_id_number("370102", dt.date(1990, 1, 1), 5),
                "phone": "13812345678", "address": "济南"}
        data[field] = value
        if field == "id_number":  # make sure the check digit is really wrong
            good = make_id_number("370102", dt.date(1992, 5, 17), 101)
            data[field] = good[:-1] + ("1" if good[-1] != "1" else "2")
        with pytest.raises(ValidationError) as exc:
            worker_create(employer=acme, created_by=hr, **data)
        assert field in exc.value.message_dict
        assert not Worker.objects.exists()
