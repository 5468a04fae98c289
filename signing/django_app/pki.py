"""The platform PKI in the database: CA/TSA material, certificates, CRLs, counters, caches.

Hierarchy (see ``signing.pki``): root CA → issuing CA → {TSA, employer and worker
certificates}. Everything is created on first use (:func:`pki_ensure`), so a fresh
``make run`` signs without a set-up step; ``manage.py pki_init`` does the same
explicitly and prints the fingerprints.

Caching: loading a certificate and decrypting its key costs milliseconds and
the in-process time-stamper keeps a dummy token per instance, so both are built
once per process. Cache keys include the certificate fingerprint, which is
immutable; which row is *current* is always read from the database (one small
query), so a revocation or rotation done by another process takes effect here
immediately, without any cross-process invalidation.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse
from django.utils import timezone
from pyhanko.sign.timestamps import TimeStamper

from signing import (
    CertifiedKey,
    InProcessTimeStamper,
    KeyDecryptionError,
    RevocationEntry,
    SigningIdentity,
    TimeStampAuthority,
    build_crl,
    create_issuing_ca,
    create_root_ca,
    http_timestamper,
    issue_tsa_certificate,
    load_certificates,
    load_private_key,
)
from signing.django_app.errors import PKI_PASSPHRASE_WRONG, PkiConfigurationError
from signing.django_app.models import (
    AuthorityKind,
    Counter,
    PlatformAuthority,
    PublishedCrl,
    Revocation,
    RevocationReason,
)

CRL_VALIDITY = timedelta(days=7)
# Re-issue a CRL once half its lifetime has passed, so a published CRL is never
# close to its nextUpdate (hard-fail verifiers reject a stale one).
CRL_REFRESH_AFTER = CRL_VALIDITY / 2
TSA_SERIAL_COUNTER = "tsa_serial"
_CA_KINDS = (AuthorityKind.ROOT, AuthorityKind.ISSUING)


# -- secrets ------------------------------------------------------------------------------


def pki_passphrase() -> str:
    return settings.HEQIAN_PKI_KEY


def pseudonym_key() -> bytes:
    return settings.HEQIAN_PKI_PSEUDONYM_KEY.encode("utf-8")


def decrypt_key(blob: bytes) -> object:
    """Decrypt a stored key; a wrong ``HEQIAN_PKI_KEY`` becomes a configuration error, not a crash."""
    try:
        return load_private_key(bytes(blob), pki_passphrase())
    except KeyDecryptionError as exc:
        raise PkiConfigurationError(str(PKI_PASSPHRASE_WRONG)) from exc


# -- URLs and names -----------------------------------------------------------------------


def pki_url(filename: str) -> str:
    """Absolute URL of a published PKI file (``root.crl``, ``issuing.crt``, ...), as certificates embed it."""
    return f"{settings.SITE_URL}{reverse('pki:file', kwargs={'filename': filename})}"


def _common_name(kind: str) -> str:
    # A development PKI must never be mistaken for the production one in a PDF viewer.
    prefix = "HeQian" if settings.PRODUCTION else "HeQian Development"
    return {AuthorityKind.ROOT: f"{prefix} Root CA", AuthorityKind.ISSUING: f"{prefix} Issuing CA",
            AuthorityKind.TSA: f"{prefix} Time-Stamping Authority"}[kind]


# -- persisted certificate <-> CertifiedKey -----------------------------------------------


def serial_hex(certificate: x509.Certificate) -> str:
    return format(certificate.serial_number, "x")


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def certificate_fields(ck: CertifiedKey) -> dict[str, object]:
    """Model field values for a freshly issued certificate and its (encrypted) key."""
    cert = ck.certificate
    return {"certificate_pem": ck.certificate_pem().decode("ascii"),
            "encrypted_key": ck.encrypted_key_pem(pki_passphrase()),
            "serial": serial_hex(cert), "fingerprint_sha256": fingerprint(cert),
            "subject": cert.subject.rfc4514_string()[:300],
            "not_before": cert.not_valid_before_utc, "not_after": cert.not_valid_after_utc}


def load_certificate(pem: str) -> x509.Certificate:
    return load_certificates(pem.encode("ascii"))[0]


def certified(row: PlatformAuthority, *, with_key: bool) -> CertifiedKey:
    key = decrypt_key(row.encrypted_key) if with_key else None
    return CertifiedKey(load_certificate(row.certificate_pem), key)  # type: ignore[arg-type]


# -- creating the hierarchy ---------------------------------------------------------------


def _current_rows() -> dict[str, PlatformAuthority]:
    return {row.kind: row for row in PlatformAuthority.objects.filter(retired_at__isnull=True)}


def pki_ensure() -> dict[str, PlatformAuthority]:
    """Create whatever part of root CA → issuing CA → TSA is missing; return the current rows.

    Idempotent and safe to race: one current row per kind is a unique
    constraint, so a concurrent creator loses with an IntegrityError and the
    rows that won are returned.
    """
    current = _current_rows()
    if all(kind in current for kind in AuthorityKind.values):
        return current
    try:
        with transaction.atomic():
            current = _current_rows()
            root_row = current.get(AuthorityKind.ROOT)
            if root_row is None:
                root = create_root_ca(_common_name(AuthorityKind.ROOT))
                root_row = PlatformAuthority.objects.create(kind=AuthorityKind.ROOT, **certificate_fields(root))
            issuing_row = current.get(AuthorityKind.ISSUING)
            if issuing_row is None:
                issuing = create_issuing_ca(certified(root_row, with_key=True), _common_name(AuthorityKind.ISSUING),
                                            crl_url=pki_url("root.crl"), issuer_url=pki_url("root.crt"))
                issuing_row = PlatformAuthority.objects.create(kind=AuthorityKind.ISSUING,
                                                               **certificate_fields(issuing))
            if AuthorityKind.TSA not in current:
                tsa = issue_tsa_certificate(certified(issuing_row, with_key=True), _common_name(AuthorityKind.TSA),
                                            crl_url=pki_url("issuing.crl"), issuer_url=pki_url("issuing.crt"))
                PlatformAuthority.objects.create(kind=AuthorityKind.TSA, **certificate_fields(tsa))
    except IntegrityError:
        pass  # another process created the same kind first; use its rows
    return _current_rows()


def current_authority(kind: str) -> PlatformAuthority:
    row = PlatformAuthority.objects.filter(kind=kind, retired_at__isnull=True).first()
    if row is None:
        row = pki_ensure()[kind]
    return row


# -- counters -----------------------------------------------------------------------------


def _counter_upsert(conn: BaseDatabaseWrapper, name: str) -> int:
    table = conn.ops.quote_name(Counter._meta.db_table)
    with conn.cursor() as cursor:
        # One statement: atomic on its own, row-locked on PostgreSQL until the
        # surrounding transaction ends (autocommit: immediately), so concurrent
        # callers get distinct, increasing values.
        cursor.execute(
            f"INSERT INTO {table} (name, value) VALUES (%s, 1) "  # noqa: S608 - table name from our model
            f"ON CONFLICT (name) DO UPDATE SET value = {table}.value + 1 RETURNING value",
            [name],
        )
        return int(cursor.fetchone()[0])


# The database connection of the thread that is about to run pyHanko's event loop
# (see counter_next). Inside asyncio.run, ``connections[...]`` is not that thread's
# connection any more: Django's connection handler is context-local, and a task
# runs in a copied context, so it hands out a fresh (unconnected) wrapper.
_outer_connection: ContextVar[BaseDatabaseWrapper | None] = ContextVar("heqian_outer_connection", default=None)


@contextmanager
def serials_from_this_connection() -> Iterator[None]:
    """Let TSA serials taken inside pyHanko's event loop use this thread's connection and transaction.

    Wrap every core call that timestamps with the in-process TSA
    (``seal_as_employer``, ``sign_as_worker``, ``archive_lta``, ``async_timestamp``).
    """
    token = _outer_connection.set(connections[DEFAULT_DB_ALIAS])
    try:
        yield
    finally:
        _outer_connection.reset(token)


def _counter_on_own_connection(name: str) -> int:
    try:
        return _counter_upsert(connections[DEFAULT_DB_ALIAS], name)
    finally:
        connections[DEFAULT_DB_ALIAS].close()  # this helper thread ends now; do not leak its connection


def counter_next(name: str) -> int:
    """The next value of a named monotonic counter (1, 2, 3, ...; gaps only if a transaction rolls back).

    Also callable from inside pyHanko's event loop (the in-process TSA asks for
    a serial while a PDF is being signed), where Django refuses database access
    as "async unsafe". There the statement runs on a helper thread that borrows
    the connection registered by :func:`serials_from_this_connection`: the loop
    thread is blocked waiting for it, so the connection is never used by two
    threads at once, and the value is taken in the caller's transaction exactly
    as a direct call would. Without a registered connection the helper thread
    opens (and closes) its own, committing the increment on its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _counter_upsert(connections[DEFAULT_DB_ALIAS], name)
    conn = _outer_connection.get()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="heqian-counter") as pool:
        if conn is None:
            return pool.submit(_counter_on_own_connection, name).result()
        conn.inc_thread_sharing()
        try:
            return pool.submit(_counter_upsert, conn, name).result()
        finally:
            conn.dec_thread_sharing()


