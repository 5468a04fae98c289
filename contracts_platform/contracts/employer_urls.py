"""The employer portal: /employer/..."""

from django.urls import path

from contracts_platform.contracts import views as contract_views
from contracts_platform.parties import views as party_views
from workflows.urls import urlpatterns as signing_urlpatterns

app_name = "employer"
urlpatterns = [
    path("", contract_views.DashboardView.as_view(), name="dashboard"),
    path("workers/", party_views.WorkerListView.as_view(), name="worker_list"),
    path("workers/new/", party_views.WorkerCreateView.as_view(), name="worker_create"),
    path("contracts/", contract_views.ContractListView.as_view(), name="contract_list"),
    path("contracts/new/", contract_views.ContractCreateView.as_view(), name="contract_create"),
    path("contracts/check/", contract_views.ContractCheckApi.as_view(), name="contract_check"),
    path("contracts/<int:pk>/", contract_views.ContractDetailView.as_view(), name="contract_detail"),
    path("contracts/<int:pk>/edit/", contract_views.ContractEditView.as_view(), name="contract_edit"),
    path("contracts/<int:pk>/v<int:number>/preview/", contract_views.ContractPreviewView.as_view(),
         name="contract_preview"),
    path("contracts/<int:pk>/v<int:number>/pdf/", contract_views.ContractPdfView.as_view(), name="contract_pdf"),
    *signing_urlpatterns,
]
