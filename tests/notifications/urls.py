"""The project's URLs plus the outbox, mounted where the lead will mount it (unless already there)."""

from django.urls import include, path

from contracts_platform.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(p, "namespace", None) == "notifications" for p in project_urlpatterns)
urlpatterns = [*project_urlpatterns,
               *([] if _mounted else [path("outbox/", include("contracts_platform.notifications.urls"))])]
