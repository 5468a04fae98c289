"""URL map. Each area's routes live in its own app; this file only mounts them."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from contracts_platform.accounts import views as account_views
from workflows.admin_urls import site as workflow_site

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("contracts_platform.accounts.urls")),
    path("employer/", include("contracts_platform.contracts.employer_urls")),
    path("outbox/", include("contracts_platform.notifications.urls")),
    path("s/", include("contracts_platform.portal.signing_urls")),
    path("w/", include("contracts_platform.portal.urls")),
    path("w/disputes/", include("contracts_platform.disputes.worker_urls")),
    path("disputes/", include("contracts_platform.disputes.urls")),
    path("arrears/", include("contracts_platform.disputes.public_urls")),
    # /verify/ (namespace "verify"), /pki/<file> and /tsa/ (namespace "pki")
    path("", include("signing.django_app.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("workflow/", workflow_site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
