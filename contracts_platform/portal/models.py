"""Page images of the PDFs workers read on their phones (a cache with evidential value).

The reading pages show the worker images of the *sealed PDF itself*, so what they read is
pixel for pixel what they sign. Each image is rendered once and kept in the archive
(content-addressed, write-once); the ``signing.page_viewed`` evidence names the image's
SHA-256, so it can later be shown exactly which picture of which page was on the screen.
Rows are written only through ``portal.reading``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReadingDocument(models.Model):
    """A PDF prepared for page-by-page reading: how many pages it has."""

    source = models.OneToOneField("archive.StoredObject", verbose_name=_("PDF"), on_delete=models.PROTECT,
                                  primary_key=True, related_name="+")
    pages = models.PositiveSmallIntegerField(_("页数"))
    created = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("阅读用文件")
        verbose_name_plural = _("阅读用文件")

    def __str__(self) -> str:
        return f"{self.source_id[:12]} ({self.pages})"


class ReadingPage(models.Model):
    """One page of a ``ReadingDocument`` as a PNG at ``dpi``."""

    document = models.ForeignKey(ReadingDocument, verbose_name=_("阅读用文件"), on_delete=models.PROTECT,
                                 related_name="page_images")
    page = models.PositiveSmallIntegerField(_("页码"))
    dpi = models.PositiveSmallIntegerField(_("分辨率"))
    image = models.ForeignKey("archive.StoredObject", verbose_name=_("页面图片"), on_delete=models.PROTECT,
                              related_name="+")
    width = models.PositiveIntegerField(_("宽度"))
    height = models.PositiveIntegerField(_("高度"))
    created = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("页面图片")
        verbose_name_plural = _("页面图片")
        ordering = ["document", "page"]
        constraints = [models.UniqueConstraint(fields=["document", "page", "dpi"], name="portal_one_image_per_page")]

    def __str__(self) -> str:
        return f"{self.document_id[:12]} p{self.page}@{self.dpi}"