def _tsa_serial() -> int:
    return counter_next(TSA_SERIAL_COUNTER)


# -- the platform bundle (cached) ---------------------------------------------------------


@dataclass(frozen=True)
class PlatformPki:
    """Current root (certificate only), issuing CA and TSA (with keys) and the in-process TSA."""

    root: CertifiedKey
    issuing: CertifiedKey
    tsa: CertifiedKey
    issuing_id: int
    authority: TimeStampAuthority
    timestamper: InProcessTimeStamper

    @property
    def chain(self) -> list[x509.Certificate]:
        """Certificates a signer embeds above its own: the issuing CA (verifiers configure the root)."""
        return [self.issuing.certificate]

    @property
    def issuing_pem(self) -> bytes:
        return self.issuing.certificate_pem()


_lock = threading.Lock()
_platform_cache: dict[tuple, PlatformPki] = {}
_identity_cache: OrderedDict[str, SigningIdentity] = OrderedDict()
_IDENTITY_CACHE_SIZE = 512
_http_timestampers: dict[str, TimeStamper] = {}


def platform_pki() -> PlatformPki:
    """The current platform CA/TSA material, created on first use and cached per process."""
    rows = _current_rows()
    if len(rows) < len(AuthorityKind.values):
        rows = pki_ensure()
    key = tuple(sorted((kind, row.fingerprint_sha256) for kind, row in rows.items()))
    with _lock:
        cached = _platform_cache.get(key)
    if cached is not None:
        return cached
    root = certified(rows[AuthorityKind.ROOT], with_key=False)  # the root key stays encrypted unless a CRL is due
    issuing = certified(rows[AuthorityKind.ISSUING], with_key=True)
    tsa = certified(rows[AuthorityKind.TSA], with_key=True)
    authority = TimeStampAuthority(tsa.certificate, tsa.require_key(), [issuing.certificate],
                                   serial_source=_tsa_serial)
    bundle = PlatformPki(root=root, issuing=issuing, tsa=tsa, issuing_id=rows[AuthorityKind.ISSUING].pk,
                         authority=authority, timestamper=InProcessTimeStamper(authority))
    with _lock:
        _platform_cache.clear()  # only the current generation is worth keeping
        _platform_cache[key] = bundle
    return bundle


