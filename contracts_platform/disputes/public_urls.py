"""The public wage-arrears report: /arrears/ (no account; the phone is verified by SMS code)."""

from django.urls import path

from contracts_platform.disputes import views

app_name = "arrears"
urlpatterns = [
    path("new/", views.ArrearsReportView.as_view(), name="new"),
    path("t/<str:token>/", views.ArrearsStatusView.as_view(), name="status"),
]
