"""Signing-process actions on a contract, mounted under the employer portal."""

from django.urls import path

from workflows import views

urlpatterns = [
    path("contracts/<int:pk>/signing/start/", views.SigningStartView.as_view(), name="signing_start"),
    path("contracts/<int:pk>/signing/decide/", views.ApprovalDecisionView.as_view(), name="signing_decide"),
    path("contracts/<int:pk>/signing/resubmit/", views.ResubmitView.as_view(), name="signing_resubmit"),
    path("contracts/<int:pk>/signing/withdraw/", views.WithdrawView.as_view(), name="signing_withdraw"),
    path("contracts/<int:pk>/signing/remind/", views.RemindView.as_view(), name="signing_remind"),
    path("contracts/<int:pk>/signing/retry/", views.RetryView.as_view(), name="signing_retry"),
    path("contracts/<int:pk>/signing/chart.svg", views.ProcessChartView.as_view(), name="signing_chart"),
]
