"""Errors the signing services raise on purpose, with translatable messages tests can assert on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

VERSION_NOT_SEALED = _("该合同版本尚未由用人单位盖章，劳动者不能签署。")
SIGNATURE_IMAGE_INVALID = _("手写签名图片无效：需要一张不超过 2 MB 的 PNG 图片。")
SIGNED_RESULT_INVALID = _("签名结果未通过平台自检，未予保存：{reasons}")
PKI_PASSPHRASE_WRONG = _("无法解密平台私钥：HEQIAN_PKI_KEY 与创建证书时使用的口令不一致。")
NO_CURRENT_CERTIFICATE = _("该用人单位没有有效的签名证书。")


class SigningServiceError(Exception):
    """Base class of the errors the Django signing services raise deliberately."""

    code = "signing_error"


class VersionNotSealedError(SigningServiceError):
    code = "version_not_sealed"


class SignatureImageError(SigningServiceError):
    code = "signature_image_invalid"


class SelfCheckError(SigningServiceError):
    """A freshly produced PDF did not verify with the platform's own trust roots; nothing was stored."""

    code = "self_check_failed"


class PkiConfigurationError(SigningServiceError):
    code = "pki_configuration"


class NoCurrentCertificateError(SigningServiceError):
    code = "no_current_certificate"
