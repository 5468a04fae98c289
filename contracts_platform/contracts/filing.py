"""Employment filing (劳动用工备案) with the labor bureau, through a pluggable exporter.

No national interface exists (legal.md §6); each bureau has its own format. The
default exporter is the adapter seam: it writes the filing record with the fields
of legal.md §6.2 as JSON to the outbox (``FilingRecord``) and logs it. A real
deployment points ``HEQIAN_FILING_EXPORTER`` at a class that talks to its bureau.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from contracts_platform.archive.services import evidence_append
from contracts_platform.contracts.models import Contract, FilingRecord
from contracts_platform.core.canonical import canonical_sha256
from contracts_platform.parties.identifiers import id_number_birth_date

logger = logging.getLogger("heqian.filing")


class FilingExporter(Protocol):
    def export(self, record: dict[str, Any]) -> str:
        """Submit one record; return the bureau's (or outbox's) reference."""


class OutboxFilingExporter:
    """Offline default: the record stays in the platform's filing outbox."""

    def export(self, record: dict[str, Any]) -> str:
        logger.info("filing record for contract %s queued in the outbox", record["contract"]["number"])
        return f"outbox:{canonical_sha256(record)[:16]}"


def filing_record(*, contract: Contract) -> dict[str, Any]:
    """The employment-filing fields (legal.md §6.2): employer, worker, term, post."""
    terms = contract.current_version.full_terms()
    worker_id = terms["worker"]["id_number"]
    gender = "male" if int(worker_id[16]) % 2 else "female"
    return {
        "employer": {"credit_code": contract.employer.credit_code, "name": contract.employer.name,
                     "address": contract.employer.address, "legal_representative":
                         contract.employer.legal_representative, "region": contract.employer.region},
        "worker": {"name": terms["worker"]["name"], "id_number": worker_id, "gender": gender,
                   "birth_date": id_number_birth_date(worker_id).isoformat()},
        "contract": {"number": contract.number, "type": terms.get("contract_type"),
                     "start_date": terms.get("start_date"), "end_date": terms.get("end_date"),
                     "job_title": terms.get("job_title"), "work_location": terms.get("work_location"),
                     "terms_sha256": contract.current_version.terms_sha256},
    }


def filing_submit(*, contract: Contract) -> FilingRecord:
    """File once per contract (idempotent)."""
    existing = FilingRecord.objects.filter(contract=contract).first()
    if existing:
        return existing
    exporter: FilingExporter = import_string(
        getattr(settings, "HEQIAN_FILING_EXPORTER", "contracts_platform.contracts.filing.OutboxFilingExporter"))()
    record = filing_record(contract=contract)
    reference = exporter.export(record)
    with transaction.atomic():
        filing = FilingRecord.objects.create(contract=contract, record=record, reference=reference)
        # The evidence log gets the record's hash, not the ID number.
        evidence_append(event_type="contract.filed", actor=None, subject_type="contract", subject_id=str(contract.pk),
                        payload={"contract_number": contract.number, "reference": reference,
                                 "record_sha256": canonical_sha256(record)})
    return filing
