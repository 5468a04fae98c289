"""Content-addressed, write-once object store on ``storages["archive"]``.

The key of an object is the SHA-256 hex of its bytes; it lives at
``ab/cd/<sha256>``. Only the portable storage API is used (``exists``, ``open``,
``save``, ``delete`` of our own just-written duplicate), so the filesystem
backend and django-storages' S3Storage (``file_overwrite=False``, ideally a
bucket with Object Lock) behave the same.

Files and rows are not in one transaction: a file may outlive a rolled-back
``StoredObject`` row. That orphan is harmless (the next ``archive_put`` of the
same bytes verifies and adopts it); a row without its file is what the audit
reports.
"""

from __future__ import annotations

import hashlib
import re

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

from contracts_platform.archive.errors import (
    ArchiveIntegrityError,
    ArchiveObjectMissing,
    ArchiveWriteConflict,
)
from contracts_platform.archive.models import StoredObject
from contracts_platform.core.canonical import sha256_hex

_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1024 * 1024


def archive_storage() -> Storage:
    return storages["archive"]


def archive_key_path(sha256: str) -> str:
    """Storage path of a key; also the guard against path tricks in caller-given keys."""
    if not _SHA256_RE.match(sha256):
        raise ValueError(f"not a lowercase SHA-256 hex key: {sha256[:80]!r}")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def hash_stored(storage: Storage, path: str) -> tuple[str, int]:
    """SHA-256 hex and size of a stored file, streamed so large objects stay out of memory."""
    digest = hashlib.sha256()
    size = 0
    with storage.open(path, "rb") as fh:
        for chunk in fh.chunks(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _check_existing(storage: Storage, key: str, path: str) -> None:
    actual, _size = hash_stored(storage, path)
    if actual != key:
        # Write-once: a corrupted object is restored from backup by an operator,
        # never silently overwritten (and WORM storage would refuse anyway).
        raise ArchiveWriteConflict(key, f"stored body hashes to {actual}")


def archive_put(data: bytes, *, content_type: str, expected_sha256: str | None = None) -> StoredObject:
    """Store ``data`` under its SHA-256 and return its ``StoredObject`` row.

    Idempotent: storing the same bytes again writes nothing and returns the
    existing row. ``expected_sha256`` is the explicit-key form: a caller that
    already recorded the hash (e.g. in an evidence event) is refused with
    ``ArchiveWriteConflict`` if the bytes do not match it. Also refused: a
    different body already sitting at the key's path.

    Call inside the caller's transaction so the row commits with the business
    change; the file itself is written immediately.
    """
    key = sha256_hex(data)
    if expected_sha256 is not None and expected_sha256 != key:
        archive_key_path(expected_sha256)
        raise ArchiveWriteConflict(expected_sha256, f"body hashes to {key}")
    path = archive_key_path(key)
    storage = archive_storage()
    if storage.exists(path):
        _check_existing(storage, key, path)
    else:
        saved = storage.save(path, ContentFile(data))
        if saved != path:
            # Someone stored the same key between exists() and save(); the backend
            # picked another name for our copy. Drop our copy, check theirs.
            storage.delete(saved)
            _check_existing(storage, key, path)
    obj, _created = StoredObject.objects.get_or_create(
        sha256=key, defaults={"size": len(data), "content_type": content_type})
    return obj


def archive_get(sha256: str) -> bytes:
    """The bytes stored under ``sha256``, re-hashed on every read.

    Raises ``ArchiveObjectMissing`` or ``ArchiveIntegrityError`` (naming the key).
    """
    path = archive_key_path(sha256)
    storage = archive_storage()
    try:
        with storage.open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise ArchiveObjectMissing(sha256) from None
    actual = sha256_hex(data)
    if actual != sha256:
        raise ArchiveIntegrityError(sha256, actual)
    return data


def archive_exists(sha256: str) -> bool:
    return archive_storage().exists(archive_key_path(sha256))
