"""Forms of the public verification page."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

UPLOAD_TOO_LARGE = _("文件超过 20 MB，无法在线验证。请使用下方的离线验证方法。")
UPLOAD_EMPTY = _("请选择要验证的 PDF 文件。")


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("合同 PDF 文件"), error_messages={"required": UPLOAD_EMPTY,
                                                                   "empty": UPLOAD_EMPTY,
                                                                   "invalid": UPLOAD_EMPTY},
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(UPLOAD_TOO_LARGE, code="too_large")
        return upload
