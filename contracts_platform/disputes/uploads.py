"""Evidence uploads: the type is read from the bytes (magic numbers), never from the name or the browser.

Phones send photos (JPEG, PNG, HEIC, WebP) and scans as PDF. Everything is checked
before anything is stored, so a bad file in a batch stores nothing.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_UPLOAD_FILES = 10

UPLOAD_BAD_TYPE = gettext_noop("“{name}”不是支持的文件类型。请上传照片（JPG、PNG、HEIC、WebP）或 PDF 文件。")
UPLOAD_TOO_BIG = gettext_noop("“{name}”超过 {limit} MB，请压缩或分开上传。")
UPLOAD_EMPTY = gettext_noop("“{name}”是空文件。")
UPLOAD_TOO_MANY = gettext_noop("一次最多上传 {count} 个文件。")
UPLOAD_BROKEN_IMAGE = gettext_noop("“{name}”图片已损坏，无法打开。")

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic",
              "application/pdf": "pdf"}


@dataclass(frozen=True)
class Upload:
    """A checked file: its bytes, the type its bytes show, and a safe display name."""

    data: bytes
    content_type: str
    filename: str


def sniff(data: bytes) -> str | None:
    """The content type the leading bytes prove, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "image/heic"
    return None


def safe_filename(name: str, content_type: str) -> str:
    """Display name only (storage is by hash): no paths or control characters, the extension the bytes earn."""
    base = unicodedata.normalize("NFKC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", base).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{(stem or 'file')[:80]}.{EXTENSIONS[content_type]}"


def _check_image(data: bytes, name: str, content_type: str) -> None:
    if content_type not in ("image/jpeg", "image/png", "image/webp"):
        return  # Pillow cannot open HEIC without a plugin; the magic check stands
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(_(UPLOAD_BROKEN_IMAGE).format(name=name), code="broken_image") from exc


def check_uploads(files: list[object]) -> list[Upload]:
    """Read and check Django ``UploadedFile``s; raise ``ValidationError`` listing every bad file."""
    files = [f for f in files if f is not None]
    if len(files) > MAX_UPLOAD_FILES:
        raise ValidationError(_(UPLOAD_TOO_MANY).format(count=MAX_UPLOAD_FILES), code="too_many")
    checked: list[Upload] = []
    errors: list[ValidationError] = []
    for uploaded in files:
        if isinstance(uploaded, Upload):  # already checked (by the form)
            checked.append(uploaded)
            continue
        name = str(getattr(uploaded, "name", "") or "file")[:120]
        size = getattr(uploaded, "size", None)
        if size is not None and size > MAX_UPLOAD_BYTES:
            errors.append(ValidationError(_(UPLOAD_TOO_BIG).format(name=name, limit=MAX_UPLOAD_BYTES // 2 ** 20),
                                          code="too_big"))
            continue
        # Read one byte past the limit: a file whose reported size lied is still caught.
        data = uploaded.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            errors.append(ValidationError(_(UPLOAD_TOO_BIG).format(name=name, limit=MAX_UPLOAD_BYTES // 2 ** 20),
                                          code="too_big"))
            continue
        if not data:
            errors.append(ValidationError(_(UPLOAD_EMPTY).format(name=name), code="empty"))
            continue
        content_type = sniff(data)
        if content_type is None:
            errors.append(ValidationError(_(UPLOAD_BAD_TYPE).format(name=name), code="bad_type"))
            continue
        try:
            _check_image(data, name, content_type)
        except ValidationError as exc:
            errors.append(exc)
            continue
        checked.append(Upload(data=data, content_type=content_type, filename=safe_filename(name, content_type)))
    if errors:
        raise ValidationError(errors)
    return checked
