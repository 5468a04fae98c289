"""The worker's dispute pages: /w/disputes/ (mobile, behind the portal's phone + OTP login)."""

from django.urls import path

from contracts_platform.disputes import views

app_name = "worker_disputes"
urlpatterns = [
    path("", views.WorkerCaseListView.as_view(), name="list"),
    path("new/", views.WorkerFileView.as_view(), name="new"),
    path("<int:pk>/", views.WorkerCaseDetailView.as_view(), name="detail"),
    path("<int:pk>/do/<slug:action>/", views.WorkerCaseActionView.as_view(), name="action"),
    path("<int:pk>/documents/<int:document_pk>/", views.WorkerDocumentView.as_view(), name="document"),
]
