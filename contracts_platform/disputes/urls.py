"""The desk: /disputes/ (commission, mediators, arbitrators, legal aid, employer staff, bureau, admins)."""

from django.urls import path

from contracts_platform.disputes import views

app_name = "disputes"
urlpatterns = [
    path("", views.DeskView.as_view(), name="desk"),
    path("cases/new/", views.CaseRegisterView.as_view(), name="case_register"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/do/<slug:action>/", views.CaseActionView.as_view(), name="case_action"),
    path("cases/<int:pk>/contracts/<int:contract_pk>/", views.CaseContractView.as_view(), name="case_contract"),
    path("cases/<int:pk>/contracts/<int:contract_pk>/contract.pdf", views.CaseContractPdfView.as_view(),
         name="case_contract_pdf"),
    path("cases/<int:pk>/contracts/<int:contract_pk>/package.zip", views.CasePackageView.as_view(),
         name="case_package"),
    path("cases/<int:pk>/documents/<int:document_pk>/", views.CaseDocumentView.as_view(), name="case_document"),
    path("arrears/", views.ComplaintListView.as_view(), name="complaint_list"),
    path("arrears/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("arrears/<int:pk>/do/<slug:action>/", views.ComplaintActionView.as_view(), name="complaint_action"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("escalations/", views.EscalationListView.as_view(), name="escalations"),
    path("escalations/<int:pk>/ack/", views.EscalationAckView.as_view(), name="escalation_ack"),
]