def pki_cache_clear() -> None:
    """Forget cached material (after a rotation, in tests). Revocations need no clearing (see module doc)."""
    with _lock:
        _platform_cache.clear()
        _identity_cache.clear()
        _http_timestampers.clear()


def signing_identity(*, certificate_pem: str, encrypted_key: bytes, fingerprint_sha256: str,
                     chain_pem: bytes) -> SigningIdentity:
    """A signer identity from persisted material, cached by certificate fingerprint."""
    with _lock:
        hit = _identity_cache.get(fingerprint_sha256)
        if hit is not None:
            _identity_cache.move_to_end(fingerprint_sha256)
            return hit
    try:
        identity = SigningIdentity.load(certificate=certificate_pem.encode("ascii"), encrypted_key=bytes(encrypted_key),
                                        passphrase=pki_passphrase(), chain=chain_pem)
    except KeyDecryptionError as exc:
        raise PkiConfigurationError(str(PKI_PASSPHRASE_WRONG)) from exc
    with _lock:
        _identity_cache[fingerprint_sha256] = identity
        while len(_identity_cache) > _IDENTITY_CACHE_SIZE:
            _identity_cache.popitem(last=False)
    return identity


def signing_timestamper() -> TimeStamper:
    """What signatures are timestamped with: ``HEQIAN_TSA_URL`` if set, else the in-process platform TSA."""
    url = getattr(settings, "HEQIAN_TSA_URL", "")
    if not url:
        return platform_pki().timestamper
    with _lock:
        stamper = _http_timestampers.get(url)
        if stamper is None:
            # One instance per URL: pyHanko caches its size-estimation dummy token per instance.
            stamper = _http_timestampers[url] = http_timestamper(url)
    return stamper


