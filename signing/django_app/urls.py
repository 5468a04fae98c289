"""Routes of the signing app, mounted at the site root by ``contracts_platform.urls``.

* ``verify:index`` ``/verify/`` and ``verify:document`` ``/verify/<sha256>/`` (the QR code target);
* ``pki:file`` ``/pki/<filename>`` (CA certificates and CRLs) and ``pki:tsa`` ``/tsa/`` (RFC 3161).
"""

from django.urls import include, path

from signing.django_app import views

verify_patterns = ([
    path("", views.verify_index, name="index"),
    path("<str:sha256>/", views.verify_document, name="document"),
], "verify")

pki_patterns = ([
    path("pki/<str:filename>", views.pki_file, name="file"),
    path("tsa/", views.tsa_endpoint, name="tsa"),
], "pki")

urlpatterns = [
    path("verify/", include(verify_patterns)),
    path("", include(pki_patterns)),
]
