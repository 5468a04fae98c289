"""Writes of the evidence app: build and store a contract's evidence package, log its downloads.

Building takes most of a second (verification, the report PDF, the signed and
timestamped manifest), so it runs outside any transaction; only storing the ZIP,
the row and the evidence event is one short ``transaction.atomic()``. Callers on
a request path use :func:`evidence_package_build_later` (Celery task
``evidence.build_package``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts_platform.accounts.models import User
from contracts_platform.archive.store import archive_put
from contracts_platform.contracts.models import Contract
from contracts_platform.evidence import events
from contracts_platform.evidence.builder import BuiltPackage, assemble
from contracts_platform.evidence.models import EvidencePackage
from contracts_platform.evidence.selectors import ContractNotSignedError, PackageSources, package_sources

__all__ = ["ContractNotSignedError", "evidence_package_accessed", "evidence_package_assemble",
           "evidence_package_build", "evidence_package_build_later"]

ZIP_CONTENT_TYPE = "application/zip"
_CASE_REF_MAX = 64


def _case_ref(value: str | None) -> str:
    ref = (value or "").strip()
    if len(ref) > _CASE_REF_MAX:
        raise ValueError(f"case_ref longer than {_CASE_REF_MAX} characters")
    return ref


def evidence_package_assemble(*, contract: Contract, case_ref: str | None = None
                              ) -> tuple[PackageSources, BuiltPackage]:
    """Build a package's bytes without storing anything (no cache): for benchmarks and previews."""
    sources = package_sources(contract=contract, case_ref=_case_ref(case_ref))
    return sources, assemble(sources, built_at=timezone.now())


def evidence_package_build(*, contract: Contract, case_ref: str | None = None,
                           actor: User | None = None) -> EvidencePackage:
    """The evidence package of ``contract``, building and archiving it unless the same inputs were built.

    Idempotent per (contract, archived PDF, the contract's evidence-event head,
    its daily Merkle roots and their tokens, case reference): a repeat returns
    the stored package and writes nothing. A concurrent duplicate build loses on
    the unique constraint and returns the winner. Raises
    ``ContractNotSignedError`` if the contract has no signed document.
    """
    ref = _case_ref(case_ref)
    sources = package_sources(contract=contract, case_ref=ref)
    key = sources.inputs_sha256
    existing = EvidencePackage.objects.filter(contract=contract, inputs_sha256=key).select_related("zip").first()
    if existing is not None:
        return existing
    built_at = timezone.now()
    built = assemble(sources, built_at=built_at)
    try:
        with transaction.atomic():
            stored = archive_put(built.zip_bytes, content_type=ZIP_CONTENT_TYPE)
            package = EvidencePackage.objects.create(
                contract=contract, case_ref=ref, zip=stored, manifest_sha256=built.manifest_sha256,
                pdf_sha256=sources.document.pdf_id, event_head_seq=sources.head[0], inputs_sha256=key,
                built_at=built_at, built_by=actor)
            events.package_built_event(package=package, actor=actor)
    except IntegrityError:
        return EvidencePackage.objects.select_related("zip").get(contract=contract, inputs_sha256=key)
    return package


def evidence_package_build_later(*, contract: Contract, case_ref: str | None = None,
                                 actor: User | None = None) -> None:
    """Queue ``evidence.build_package`` once the caller's transaction commits."""
    from contracts_platform.evidence.tasks import build_package

    ref = _case_ref(case_ref)
    actor_id = actor.pk if actor is not None else None
    transaction.on_commit(lambda: build_package.delay(contract.pk, ref, actor_id))


def evidence_package_accessed(*, package: EvidencePackage, user: User | None,
                              request_meta: Mapping[str, str] | None = None) -> None:
    """Record that ``user`` downloaded ``package`` (``evidence.package_downloaded`` under the contract).

    ``request_meta`` is what ``contracts.events.request_meta(request)`` returns
    (``ip``, ``user_agent``). Call it in the download view's transaction, before
    the response streams: an access that is not logged must not happen.
    """
    meta = request_meta or {}
    with transaction.atomic():
        events.package_downloaded_event(package=package, user=user, ip=meta.get("ip") or None,
                                        user_agent=(meta.get("user_agent") or "")[:300])
