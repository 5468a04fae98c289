"""Public endpoints: verification pages, published PKI files and the RFC 3161 TSA.

All anonymous. The verification page must never answer an upload with a 500:
anything that is not a verifiable PDF becomes a message on the page.
"""

from __future__ import annotations

import hashlib
import logging
import re

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from signing import NotAPdfError
from signing.django_app import selectors
from signing.django_app.forms import MAX_UPLOAD_BYTES, UPLOAD_TOO_LARGE, VerifyUploadForm
from signing.django_app.models import AuthorityKind
from signing.django_app.pki import crl_current, current_authority, platform_pki
from signing.django_app.services import contract_verification

logger = logging.getLogger(__name__)

NOT_A_PDF = _("无法读取该文件：它不是有效的 PDF 文件，或文件已损坏。")
VERIFY_FAILED = _("验证过程中出错，无法得出结论。请稍后重试，或使用下方的离线验证方法。")
_SHA256_RE = re.compile(r"^[0-9a-fA-F]{64}$")
# Multipart framing around the file; the form field enforces the exact limit.
_UPLOAD_OVERHEAD = 64 * 1024
_TSA_MAX_REQUEST = 16 * 1024


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@require_http_methods(["GET", "POST"])
def verify_index(request: HttpRequest) -> HttpResponse:
    """Upload a PDF, see its verification report (Chinese by default)."""
    context: dict[str, object] = {"max_mb": MAX_UPLOAD_BYTES // (1024 * 1024), "site_url": settings.SITE_URL}
    status = 200
    if request.method == "POST":
        if _content_length(request) > MAX_UPLOAD_BYTES + _UPLOAD_OVERHEAD:
            # Refuse before Django spools 20+ MB to disk.
            form = VerifyUploadForm()
            context["error"] = UPLOAD_TOO_LARGE
            status = 413
        else:
            form = VerifyUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                data = upload.read()
                context.update(_verify_upload(data, filename=upload.name or ""))
    else:
        form = VerifyUploadForm()
    context["form"] = form
    return render(request, "signing/verify_index.html", context, status=status)


def _verify_upload(data: bytes, *, filename: str) -> dict[str, object]:
    sha256 = hashlib.sha256(data).hexdigest()
    result: dict[str, object] = {"filename": filename[:200], "sha256": sha256, "size": len(data)}
    try:
        report = contract_verification(data)
    except NotAPdfError:
        result["error"] = NOT_A_PDF
        return result
    except Exception:  # a malformed PDF can break pyHanko in many ways; never a 500
        logger.warning("verification of an uploaded file (sha256 %s) failed", sha256, exc_info=True)
        result["error"] = VERIFY_FAILED
        return result
    result["report"] = selectors.report_view(report.to_dict(), mask_workers=False)
    archived = selectors.archived_copy_of(sha256=sha256)
    if archived is not None:
        result["archived_copy"] = archived
    return result


@require_http_methods(["GET", "HEAD"])
def verify_document(request: HttpRequest, sha256: str) -> HttpResponse:
    """The page a contract's QR code opens: masked facts and the current verification report."""
    info = selectors.public_contract(sha256=sha256) if _SHA256_RE.match(sha256) else None
    if info is None:
        return render(request, "signing/verify_unknown.html", {"sha256": sha256[:64]}, status=404)
    return render(request, "signing/verify_document.html",
                  {"info": info, "sha256": sha256.lower(), "site_url": settings.SITE_URL})


# -- published PKI files ------------------------------------------------------------------

_CERT_FILES = {"root": AuthorityKind.ROOT, "issuing": AuthorityKind.ISSUING, "tsa": AuthorityKind.TSA}
_CRL_FILES = {"root.crl": AuthorityKind.ROOT, "issuing.crl": AuthorityKind.ISSUING}


@require_http_methods(["GET", "HEAD"])
def pki_file(request: HttpRequest, filename: str) -> HttpResponse:
    """CA certificates (``.crt`` DER as RFC 5280 AIA expects, ``.pem`` PEM) and CRLs (DER)."""
    if filename in _CRL_FILES:
        crl = crl_current(current_authority(_CRL_FILES[filename]))
        response = HttpResponse(bytes(crl.der), content_type="application/pkix-crl")
        response["Cache-Control"] = "public, max-age=600"
        return _as_download(response, filename)
    stem, _dot, ext = filename.partition(".")
    if stem not in _CERT_FILES or ext not in ("crt", "pem"):
        raise Http404
    platform_pki()  # creates the hierarchy on a fresh install
    pem = selectors.current_authority_pem(_CERT_FILES[stem])
    if pem is None:
        raise Http404
    if ext == "pem":
        response = HttpResponse(pem, content_type="application/x-pem-file")
    else:
        der = x509.load_pem_x509_certificate(pem.encode("ascii")).public_bytes(serialization.Encoding.DER)
        response = HttpResponse(der, content_type="application/pkix-cert")
    response["Cache-Control"] = "public, max-age=3600"
    return _as_download(response, filename)


def _as_download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="heqian-{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- RFC 3161 -----------------------------------------------------------------------------


@csrf_exempt  # machine clients (openssl, pyHanko, Acrobat) post DER, with no session or token
def tsa_endpoint(request: HttpRequest) -> HttpResponse:
    """RFC 3161 over HTTP: POST ``application/timestamp-query`` → ``application/timestamp-reply``.

    Malformed or unsupported requests are answered by the TSA itself with a
    ``rejection`` response (which clients can parse), not an HTTP error.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    content_type = (request.content_type or "").lower()
    if content_type != "application/timestamp-query":
        return HttpResponse("expected Content-Type: application/timestamp-query\n", status=415,
                            content_type="text/plain")
    if _content_length(request) > _TSA_MAX_REQUEST:
        return HttpResponse("request too large\n", status=413, content_type="text/plain")
    body = request.read(_TSA_MAX_REQUEST + 1)
    reply = platform_pki().authority.respond(body)
    response = HttpResponse(reply, content_type="application/timestamp-reply")
    response["Cache-Control"] = "no-store"
    return response
