"""One realistic evidence package per test session, built through the real flow (``run_demo``).

``run_demo`` drives the whole signing process (about 5 s), so it runs once per
module in a fixture rather than once per test. It needs committed transactions
(``transaction=True`` semantics: in-process Celery tasks run on commit), so the
fixture writes with the database unblocked and flushes it afterwards, exactly
what a transactional test does; the flush re-seeds the reference data through
``post_migrate``.

The demo runs "yesterday" (frozen clock) so that its day can be closed: the
daily Merkle root is computed and timestamped for real, and the package carries
inclusion proofs and a root token. Everything after that runs at the real time,
so openssl and pyHanko in a subprocess see valid certificates.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from freezegun import freeze_time

from contracts_platform.evidence import package_format as fmt
from signing import InProcessTimeStamper, SigningIdentity, TimeStampAuthority, create_root_ca, sign_detached

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "evidence"
CASE_REF = "济劳人仲案字〔2026〕第101号"


@dataclass
class BuiltPackages:
    """What the module fixture produced, as plain values (the database is flushed afterwards)."""

    zip_bytes: bytes
    contract_number: str
    worker_id_number: str
    worker_phone: str
    first_pk: int
    second_pk: int
    zip_objects: int
    task_zip_sha256: str
    first_zip_sha256: str
    after_download_zip: bytes
    after_download_sha256: str
    download_event_payload: dict
    resigner: SigningIdentity
    timestamper: InProcessTimeStamper
    root_pem: bytes
    files: dict[str, bytes] = field(default_factory=dict)


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    return fmt.deterministic_zip(files)


def resign(built: BuiltPackages, files: dict[str, bytes]) -> dict[str, bytes]:
    """An insider's re-sealed package: SHA256SUMS, manifest and signature recomputed with the platform key.

    Lets a test change content *consistently* so that only the deeper checks
    (event hashes, Merkle proofs, PDF signatures) can catch it.
    """
    files = dict(files)
    files[fmt.SUMS_PATH] = fmt.sha256sums(files)
    old = json.loads(files[fmt.MANIFEST_PATH])
    meta = {k: v for k, v in old.items() if k not in ("files", "format", "format_version")}
    files[fmt.MANIFEST_PATH] = fmt.manifest_bytes(files, meta)
    files[fmt.SIGNATURE_PATH] = sign_detached(files[fmt.MANIFEST_PATH], built.resigner, timestamper=built.timestamper)
    return files


def _refuse_non_test_database() -> None:
    """This fixture commits and then flushes: make sure that happens to a test database only.

    pytest-django creates the test database only when some collected test
    carries a ``django_db`` mark; without one the connection still points at
    the developer database (every module here is marked, this is the backstop).
    """
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if not ("memory" in name or Path(name).name.startswith("test")):
        raise RuntimeError(f"refusing to build and flush evidence fixtures in a non-test database: {name}")


@pytest.fixture(scope="session")
def built(django_db_setup, django_db_blocker, tmp_path_factory) -> BuiltPackages:
    from contracts_platform.archive.models import StoredObject
    from contracts_platform.archive.services import merkle_roots_catch_up
    from contracts_platform.archive.store import archive_get
    from contracts_platform.evidence.models import EvidencePackage
    from contracts_platform.evidence.services import evidence_package_accessed, evidence_package_build
    from contracts_platform.evidence.signer import _platform_signer
    from contracts_platform.evidence.tasks import build_package
    from signing.django_app.pki import pki_cache_clear, platform_pki
    from signing.django_app.services import merkle_roots_timestamp
    from workflows.demo import run_demo

    archive = tmp_path_factory.mktemp("evidence-archive")
    storages = {**settings.STORAGES, "archive": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                 "OPTIONS": {"location": str(archive)}}}
    # cryptography's Rust core caches the datetime class on first use; if that first use happened
    # under freezegun it would reject real datetimes for the rest of the session.
    create_root_ca("warm-up")
    with django_db_blocker.unblock(), override_settings(STORAGES=storages):
        _refuse_non_test_database()
        pki_cache_clear()  # an earlier flush may have removed the PKI rows the cache points at
        try:
            with freeze_time(dt.datetime.now(dt.UTC) - dt.timedelta(days=1), tick=True):
                demo = run_demo()
            merkle_roots_catch_up()
            merkle_roots_timestamp()
            contract = demo.contract
            worker = contract.worker
            first = evidence_package_build(contract=contract, case_ref=CASE_REF)
            second = evidence_package_build(contract=contract, case_ref=CASE_REF)
            task_sha = build_package.delay(contract.pk, CASE_REF, None).get()
            zip_objects = StoredObject.objects.filter(content_type="application/zip").count()
            zip_bytes = archive_get(first.zip_id)

            evidence_package_accessed(package=first, user=None,
                                      request_meta={"ip": "10.0.0.7", "user_agent": "arbitrator-browser/1.0"})
            after = evidence_package_build(contract=contract, case_ref=CASE_REF)
            after_zip = archive_get(after.zip_id)
            from contracts_platform.archive.models import EvidenceEvent

            download = EvidenceEvent.objects.get(event_type="evidence.package_downloaded")
            identity, _row = _platform_signer()
            pki = platform_pki()
            # A DB-free timestamper with the platform TSA key, for re-sealing tampered packages.
            stamper = InProcessTimeStamper(TimeStampAuthority(pki.tsa.certificate, pki.tsa.require_key(),
                                                              [pki.issuing.certificate]))
            result = BuiltPackages(
                zip_bytes=zip_bytes, contract_number=contract.number, worker_id_number=worker.id_number,
                worker_phone=worker.phone, first_pk=first.pk, second_pk=second.pk, zip_objects=zip_objects,
                task_zip_sha256=task_sha, first_zip_sha256=first.zip_id, after_download_zip=after_zip,
                after_download_sha256=after.zip_id,
                download_event_payload={**json.loads(download.payload),
                                        "subject_id": download.subject_id},
                resigner=identity, timestamper=stamper, root_pem=pki.root.certificate_pem(),
                files=unzip(zip_bytes))
            assert EvidencePackage.objects.count() == 2
        finally:
            call_command("flush", interactive=False, verbosity=0)
            pki_cache_clear()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "evidence.zip").write_bytes(result.zip_bytes)
    return result
