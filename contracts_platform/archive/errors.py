"""Exceptions of the archive. Messages name the object key so operators can act on them."""

from __future__ import annotations

from django.utils.translation import gettext as _


class ArchiveError(Exception):
    """Base class for archive failures (server-side faults, not user input errors)."""


class ArchiveIntegrityError(ArchiveError):
    """Stored bytes no longer hash to their key: the object was corrupted or tampered with."""

    def __init__(self, key: str, actual: str):
        super().__init__(_("归档对象 %(key)s 校验失败：存储内容的 SHA-256 为 %(actual)s")
                         % {"key": key, "actual": actual})
        self.key = key
        self.actual = actual


class ArchiveObjectMissing(ArchiveError):
    def __init__(self, key: str):
        super().__init__(_("归档对象 %(key)s 不存在") % {"key": key})
        self.key = key


class ArchiveWriteConflict(ArchiveError):
    """A write would put a different body under an existing key; the store is write-once."""

    def __init__(self, key: str, reason: str):
        super().__init__(_("拒绝写入归档对象 %(key)s：%(reason)s") % {"key": key, "reason": reason})
        self.key = key
        self.reason = reason
