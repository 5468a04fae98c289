"""The rendered PDF of a contract version, as archived."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedVersion(models.Model):
    """One per contract version: its deterministic PDF, stored content-addressed.

    ``signature_boxes`` records where the layout put the employer's and the
    worker's boxes (page index and PDF points), so signing places its fields there.
    """

    version = models.OneToOneField("contracts.ContractVersion", on_delete=models.PROTECT,
                                   related_name="rendering")
    pdf = models.ForeignKey("archive.StoredObject", on_delete=models.PROTECT, related_name="+")
    page_count = models.PositiveSmallIntegerField()
    signature_boxes = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("合同PDF")
        verbose_name_plural = _("合同PDF")

    def __str__(self) -> str:
        return f"{self.version} → {self.pdf_id[:12]}"
