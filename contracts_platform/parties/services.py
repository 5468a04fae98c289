"""Writes for employers and workers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contracts_platform.accounts.models import User
from contracts_platform.core import pii
from contracts_platform.parties.identifiers import normalise_credit_code, normalise_id_number
from contracts_platform.parties.models import Employer, EmployerMembership, EmployerRole, Worker

WORKER_DUPLICATE = "该身份证号码的劳动者已在本单位名册中。"


def employer_create(*, name: str, credit_code: str, legal_representative: str, address: str,
                    region: str) -> Employer:
    employer = Employer(name=name.strip(), credit_code=normalise_credit_code(credit_code),
                        legal_representative=legal_representative.strip(), address=address.strip(),
                        region=region.strip())
    employer.full_clean()
    employer.save()
    return employer


def membership_add(*, employer: Employer, user: User, role: EmployerRole) -> EmployerMembership:
    membership, _created = EmployerMembership.objects.update_or_create(
        employer=employer, user=user, defaults={"role": role})
    return membership


@transaction.atomic
def worker_create(*, employer: Employer, created_by: User | None, name: str, id_number: str, phone: str,
                  address: str) -> Worker:
    id_number = normalise_id_number(id_number)
    worker = Worker(employer=employer, name=name.strip(), phone=phone.strip(), address=address.strip(),
                    created_by=created_by)
    worker.set_id_number(id_number)
    worker.full_clean(exclude=["id_number_hash", "id_number_masked"])
    if Worker.objects.filter(employer=employer, id_number_hash=worker.id_number_hash).exists():
        raise ValidationError({"id_number": _(WORKER_DUPLICATE)}, code="worker_duplicate")
    worker.save()
    return worker


def worker_find_by_id_number(*, id_number: str) -> list[Worker]:
    """All employers' records of one person, matched via the keyed hash only."""
    return list(Worker.objects.filter(id_number_hash=pii.lookup_hash(normalise_id_number(id_number))))
