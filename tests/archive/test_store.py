from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contracts_platform.archive.errors import ArchiveIntegrityError, ArchiveObjectMissing, ArchiveWriteConflict
from contracts_platform.archive.models import StoredObject
from contracts_platform.archive.store import archive_get, archive_key_path, archive_put
from contracts_platform.core.canonical import sha256_hex

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% \xe5\x8a\xb3\xe5\x8a\xa8\xe5\x90\x88\xe5\x90\x8c\n" + bytes(range(256)) * 40


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


class TestArchivePut:
    def test_round_trip(self, archive_root: Path) -> None:
        obj = archive_put(PDF, content_type="application/pdf")
        assert obj.sha256 == sha256_hex(PDF)
        assert (obj.size, obj.content_type) == (len(PDF), "application/pdf")
        assert archive_get(obj.sha256) == PDF
        key = obj.sha256
        assert stored_files(archive_root) == [archive_root / key[:2] / key[2:4] / key]

    def test_same_body_twice_writes_once(self, archive_root: Path, archive_storage, monkeypatch) -> None:
        first = archive_put(PDF, content_type="application/pdf")
        saves = []
        real_save = archive_storage.save
        monkeypatch.setattr(archive_storage, "save", lambda *a, **kw: saves.append(a) or real_save(*a, **kw))
        second = archive_put(PDF, content_type="application/pdf")
        assert second.pk == first.pk
        assert saves == []
        assert len(stored_files(archive_root)) == 1
        assert StoredObject.objects.count() == 1

    def test_different_body_under_existing_key_is_refused(self, archive_root: Path) -> None:
        key = sha256_hex(PDF)
        # Something else already sits at the key's path (corruption, or a rogue writer).
        path = archive_root / archive_key_path(key)
        path.parent.mkdir(parents=True)
        path.write_bytes(b"not the contract")
        with pytest.raises(ArchiveWriteConflict) as exc:
            archive_put(PDF, content_type="application/pdf")
        assert exc.value.key == key
        assert path.read_bytes() == b"not the contract"  # untouched: the store never overwrites
        assert not StoredObject.objects.exists()

    def test_explicit_key_with_other_body_is_refused(self) -> None:
        key = archive_put(PDF, content_type="application/pdf").sha256
        with pytest.raises(ArchiveWriteConflict) as exc:
            archive_put(b"another body", content_type="application/pdf", expected_sha256=key)
        assert key in str(exc.value)
        assert archive_get(key) == PDF

    def test_explicit_key_matching_body_is_accepted(self) -> None:
        obj = archive_put(PDF, content_type="application/pdf", expected_sha256=sha256_hex(PDF))
        assert obj.sha256 == sha256_hex(PDF)

    def test_missing_file_is_restored_by_putting_the_same_bytes(self, archive_root: Path) -> None:
        key = archive_put(PDF, content_type="application/pdf").sha256
        (archive_root / archive_key_path(key)).unlink()
        with pytest.raises(ArchiveObjectMissing):
            archive_get(key)
        archive_put(PDF, content_type="application/pdf")
        assert archive_get(key) == PDF

    def test_keys_must_be_sha256_hex(self) -> None:
        for bad in ("../../etc/passwd", "AB" * 32, "a" * 63):
            with pytest.raises(ValueError):
                archive_get(bad)


class TestTamperedObject:
    def test_flipped_byte_fails_read_and_audit(self, archive_root: Path) -> None:
        other = archive_put(b"manifest", content_type="application/json").sha256
        key = archive_put(PDF, content_type="application/pdf").sha256
        path = archive_root / archive_key_path(key)
        data = bytearray(path.read_bytes())
        data[1000] ^= 0x01
        path.write_bytes(bytes(data))

        with pytest.raises(ArchiveIntegrityError) as exc:
            archive_get(key)
        assert exc.value.key == key
        assert key in str(exc.value)
        assert archive_get(other) == b"manifest"

        with pytest.raises(CommandError) as exc:
            call_command("audit_archive")
        assert str(exc.value).startswith(f"BAD object {key}: hash mismatch")
        assert exc.value.returncode == 1

    def test_deleted_file_is_reported_missing(self, archive_root: Path, capsys) -> None:
        key = archive_put(PDF, content_type="application/pdf").sha256
        (archive_root / archive_key_path(key)).unlink()
        with pytest.raises(CommandError, match=f"BAD object {key}: missing"):
            call_command("audit_archive")


class TestPortableStorageApi:
    """The store must work on any Django storage (S3Storage in production), not just local files.

    InMemoryStorage has no ``path()``; corruption is simulated through the storage API only.
    """

    @pytest.fixture(autouse=True)
    def in_memory_archive(self, settings) -> None:
        settings.STORAGES = {**settings.STORAGES,
                             "archive": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}

    def test_round_trip_dedupe_and_tamper_detection(self) -> None:
        from django.core.files.base import ContentFile
        from django.core.files.storage import storages

        key = archive_put(PDF, content_type="application/pdf").sha256
        assert archive_put(PDF, content_type="application/pdf").sha256 == key
        assert archive_get(key) == PDF
        call_command("audit_archive", stdout=StringIO())

        storage = storages["archive"]
        storage.delete(archive_key_path(key))
        assert storage.save(archive_key_path(key), ContentFile(PDF[:-1] + b"!")) == archive_key_path(key)
        with pytest.raises(ArchiveIntegrityError):
            archive_get(key)
        with pytest.raises(ArchiveWriteConflict):
            archive_put(PDF, content_type="application/pdf")
        with pytest.raises(CommandError, match=f"^BAD object {key}: hash mismatch"):
            call_command("audit_archive")