def trust_roots() -> list[x509.Certificate]:
    """Every platform root ever used (a retired root still anchors what it signed)."""
    pki_ensure()
    return [load_certificate(pem) for pem in
            PlatformAuthority.objects.filter(kind=AuthorityKind.ROOT).values_list("certificate_pem", flat=True)]


# -- revocation and CRLs ------------------------------------------------------------------


def _reason_flag(reason: str) -> x509.ReasonFlags | None:
    # RFC 5280 §5.3.1: "unspecified" SHOULD NOT be encoded; leave the extension out.
    if not reason or reason == RevocationReason.UNSPECIFIED:
        return None
    return x509.ReasonFlags[reason]


def _crl_stale(crl: PublishedCrl | None, authority: PlatformAuthority, now: datetime) -> bool:
    if crl is None or crl.this_update + CRL_REFRESH_AFTER <= now:
        return True
    return authority.revocations.filter(created__gt=crl.created).exists()


def crl_current(authority: PlatformAuthority, *, now: datetime | None = None) -> PublishedCrl:
    """The issuer's newest CRL, issuing a new one first if it is stale or a revocation is newer.

    The issuer row is locked while the number is taken, so concurrent callers
    never issue two CRLs with the same number; the second one finds the fresh CRL.
    """
    now = now or timezone.now()
    latest = authority.crls.order_by("-number").first()
    if not _crl_stale(latest, authority, now):
        return latest  # type: ignore[return-value]
    with transaction.atomic():
        locked = PlatformAuthority.objects.select_for_update().get(pk=authority.pk)
        latest = locked.crls.order_by("-number").first()
        if not _crl_stale(latest, locked, now):
            return latest  # type: ignore[return-value]
        entries = [RevocationEntry(int(r.serial, 16), r.revoked_at, _reason_flag(r.reason))
                   for r in locked.revocations.order_by("revoked_at", "pk")]
        number = locked.crl_number + 1
        crl = build_crl(certified(locked, with_key=True), entries, number=number, this_update=now,
                        validity=CRL_VALIDITY)
        locked.crl_number = number
        locked.save(update_fields=["crl_number"])
        return PublishedCrl.objects.create(
            issuer=locked, number=number, this_update=crl.last_update_utc, next_update=crl.next_update_utc,
            revoked_count=len(entries), der=crl.public_bytes(serialization.Encoding.DER))


def current_crls() -> list[bytes]:
    """Fresh DER CRLs of every platform CA (retired issuers included: their certificates still circulate)."""
    pki_ensure()
    return [bytes(crl_current(a).der) for a in PlatformAuthority.objects.filter(kind__in=_CA_KINDS).order_by("pk")]


def revocation_record(*, issuer: PlatformAuthority, serial: str, reason: str, now: datetime | None = None
                      ) -> Revocation:
    """Record a revocation (idempotent per certificate) and publish the issuer's new CRL.

    The time is cut to whole seconds (what the CRL can say), rounding down: a
    signature in the same second as the revocation counts as after it.
    """
    revoked_at = (now or timezone.now()).replace(microsecond=0)
    with transaction.atomic():
        record, _created = Revocation.objects.get_or_create(
            issuer=issuer, serial=serial, defaults={"revoked_at": revoked_at, "reason": reason})
        crl_current(issuer)
    return record
