"""Archive models: stored objects, the evidence log, daily Merkle roots, audits.

``EvidenceEvent``, ``StoredObject`` and ``MerkleRoot`` are append-only. Write them
only through ``archive.services`` / ``archive.store``; on PostgreSQL triggers
(migration 0002) refuse UPDATE and DELETE, so even raw SQL cannot rewrite them
without first disabling the trigger, which needs the table owner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredObject(models.Model):
    """One object in the content-addressed store: what the audit expects to find."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    size = models.PositiveBigIntegerField(_("字节数"))
    content_type = models.CharField(_("内容类型"), max_length=127)
    created = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("归档对象")
        verbose_name_plural = _("归档对象")
        ordering = ["created"]

    def __str__(self) -> str:
        return self.sha256


class EvidenceEvent(models.Model):
    """One entry of the hash-chained evidence log.

    ``entry_hash`` is defined in ``archive.chain`` (``compute_entry_hash``);
    ``payload`` is canonical JSON kept as text so its bytes are exactly the ones hashed.
    """

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    event_type = models.CharField(_("事件类型"), max_length=64, db_index=True)
    # PROTECT: a user who appears in evidence must be deactivated, never deleted
    # (SET_NULL would be an UPDATE, which the append-only trigger refuses anyway).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(_("操作人标识"), max_length=128)
    subject_type = models.CharField(_("对象类型"), max_length=32)
    subject_id = models.CharField(_("对象编号"), max_length=64)
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    payload = models.TextField(_("内容（规范 JSON）"))
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    entry_hash = models.CharField(_("本条哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("存证事件")
        verbose_name_plural = _("存证事件")
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "seq"], name="archive_ev_subject")]
        constraints = [models.CheckConstraint(condition=models.Q(seq__gte=1), name="archive_ev_seq_positive")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type} {self.subject_type}:{self.subject_id}"


class MerkleRoot(models.Model):
    """RFC 6962 root over one local day's entries (``settings.TIME_ZONE``).

    An empty day is stored too (``leaf_count`` 0, no seqs): it records that the
    day was closed with nothing in it.
    """

    day = models.DateField(_("日期"), unique=True)
    first_seq = models.PositiveBigIntegerField(_("首条序号"), null=True, blank=True)
    last_seq = models.PositiveBigIntegerField(_("末条序号"), null=True, blank=True)
    leaf_count = models.PositiveBigIntegerField(_("条数"))
    root = models.CharField(_("Merkle 根"), max_length=64)
    created = models.DateTimeField(_("创建时间"), default=timezone.now)
    # Filled once by the timestamping step (RFC 3161 token over the root bytes).
    timestamp_token = models.BinaryField(_("时间戳令牌"), null=True, blank=True)

    class Meta:
        verbose_name = _("每日 Merkle 根")
        verbose_name_plural = _("每日 Merkle 根")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.root}"


class ArchiveAudit(models.Model):
    """One run of the periodic archive audit (objects, chain, Merkle roots)."""

    started = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ok = models.BooleanField(_("通过"), null=True)
    summary = models.JSONField(_("摘要"), default=dict, blank=True)
    first_problem = models.TextField(_("首个问题"), blank=True)

    class Meta:
        verbose_name = _("归档审计")
        verbose_name_plural = _("归档审计")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.started:%Y-%m-%d %H:%M} ok={self.ok}"
